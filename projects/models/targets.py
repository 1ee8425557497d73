"""Quantified targets (指标) and milestones of a project."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minsheng.fields import FigureField, RateField

from ..progress import TargetProgressMixin
from .plans import ProjectPartQuerySet
from .projects import Project


class TargetQuerySet(TargetProgressMixin, ProjectPartQuerySet):
    pass


class Target(models.Model):
    """A quantified annual target (指标) of a project, with the unit whose figure is authoritative."""

    if TYPE_CHECKING:
        # Annotated by `Target.objects.with_progress()` (projects/progress.py), not columns.
        as_of_month: int
        value: Decimal | None
        completion: Decimal | None
        expected: Decimal  # never null: as_of_month is always set
        lag: Decimal | None
        # Set before saving for django-simple-history: the reason its historical row records.
        _change_reason: str

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="targets"
    )
    sequence = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("指标名称", max_length=200)
    measure = models.CharField("计量单位", max_length=20, help_text="如 人、所、个、万平方米、公里、%、元。")
    annual_target = FigureField("年度目标", validators=[MinValueValidator(Decimal("0"))])
    weight = models.DecimalField(
        "权重",
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="计算项目总体完成率时本指标所占权重。",
    )
    authoritative_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="数据权威单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authoritative_targets",
        help_text="数据不一致时以该单位的数据为准。",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "量化指标"
        verbose_name_plural = "量化指标"
        ordering = ["project", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="target_name_unique_in_project",
                violation_error_message="同一项目中指标名称不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(annual_target__gte=0),
                name="target_annual_not_negative",
                violation_error_message="年度目标不能为负数。",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="target_weight_positive"),
        ]

    def __str__(self):
        return f"{self.name}（{self.annual_target.normalize():f}{self.measure}）"


class Milestone(models.Model):
    """A milestone (节点) of a project with its planned and actual dates and its share of the plan."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    sequence = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("节点名称", max_length=200)
    planned_date = models.DateField("计划完成日期")
    actual_date = models.DateField("实际完成日期", null=True, blank=True)
    planned_progress = RateField(
        "计划累计进度",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="到此节点应完成的全年任务比例（0-1），用于按节点计划计算序时进度。",
    )

    objects = ProjectPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["project", "planned_date", "sequence"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_progress__isnull=True)
                | Q(planned_progress__gte=0, planned_progress__lte=1),
                name="milestone_progress_is_fraction",
                violation_error_message="计划累计进度应在0到1之间。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.planned_date:%Y-%m-%d}）"
