"""Beat entries of supervision (collected by settings.base.app_beat_schedules). No model imports here."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # Every day at 06:30, before the office opens: lights, overdue milestones, missing reports, funds 滞留.
    "supervision-daily-scan": {
        "task": "supervision.tasks.scan_alerts_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # 督办 stages are due to the hour they were issued at: look every 15 minutes.
    "supervision-escalate-orders": {
        "task": "supervision.tasks.escalate_orders_task",
        "schedule": crontab(minute="*/15"),
    },
}
