"""`manage.py scan_alerts [--on YYYY-MM-DD]`: the daily scan by hand (beat runs it every morning)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ...tasks import scan_alerts_task


class Command(BaseCommand):
    help = "运行每日预警扫描：为新出现的问题生成预警，关闭原因已消除的预警，并通知尚未通知的单位。"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按某日判断（YYYY-MM-DD），默认今天。")

    def handle(self, *args, on, **options):
        if on:
            try:
                datetime.date.fromisoformat(on)
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{on}") from exc
        # In this process, not through the broker: the command must work without a running worker.
        result = scan_alerts_task.apply((on,)).get()
        self.stdout.write(
            f"预警扫描完成：新增 {result['raised']} 条，关闭 {result['closed']} 条，"
            f"当前未关闭 {result['open']} 条，已通知 {result['notified']} 条。"
        )
