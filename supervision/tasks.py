"""Celery tasks of supervision: thin, named `*_task`, safe to run twice."""

import datetime

from celery import shared_task

from . import services


# The scan reads every project of every plan: up to 10 minutes before it is stopped (then run again).
@shared_task(soft_time_limit=10 * 60, time_limit=12 * 60)
def scan_alerts_task(on: str | None = None) -> dict:
    """The daily scan: raise alerts for new causes, close those whose cause is gone, then notify the units
    of the alerts not yet notified (including any left by an interrupted run). `on` (YYYY-MM-DD) judges as
    of another day than today, e.g. to redo a missed day."""
    day = datetime.date.fromisoformat(on) if on else None
    result = services.scan_alerts(day).as_dict()
    result["notified"] = services.notify_pending_alerts()
    return result


@shared_task
def escalate_orders_task() -> int:
    """Record missed 督办 stages once each and notify; returns how many were new."""
    return len(services.escalate_overdue_orders())
