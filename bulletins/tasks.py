"""Celery tasks of bulletins: thin, named `*_task`, taking ids."""

import datetime

from celery import shared_task
from django.utils import timezone

from minsheng.errors import InvalidTransition
from org.models import Region, User

from . import services
from .models import BulletinSettings


def previous_month(on: datetime.date) -> tuple[int, int]:
    """(year, month) of the month before `on`: the period a bulletin early in a month reports."""
    return (on.year - 1, 12) if on.month == 1 else (on.year, on.month - 1)


@shared_task
def build_bulletin_task(
    region_id: int, year: int, month: int, user_id: int | None = None, regenerate: bool = False
) -> int | None:
    """Generate (or, with `regenerate`, refresh) the draft bulletin of a region and period; its id.

    Safe to run twice: an existing draft is returned as it is, an issued period is left alone (None).
    """
    region = Region.objects.get(pk=region_id)
    actor = User.objects.get(pk=user_id) if user_id else None
    try:
        bulletin = services.generate_bulletin(region, year, month, actor=actor, regenerate=regenerate)
    except InvalidTransition:
        return None
    return bulletin.pk


@shared_task
def build_monthly_bulletins_task() -> list[int]:
    """Queue last month's draft bulletin for every region whose settings ask for one."""
    year, month = previous_month(timezone.localdate())
    region_ids = list(BulletinSettings.objects.filter(auto_build=True).values_list("region_id", flat=True))
    for region_id in region_ids:
        build_bulletin_task.delay(region_id, year, month)
    return region_ids
