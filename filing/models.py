"""Monthly filing by units through plain web forms, outside the admin (issue 5): the filing window."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from org.access import Reach, RestrictedQuerySet
from projects import periods
from projects.models import Plan


def default_due_day() -> int:
    """A new window's due day: the default of plans without one (projects.periods; migrations name this)."""
    return periods.default_due_day()


def default_remind_before() -> int:
    return getattr(settings, "MINSHENG_FILING_REMIND_BEFORE_DAYS", 3)


def default_remind_after() -> int:
    return getattr(settings, "MINSHENG_FILING_REMIND_AFTER_DAYS", 1)


class FilingWindowQuerySet(RestrictedQuerySet):
    reach = Reach(via="plan")


class FilingWindow(models.Model):
    """A plan's own filing window: the report of month m is due on day N of month m+1, with reminders."""

    plan = models.OneToOneField(
        Plan, verbose_name="年度计划", on_delete=models.CASCADE, related_name="filing_window"
    )
    due_day = models.PositiveSmallIntegerField(
        "截止日",
        default=default_due_day,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="某月进展须在次月的这一天（含）之前报送，如5表示次月5日。",
    )
    remind_before_days = models.PositiveSmallIntegerField(
        "提前提醒天数",
        default=default_remind_before,
        validators=[MaxValueValidator(27)],
        help_text="截止日前几天提醒尚未报送的单位；0表示不提前提醒。",
    )
    remind_after_days = models.PositiveSmallIntegerField(
        "逾期提醒天数",
        default=default_remind_after,
        validators=[MaxValueValidator(27)],
        help_text="截止日后第几天提醒仍未报送的单位；0表示不发逾期提醒。",
    )

    objects = FilingWindowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "填报时限"
        verbose_name_plural = "填报时限"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_day__gte=1, due_day__lte=28), name="filing_due_day_in_month"
            ),
        ]

    def __str__(self):
        return f"{self.plan}：次月{self.due_day}日前报送"
