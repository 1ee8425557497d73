"""`manage.py backup [--root DIR] [--keep N]`: the database (pg_dump -Fc) and MEDIA_ROOT into a dated
directory with a SHA-256 manifest, then retention (minsheng/backup.py; scripts/backup.sh runs it)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from minsheng import backup


class Command(BaseCommand):
    help = (
        "备份数据库（pg_dump 自定义格式）和上传文件/已印发简报PDF（MEDIA_ROOT），"
        "生成带 SHA-256 校验的清单，并按天数保留。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--root", help=f"备份根目录（默认 MINSHENG_BACKUP_ROOT：{settings.MINSHENG_BACKUP_ROOT}）"
        )
        parser.add_argument(
            "--keep",
            type=int,
            help=f"保留最近几天的备份（默认 MINSHENG_BACKUP_KEEP：{settings.MINSHENG_BACKUP_KEEP}）",
        )

    def handle(self, *args, root=None, keep=None, **options):
        try:
            directory = backup.backup(Path(root) if root else None, keep=keep)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup.read_manifest(directory)
        counts = "，".join(f"{label} {fact['rows']}" for label, fact in manifest["tables"].items())
        files = "，".join(f"{name} {root['files']} 个文件" for name, root in manifest["file_roots"].items())
        self.stdout.write(f"备份完成：{directory}\n  数据表：{counts}\n  文件：{files}")
