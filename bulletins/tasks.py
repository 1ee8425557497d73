"""Celery tasks of bulletins: thin, named `*_task`, taking ids."""

from celery import shared_task
from django.utils import timezone

from minsheng.errors import InvalidTransition
from org import access
from org.models import Region, User
from projects.periods import Period

from . import services
from .models import BulletinSettings


# One region's bulletin with its charts: the default limits (5 minutes soft, settings.base) suffice.
@shared_task
def build_bulletin_task(
    region_id: int, year: int, month: int, user_id: int | None = None, regenerate: bool = False
) -> int | None:
    """Generate (or, with `regenerate`, refresh) the draft bulletin of a region and period; its id.

    Safe to run twice: an existing draft is returned as it is, an issued period is left alone (None).
    """
    region = Region.objects.get(pk=region_id)
    actor = User.objects.get(pk=user_id) if user_id else access.SYSTEM  # the scheduler: the office itself
    try:
        bulletin = services.generate_bulletin(region, year, month, actor=actor, regenerate=regenerate)
    except InvalidTransition:
        return None
    return bulletin.pk


@shared_task
def build_monthly_bulletins_task() -> list[int]:
    """Queue last month's draft bulletin for every region whose settings ask for one."""
    period = Period.filed_on(timezone.localdate())
    region_ids = list(BulletinSettings.objects.filter(auto_build=True).values_list("region_id", flat=True))
    for region_id in region_ids:
        build_bulletin_task.delay(region_id, period.year, period.month)
    return region_ids
