"""Beat entries of filing (collected by settings.base.app_beat_schedules). No model imports here."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    "filing-reminders": {
        "task": "filing.tasks.send_filing_reminders_task",
        # 08:30 in settings.CELERY_TIMEZONE (Asia/Shanghai): at the start of the office day.
        "schedule": crontab(hour=8, minute=30),
    },
}
