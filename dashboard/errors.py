"""The codes of the dashboard app's domain errors (its query parameters)."""

from django.db import models


class DashboardErrorCode(models.TextChoices):
    """Why a dashboard request's parameters were refused."""

    INVALID_FILTER = "invalid_filter", "筛选条件有误"
