"""A region's yearly plan (年度计划) and the querysets every project-owned record shares."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minsheng.fields import RateField
from org.access import Reach, RestrictedQuerySet


class PlanQuerySet(RestrictedQuerySet):
    # A filer sees the plans holding the unit's projects (as lead or cooperating unit).
    reach = Reach(region="region__path", units=("projects__lead_unit", "projects__cooperating_units"))


class ProjectPartQuerySet(RestrictedQuerySet):
    """Records that belong to a project are visible exactly when their project is."""

    reach = Reach(via="project")


class Plan(models.Model):
    """The year's plan of livelihood projects of one region (e.g. 2016年临沂市十件民生大事)."""

    if TYPE_CHECKING:
        # Set before saving for django-simple-history: the reason its historical row records.
        _change_reason: str

    region = models.ForeignKey(
        "org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField("计划名称", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    reporting_month = models.PositiveSmallIntegerField(
        "统计截至月份",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="留空则按当前日期：当年取上月，往年取12月。已结束的年度可固定在最后一次调度的月份。",
    )
    lag_yellow = RateField(
        "黄灯阈值",
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="滞后超过此比例（相对序时进度，如0.05表示5个百分点）亮黄灯；0表示稍有滞后即为黄灯。",
    )
    lag_red = RateField(
        "红灯阈值",
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="滞后超过此比例亮红灯（如0.10表示落后序时进度10个百分点）。",
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="plan_unique_per_region_year",
                violation_error_message="该区划该年度的计划已存在。",
            ),
            models.CheckConstraint(
                condition=Q(lag_red__gte=models.F("lag_yellow")),
                name="plan_red_threshold_not_below_yellow",
                violation_error_message="红灯阈值不能小于黄灯阈值。",
            ),
            models.CheckConstraint(
                condition=Q(reporting_month__isnull=True)
                | Q(reporting_month__gte=1, reporting_month__lte=12),
                name="plan_reporting_month_in_range",
            ),
        ]

    def __str__(self):
        return self.name
