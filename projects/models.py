"""A region's yearly plan of livelihood projects, their targets, milestones and monthly progress reports."""

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minsheng.fields import FigureField, MoneyField, RateField
from org.access import Reach, RestrictedQuerySet

from .choices import (
    AdjustmentKind,
    AttachmentKind,
    Category,
    ChangeType,
    ProjectLevel,
    ProjectStatus,
    ReportStatus,
    ScheduleBasis,
)
from .periods import cumulative_label
from .progress import ProjectProgressMixin, TargetProgressMixin

# ATTACHMENT_EXTENSIONS is imported from here by proposals (its attachments follow the same types).
from .uploads import ATTACHMENT_EXTENSIONS, read_head, upload_error  # noqa: F401


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
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
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


class TargetQuerySet(TargetProgressMixin, ProjectPartQuerySet):
    pass


class ReportPartQuerySet(RestrictedQuerySet):
    reach = Reach(via="report__project")


class ContributionPartQuerySet(RestrictedQuerySet):
    reach = Reach(via="contribution__report__project")


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


class ProgressReport(models.Model):
    """A project's monthly progress report (月报); figures are cumulative for the year (1-m月)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="reports"
    )
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    investment_completed = MoneyField(
        "累计完成投资（元）", null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    narrative = models.TextField("进展情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    correction_reason = models.TextField("更正说明", blank=True, help_text="累计数低于上月时必须说明原因。")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    revision = models.PositiveSmallIntegerField(
        "更正次数", default=0, editable=False, help_text="审核通过后每更正一次加一，见更正记录。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "月度进展报告"
        verbose_name_plural = "月度进展报告"
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="report_one_per_project_month",
                violation_error_message="该项目该月份的进展报告已存在。",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="report_month_in_range",
                violation_error_message="月份应在1到12之间。",
            ),
            models.CheckConstraint(
                condition=Q(investment_completed__isnull=True) | Q(investment_completed__gte=0),
                name="report_investment_not_negative",
                violation_error_message="累计完成投资不能为负数。",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_reason=""),
                name="report_returned_has_reason",
                violation_error_message="退回报告必须说明原因。",
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["project", "status", "month"])]

    def __str__(self):
        return f"{self.project.code} {self.project.plan.year}年{self.period_label}"

    @property
    def period_label(self) -> str:
        return cumulative_label(self.month)

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    def can_edit(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def can_submit(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def can_review(self) -> bool:
        return self.status == ReportStatus.SUBMITTED


class ProgressValue(models.Model):
    """The cumulative value of one target in one monthly report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="values"
    )
    target = models.ForeignKey(Target, verbose_name="指标", on_delete=models.CASCADE, related_name="values")
    value = FigureField("累计完成值", validators=[MinValueValidator(Decimal("0"))])

    objects = ReportPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标完成值"
        verbose_name_plural = "指标完成值"
        ordering = ["report", "target__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "target"],
                name="value_one_per_report_target",
                violation_error_message="同一报告中每个指标只能填报一个值。",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="value_not_negative",
                violation_error_message="累计完成值不能为负数。",
            ),
        ]
        indexes = [models.Index(fields=["target", "report"])]

    def __str__(self):
        return f"{self.target.name}: {self.value.normalize():f}"

    def clean(self):
        if self.report_id and self.target_id and self.target.project_id != self.report.project_id:
            raise ValidationError({"target": "指标不属于该报告的项目。"})


class ReportContribution(models.Model):
    """A cooperating unit's part of a monthly report (配合单位报送): its own figures and narrative."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="contributions"
    )
    unit = models.ForeignKey("org.Unit", verbose_name="配合单位", on_delete=models.PROTECT, related_name="+")
    investment_completed = MoneyField(
        "累计完成投资（元）", null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    narrative = models.TextField("进展情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ReportPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "配合单位报送"
        verbose_name_plural = "配合单位报送"
        ordering = ["report", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "unit"],
                name="contribution_one_per_report_unit",
                violation_error_message="该配合单位本月已有报送内容。",
            ),
            models.CheckConstraint(
                condition=Q(investment_completed__isnull=True) | Q(investment_completed__gte=0),
                name="contribution_investment_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.report} · {self.unit}"


class ContributionValue(models.Model):
    """A cooperating unit's own cumulative value of one target in its part of a report."""

    contribution = models.ForeignKey(
        ReportContribution, verbose_name="配合单位报送", on_delete=models.CASCADE, related_name="values"
    )
    target = models.ForeignKey(Target, verbose_name="指标", on_delete=models.CASCADE, related_name="+")
    value = FigureField("累计完成值", validators=[MinValueValidator(Decimal("0"))])

    objects = ContributionPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "配合单位指标值"
        verbose_name_plural = "配合单位指标值"
        ordering = ["contribution", "target__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "target"], name="contribution_value_one_per_target"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="contribution_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.target.name}: {self.value.normalize():f}"


class ReportRevision(models.Model):
    """A recorded correction of an accepted report: who, why, and the figures as they were before."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField("更正序号")
    reason = models.TextField("更正原因")
    previous = models.JSONField("更正前内容", default=dict, help_text="更正前的指标值、投资和文字。")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("更正时间", auto_now_add=True)

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        verbose_name = "报告更正记录"
        verbose_name_plural = "报告更正记录"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="revision_number_unique_in_report"),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="revision_has_reason",
                violation_error_message="更正必须说明原因。",
            ),
        ]

    def __str__(self):
        return f"{self.report} 第{self.number}次更正"


def attachment_path(instance: "ReportAttachment", filename: str) -> str:
    report = instance.report
    return f"reports/{report.project.plan.year}/{report.project_id}/{report.month:02d}/{Path(filename).name}"


class ReportAttachment(models.Model):
    """A photo or document attached to a monthly report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("类型", max_length=10, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    caption = models.CharField("说明", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ReportPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["report", "uploaded_at"]

    def __str__(self):
        return self.caption or Path(self.file.name).name

    def clean(self):
        if not self.file:
            return
        # Content is sniffed only for a new upload; a stored file was checked when it came in.
        head = read_head(self.file) if not self.file._committed else None
        error = upload_error(self.file.name, self.file.size, self.kind, head)
        if error:
            raise ValidationError({"file": error})
        self.size = self.file.size
