"""Celery tasks of the security audit log: thin, named `*_task`."""

from celery import shared_task

from . import services


@shared_task
def archive_audit_log_task() -> int:
    """Archive the records past their retention period; how many. Safe to run twice (the second finds
    nothing old enough)."""
    return services.archive_old_records().count
