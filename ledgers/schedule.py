"""Beat entries of ledgers (collected by settings.base.app_beat_schedules). No model imports here."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # The watchdog: ledger checks and imports whose worker died (and that no redelivery picked up) are
    # failed with a reason, so the office can run them again instead of watching "导入中" for ever.
    "ledgers-fail-stuck-imports": {
        "task": "ledgers.tasks.fail_stuck_imports_task",
        "schedule": crontab(minute="*/5"),
    },
}
