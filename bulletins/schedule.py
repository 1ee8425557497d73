"""Beat entries of bulletins (collected by settings.base.app_beat_schedules). No model imports here."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # Monthly reports are due in the first days of a month; the draft of last month's bulletin is ready for
    # staff to review on the 5th.
    "bulletins-monthly-drafts": {
        "task": "bulletins.tasks.build_monthly_bulletins_task",
        "schedule": crontab(minute=0, hour=7, day_of_month=5),
    },
}
