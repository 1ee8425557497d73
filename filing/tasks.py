"""Celery tasks of filing: thin, named `*_task`."""

from celery import shared_task

from . import services


@shared_task
def send_filing_reminders_task() -> dict:
    """The daily reminders (beat, see filing/schedule.py); safe to run twice: each reminder goes out once."""
    return services.send_reminders()
