"""Beat entries of audit (collected by settings.base.app_beat_schedules). No model imports here."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # 02:40 every night, when hardly anyone signs in: appends wait while the archive holds the chain's lock.
    "audit-archive-old-records": {
        "task": "audit.tasks.archive_audit_log_task",
        "schedule": crontab(hour=2, minute=40),
    },
    # Every hour: the tip of the chain written outside the database, so deleting the newest records is found.
    "audit-checkpoint": {
        "task": "audit.tasks.checkpoint_audit_log_task",
        "schedule": crontab(minute=7),
    },
}
