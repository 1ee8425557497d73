"""Monthly progress reports: values, cooperating units' contributions, revisions and attachments."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minsheng.fields import FigureField, MoneyField
from org.access import Reach, RestrictedQuerySet

from ..choices import (
    AttachmentKind,
    ReportStatus,
)
from ..periods import cumulative_label
from ..uploads import upload_error
from .plans import ProjectPartQuerySet
from .projects import Project
from .targets import Target


class ReportPartQuerySet(RestrictedQuerySet):
    reach = Reach(via="report__project")


class ContributionPartQuerySet(RestrictedQuerySet):
    reach = Reach(via="contribution__report__project")


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

    def authors(self) -> set[int]:
        """Who did the work a reviewer judges (the four-eyes rule): the user who submitted it."""
        return {pk for pk in (self.submitted_by_id,) if pk is not None}

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
        # Only a new upload is checked (type, size, content); a stored file was checked when it came in.
        error = upload_error(self.file, self.kind) if not self.file._committed else None
        if error:
            raise ValidationError({"file": error})
        self.size = self.file.size
