"""Walk the security audit log's hash chain and report the first broken record (exit 1 when broken)."""

import sys

from django.core.management.base import BaseCommand

from audit import chain


class Command(BaseCommand):
    help = "校验安全审计日志的哈希链：逐条重算摘要，报告第一条断裂的记录（断裂时退出码为 1）。"

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=2000, help="每批读取的记录数")

    def handle(self, *args, chunk_size: int = 2000, **options):
        verdict = chain.verify(chunk_size=chunk_size)
        if verdict.broken is not None:
            self.stderr.write(
                f"安全审计日志校验失败：第 {verdict.broken.seq} 条记录处链条断裂（{verdict.broken.reason}）。"
                f"已检查 {verdict.checked} 条记录。"
            )
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(f"安全审计日志校验通过：共 {verdict.checked} 条记录，链条完整。")
        )
