"""Celery tasks of notifications: thin, named `*_task`, taking ids."""

from celery import shared_task

from . import services


@shared_task
def deliver_notifications_task(delivery_ids: list[int]) -> dict:
    """Send the pending deliveries among these ids; safe to run twice (a sent delivery is not resent)."""
    return services.deliver(delivery_ids)
