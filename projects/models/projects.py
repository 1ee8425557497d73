"""Projects (民生实事项目) and their adjustments (动态调整)."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minsheng.encrypted import EncryptedCharField
from minsheng.fields import MoneyField
from org.access import Reach, RestrictedQuerySet

from ..choices import (
    AdjustmentKind,
    Category,
    ChangeType,
    ProjectLevel,
    ProjectStatus,
    ScheduleBasis,
)
from ..progress import ProjectProgressMixin
from .plans import Plan, ProjectPartQuerySet


class ProjectQuerySet(ProjectProgressMixin, RestrictedQuerySet):
    # Staff, leaders, auditors: their region and below; a filer: the projects the unit leads or cooperates on.
    reach = Reach(region="plan__region__path", units=("lead_unit", "cooperating_units"))


class Project(models.Model):
    """A livelihood project (民生实事项目) of a year's plan, with its responsible units and deadline."""

    if TYPE_CHECKING:
        # Annotated by `Project.objects.with_progress()` (projects/progress.py), not columns.
        as_of_month: int
        completion: Decimal | None
        expected: Decimal  # never null: as_of_month is always set
        lag: Decimal | None
        has_overdue_milestone: bool
        light: str
        latest_month: int | None
        latest_investment: Decimal | None
        investment_rate: Decimal | None
        # Annotated by the bulletin generator (bulletins/generator.py).
        latest_narrative: str | None
        # Set before saving for django-simple-history: the reason its historical row records.
        _change_reason: str

    plan = models.ForeignKey(Plan, verbose_name="年度计划", on_delete=models.PROTECT, related_name="projects")
    code = models.CharField("项目编号", max_length=40)
    sequence = models.PositiveSmallIntegerField("序号", default=0, help_text="在计划中的排列次序。")
    level = models.CharField("项目层级", max_length=10, choices=ProjectLevel.choices)
    parent_project = models.ForeignKey(
        "self",
        verbose_name="落实的上级项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implementations",
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name="上年度项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="继续实施、提标扩面或整合归并时所承接的上年度项目。",
    )
    change_type = models.CharField("与上年相比", max_length=10, choices=ChangeType.choices, blank=True)
    category = models.CharField("领域类别", max_length=20, choices=Category.choices)
    title = models.CharField("项目名称", max_length=200)
    content = models.TextField("建设内容", blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_projects"
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name="配合单位", blank=True, related_name="cooperating_projects"
    )
    responsible_leader = models.CharField("责任领导", max_length=100, blank=True)
    contact_person = EncryptedCharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedCharField("联系电话", max_length=30, blank=True)
    work_standard = models.TextField("工作标准", blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    upkeep_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="建后管养单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upkept_projects",
    )
    planned_investment = MoneyField(
        "年度计划投资（元）",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    schedule_basis = models.CharField(
        "序时进度依据", max_length=12, choices=ScheduleBasis.choices, default=ScheduleBasis.LINEAR
    )
    status = models.CharField(
        "状态", max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[cooperating_units])

    class Meta:
        verbose_name = "民生实事项目"
        verbose_name_plural = "民生实事项目"
        ordering = ["-plan__year", "plan__region__path", "sequence", "code"]
        constraints = [
            # A plan is unique per region and year, so this is "codes unique per year and region".
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="project_code_unique_in_plan",
                violation_error_message="该年度计划中已有相同编号的项目，项目编号在同一区划同一年度内不能重复。",
            ),
            models.CheckConstraint(
                condition=Q(planned_investment__isnull=True) | Q(planned_investment__gte=0),
                name="project_planned_investment_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["lead_unit", "plan"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def region(self):
        return self.plan.region

    def clean(self):
        errors = {}
        if self.parent_project_id and self.parent_project_id == self.pk:
            errors["parent_project"] = "项目不能落实它自己。"
        if self.plan_id and self.parent_project_id:
            parent = self.parent_project
            if parent.plan.year != self.plan.year:
                errors["parent_project"] = "上级项目须与本项目同一年度。"
            elif (
                not self.plan.region.is_within(parent.plan.region)
                or parent.plan.region_id == self.plan.region_id
            ):
                errors["parent_project"] = "上级项目须属于本区划的上级区划。"
        if self.plan_id and self.predecessor_id and self.predecessor.plan.year >= self.plan.year:
            errors["predecessor"] = "上年度项目须早于本项目所在年度。"
        if self.plan_id and self.deadline and self.deadline.year < self.plan.year:
            errors["deadline"] = "完成时限不能早于计划年度。"
        # A lead unit belongs to the plan's region, a region above it (a province bureau may lead) or below.
        if (
            self.plan_id
            and self.lead_unit_id
            and not self.plan.region.is_within(self.lead_unit.region)
            and not self.lead_unit.region.is_within(self.plan.region)
        ):
            errors["lead_unit"] = "牵头单位须属于本计划所在区划或其上下级区划。"
        if errors:
            raise ValidationError(errors)


class Adjustment(models.Model):
    """A recorded dynamic adjustment (动态调整) of a project, with its reason and approval."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField("调整类型", max_length=10, choices=AdjustmentKind.choices)
    reason = models.TextField("调整理由")
    description = models.TextField("调整内容", help_text="调整前后的情况。")
    approved_by = models.CharField("批准机关/会议", max_length=200)
    approval_document = models.CharField("批准文号", max_length=100, blank=True)
    approved_on = models.DateField("批准日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ProjectPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "动态调整"
        verbose_name_plural = "动态调整"
        ordering = ["project", "-approved_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="adjustment_has_reason",
                violation_error_message="动态调整必须说明理由。",
            ),
            models.CheckConstraint(
                condition=~Q(approved_by=""),
                name="adjustment_has_approval",
                violation_error_message="动态调整必须写明批准机关或会议。",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()} {self.approved_on}"
