"""`manage.py fail_stuck_jobs`: the watchdog by hand (beat runs it every 5 minutes).

Ledger imports are minsheng's only jobs with a "running" state kept in the database; bulletin builds,
the daily scan, reminders and deliveries leave no such state (each is safe to run again and is handed
back to the queue when its worker dies).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from ...services import fail_stuck_imports


class Command(BaseCommand):
    help = "将超时仍处于“预检中/导入中”的台账导入标记为失败（注明原因），以便重新运行。"

    def handle(self, *args, **options):
        failed = fail_stuck_imports()
        minutes = settings.MINSHENG_JOB_STUCK_AFTER // 60
        if failed:
            ids = "、".join(str(pk) for pk in failed)
            self.stdout.write(f"已将 {len(failed)} 个超过{minutes}分钟未完成的台账导入标记为失败：{ids}")
        else:
            self.stdout.write(f"没有超过{minutes}分钟未完成的台账导入。")
