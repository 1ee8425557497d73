"""Celery tasks of supervision: thin, named `*_task`, safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def scan_alerts_task() -> dict:
    """The daily scan: raise alerts for new causes, close those whose cause is gone."""
    return services.scan_alerts().as_dict()


@shared_task
def notify_alerts_task(alert_ids: list[int]) -> int:
    """Tell the responsible units about new alerts (each alert at most once per user)."""
    return services.notify_alerts(alert_ids)


@shared_task
def escalate_orders_task() -> int:
    """Record missed 督办 stages once each and notify; returns how many were new."""
    return len(services.escalate_overdue_orders())
