"""Archive security audit records older than the retention period (also run daily by Celery beat)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from audit import services


class Command(BaseCommand):
    help = (
        "归档超过保留期（MINSHENG_AUDIT_RETENTION_DAYS，至少 180 天）的安全审计日志："
        "写入压缩文件和校验值后从表中移除。"
    )

    def handle(self, *args, **options):
        try:
            result = services.archive_old_records()
        except (services.ArchiveError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        if result.archive is None:
            self.stdout.write("没有超过保留期的安全审计日志，无需归档。")
            return
        archive = result.archive
        self.stdout.write(
            self.style.SUCCESS(
                f"已归档 {result.count} 条安全审计日志（第 {archive.first_seq} 至第 {archive.last_seq} 条）"
                f"到 {services.archive_dir() / archive.file_name}。"
            )
        )
