"""Celery tasks of the projects app: thin, named `*_task`, taking ids."""

from celery import shared_task
from django.db.models import Count

from .choices import Light
from .models import Project


@shared_task
def summarize_lights_task(plan_id: int, month: int | None = None) -> dict:
    """Count a plan's projects per light (as of `month`, else the plan's own as-of month), in one query."""
    counts = {light.value: 0 for light in Light}
    rows = (
        Project.objects.filter(plan_id=plan_id)
        .with_progress(month=month)
        .order_by()
        .values("light")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["light"]] = row["n"]
    return counts
