"""`manage.py restore_backup DIR [--database-url URL] [--media-root DIR] [--force]`: verify a backup's
checksums, restore its database into a fresh (or, with --force, an existing) database with pg_restore and
its files into MEDIA_ROOT, then check the key tables against the manifest (minsheng/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minsheng import backup


class Command(BaseCommand):
    help = (
        "从备份目录恢复：先核对 SHA-256，再用 pg_restore 恢复到新数据库（非空库需 --force），"
        "并恢复上传文件，最后核对关键数据表。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（manage.py backup 生成）")
        parser.add_argument("--database-url", help="恢复到该数据库（不存在则创建）；默认为当前配置的数据库")
        parser.add_argument("--media-root", help="上传文件恢复到该目录；默认为 MEDIA_ROOT")
        parser.add_argument("--no-files", action="store_true", help="只恢复数据库，不恢复文件")
        parser.add_argument("--force", action="store_true", help="目标数据库非空时仍然覆盖")

    def handle(
        self, *args, directory, database_url=None, media_root=None, no_files=False, force=False, **options
    ):
        try:
            result = backup.restore(
                Path(directory),
                database=backup.Database.from_url(database_url) if database_url else None,
                media_root=Path(media_root) if media_root else None,
                force=force,
                files=not no_files,
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        counts = "，".join(f"{label} {fact['rows']}" for label, fact in result["tables"].items())
        self.stdout.write(f"恢复完成：{result['database']}\n  数据表（与备份清单一致）：{counts}")
        for name, root in result["files"].items():
            self.stdout.write(f"  文件 {name}：{root['files']} 个，已恢复到 {root['path']}")
