"""Celery tasks of the security audit log: thin, named `*_task`."""

from celery import shared_task

from . import checkpoints, services


@shared_task
def archive_audit_log_task() -> int:
    """Archive the records past their retention period; how many. Safe to run twice (the second finds
    nothing old enough)."""
    return services.archive_old_records().count


@shared_task
def checkpoint_audit_log_task() -> int | None:
    """Write the chain's tip outside the database (audit.checkpoints); its sequence number, or None when
    it has not moved."""
    checkpoint = checkpoints.write()
    return checkpoint.seq if checkpoint else None
