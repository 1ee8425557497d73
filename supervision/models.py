"""Supervision (督查督办): alerts raised by the daily scan, 督办单 with staged deadlines, problems and their
rectification, and inspections (明查暗访)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minsheng.encrypted import EncryptedCharField
from minsheng.uploads import upload_problem
from org.access import Reach, RestrictedQuerySet
from org.models import Unit
from projects.choices import AttachmentKind
from projects.models import ATTACHMENT_EXTENSIONS, Project

from .choices import (
    OPEN_PROBLEM_STATUSES,
    AlertKind,
    AlertStatus,
    InspectionKind,
    OrderStatus,
    ProblemSource,
    ProblemStatus,
    Severity,
    Stage,
)

# Stage → (due field, done field) of a 督办单.
STAGE_FIELDS = {
    Stage.ACKNOWLEDGE: ("acknowledge_due", "acknowledged_at"),
    Stage.FEEDBACK: ("feedback_due", "fed_back_at"),
    Stage.SETTLE: ("settle_due", "settled_at"),
    Stage.REPORT: ("report_due", "reported_at"),
}


class AlertQuerySet(RestrictedQuerySet):
    reach = Reach(region="project__plan__region__path", units=("unit",))

    def open(self):
        return self.filter(status=AlertStatus.OPEN)


class Alert(models.Model):
    """An alert the daily scan raised for one cause (a lagging project, an overdue milestone, a missing
    monthly report, funds 滞留). At most one open alert per cause (a partial unique index); it closes
    itself when a later scan no longer finds the cause."""

    kind = models.CharField("类型", max_length=12, choices=AlertKind.choices)
    cause_key = models.CharField("原因标识", max_length=100, help_text="同一原因只有一条未解除的预警。")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="alerts"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="alerts"
    )
    milestone = models.ForeignKey(
        "projects.Milestone",
        verbose_name="时间节点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    detail = models.CharField("情况", max_length=300)
    status = models.CharField("状态", max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField("预警时间")
    closed_at = models.DateTimeField("解除时间", null=True, blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cause_key"],
                condition=Q(status=AlertStatus.OPEN),
                name="alert_one_open_per_cause",
                violation_error_message="同一原因已有未解除的预警。",
            ),
            models.CheckConstraint(
                condition=Q(status=AlertStatus.OPEN, closed_at__isnull=True)
                | Q(status=AlertStatus.CLOSED, closed_at__isnull=False),
                name="alert_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["kind", "status"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.detail}"


class OrderQuerySet(RestrictedQuerySet):
    reach = Reach(region="unit__region__path", units=("unit",))

    def open(self):
        return self.exclude(status=OrderStatus.CLOSED)

    def overdue(self):
        """Open orders with a missed stage (escalated at least once): the board's and the workbench's 超期."""
        return self.open().filter(escalation_level__gt=0)


class SupervisionOrder(models.Model):
    """A 督办单: the office asks a unit to act on a project or a problem, with four staged deadlines."""

    region = models.ForeignKey(
        "org.Region", verbose_name="督办机关所在区划", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    unit = models.ForeignKey(
        "org.Unit", verbose_name="承办单位", on_delete=models.PROTECT, related_name="supervision_orders"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    problem = models.ForeignKey(
        "Problem",
        verbose_name="问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    alert = models.ForeignKey(
        Alert, verbose_name="预警", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("督办事项", max_length=200)
    requirement = models.TextField("督办要求")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("签发时间")
    acknowledge_due = models.DateTimeField("签收部署时限")
    feedback_due = models.DateTimeField("反馈进展时限")
    settle_due = models.DateTimeField("办理落实时限")
    report_due = models.DateTimeField("报告结果时限")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    fed_back_at = models.DateTimeField("反馈时间", null=True, blank=True)
    settled_at = models.DateTimeField("落实时间", null=True, blank=True)
    reported_at = models.DateTimeField("报告结果时间", null=True, blank=True)
    status = models.CharField("状态", max_length=14, choices=OrderStatus.choices, default=OrderStatus.ISSUED)
    escalation_level = models.PositiveSmallIntegerField("升级次数", default=0)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closing_note = models.TextField("办结意见", blank=True)

    objects = OrderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "serial"], name="order_number_unique"),
            models.CheckConstraint(
                condition=Q(acknowledge_due__lte=models.F("feedback_due"))
                & Q(feedback_due__lte=models.F("settle_due"))
                & Q(settle_due__lte=models.F("report_due")),
                name="order_stages_in_sequence",
                violation_error_message="各阶段时限须依次不早于前一阶段。",
            ),
            models.CheckConstraint(
                condition=~Q(status=OrderStatus.CLOSED) | Q(closed_at__isnull=False),
                name="order_closed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def authors(self) -> set[int]:
        """Who answered the order's stages: none of them closes it (the four-eyes rule)."""
        return set(self.responses.exclude(author=None).values_list("author_id", flat=True))

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.serial}号"

    def due(self, stage) -> "models.DateTimeField":
        return getattr(self, STAGE_FIELDS[Stage(stage)][0])

    def done_at(self, stage):
        return getattr(self, STAGE_FIELDS[Stage(stage)][1])

    def next_stage(self) -> Stage | None:
        """The first stage the unit has not answered yet; None once all four are answered."""
        for stage in Stage:
            if self.done_at(stage) is None:
                return stage
        return None

    def can_close(self) -> bool:
        return self.status != OrderStatus.CLOSED


class OrderResponseQuerySet(RestrictedQuerySet):
    reach = Reach(via="order")


class OrderResponse(models.Model):
    """A unit's answer to one stage of a 督办单 (签收, 反馈, 落实, 结果)."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name="督办单", on_delete=models.CASCADE, related_name="responses"
    )
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices)
    text = models.TextField("办理情况")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填写人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("填写时间")

    objects = OrderResponseQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办回复"
        verbose_name_plural = "督办回复"
        ordering = ["order", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["order", "stage"], name="order_response_one_per_stage"),
        ]

    def __str__(self):
        return f"{self.order.number} {self.get_stage_display()}"


class EscalationQuerySet(RestrictedQuerySet):
    reach = Reach(via="order")


class Escalation(models.Model):
    """A missed stage of a 督办单, recorded once (unique per order and stage) by the escalation task."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name="督办单", on_delete=models.CASCADE, related_name="escalations"
    )
    stage = models.CharField("超期阶段", max_length=12, choices=Stage.choices)
    due_at = models.DateTimeField("时限")
    escalated_at = models.DateTimeField("升级时间")

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = "督办升级"
        verbose_name_plural = "督办升级"
        ordering = ["order", "due_at"]
        constraints = [
            models.UniqueConstraint(fields=["order", "stage"], name="escalation_once_per_stage"),
        ]

    def __str__(self):
        return f"{self.order.number} {self.get_stage_display()}超期"


class ProblemQuerySet(RestrictedQuerySet):
    reach = Reach(region="unit__region__path", units=("unit",))

    def open(self):
        return self.filter(status__in=OPEN_PROBLEM_STATUSES)


class Problem(models.Model):
    """A problem found by an inspection, a report, an alert, an observer or the public (问题清单)."""

    source = models.CharField("来源", max_length=12, choices=ProblemSource.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="problems"
    )
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.MINOR)
    status = models.CharField(
        "状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    found_on = models.DateField("发现日期")
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name="督查活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    alert = models.ForeignKey(
        Alert, verbose_name="预警", null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    reporter_name = EncryptedCharField(
        "反映人", max_length=100, blank=True, help_text="民生观察员或群众的姓名（可不填）。"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)

    objects = ProblemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="problem_has_description"),
            models.CheckConstraint(
                condition=~Q(source=ProblemSource.INSPECTION) | Q(inspection__isnull=False),
                name="problem_from_inspection_names_it",
                violation_error_message="来源为明查暗访的问题须关联督查活动。",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        text = self.description if len(self.description) <= 30 else self.description[:30] + "…"
        return f"[{self.get_severity_display()}] {text}"


class RectificationQuerySet(RestrictedQuerySet):
    reach = Reach(region="problem__unit__region__path", units=("problem__unit",))


class Rectification(models.Model):
    """A problem's rectification (整改清单): the unit's measures, deadline, result and evidence, and a
    verified close by someone outside the unit."""

    problem = models.OneToOneField(
        Problem, verbose_name="问题", on_delete=models.CASCADE, related_name="rectification"
    )
    measures = models.TextField("整改措施")
    deadline = models.DateField("整改时限")
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    result = models.TextField("整改结果", blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改措施填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送核验时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    verification_note = models.TextField("核验意见", blank=True)

    objects = RectificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改清单"
        ordering = ["deadline", "pk"]

    def __str__(self):
        return f"整改：{self.problem}"

    def authors(self) -> set[int]:
        """Who did the work a verifier judges (the four-eyes rule): who planned it and who submitted it."""
        return {pk for pk in (self.planned_by_id, self.submitted_by_id) if pk is not None}


def _check_upload(file, kind=AttachmentKind.PHOTO) -> int:
    """The report attachments' rule (minsheng/uploads.py: type, size, content) for evidence (a photo or
    a document) and photos; returns the size. A stored file was checked when it came in."""
    if getattr(file, "_committed", False):
        return file.size
    allowed = ATTACHMENT_EXTENSIONS[kind]
    if kind == AttachmentKind.DOCUMENT:
        allowed = allowed | ATTACHMENT_EXTENSIONS[AttachmentKind.PHOTO]
    problem = upload_problem(file, allowed)
    if problem:
        raise ValidationError({"file": problem})
    return file.size


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"supervision/evidence/{instance.rectification.problem_id}/{Path(filename).name}"


class EvidenceQuerySet(RestrictedQuerySet):
    reach = Reach(via="rectification")


class Evidence(models.Model):
    """A file that shows a rectification was done (photo or document)."""

    rectification = models.ForeignKey(
        Rectification, verbose_name="整改", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=300)
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

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"
        ordering = ["rectification", "uploaded_at"]

    def __str__(self):
        return self.caption or Path(self.file.name).name

    def clean(self):
        if self.file:
            self.size = _check_upload(self.file, AttachmentKind.DOCUMENT)


class InspectionQuerySet(RestrictedQuerySet):
    # Inspections (暗访 above all) are the office's own records: units see only the problems found.
    reach = Reach(region="region__path")


class Inspection(models.Model):
    """A 明查 or 暗访: when, by whom, which projects were seen; each finding becomes a Problem."""

    kind = models.CharField("方式", max_length=12, choices=InspectionKind.choices)
    region = models.ForeignKey("org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    title = models.CharField("名称", max_length=200)
    inspectors = models.CharField("督查人员", max_length=300, help_text="姓名，以顿号分隔。")
    projects = models.ManyToManyField(
        "projects.Project", verbose_name="查看的项目", blank=True, related_name="inspections"
    )
    summary = models.TextField("督查情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        verbose_name = "明查暗访"
        verbose_name_plural = "明查暗访"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.title}"


def photo_path(instance: "InspectionPhoto", filename: str) -> str:
    return f"supervision/inspections/{instance.inspection_id}/{Path(filename).name}"


class InspectionPhotoQuerySet(RestrictedQuerySet):
    reach = Reach(via="inspection")


class InspectionPhoto(models.Model):
    """A photo taken during an inspection."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="督查活动", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField("照片", upload_to=photo_path, max_length=300)
    caption = models.CharField("说明", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = InspectionPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = "督查照片"
        verbose_name_plural = "督查照片"
        ordering = ["inspection", "uploaded_at"]

    def __str__(self):
        return self.caption or Path(self.file.name).name

    def clean(self):
        if self.file:
            self.size = _check_upload(self.file, AttachmentKind.PHOTO)


# The task list, the responsibility list and the accountability record are views of projects and units,
# not records of their own: proxies give them their own admin lists and exports.


class TaskItem(Project):
    """任务清单: a project seen as a task (content, targets, standard, deadline)."""

    class Meta:
        proxy = True
        verbose_name = "任务"
        verbose_name_plural = "任务清单"


class ResponsibilityItem(Project):
    """责任清单: a project seen through who answers for it."""

    class Meta:
        proxy = True
        verbose_name = "责任"
        verbose_name_plural = "责任清单"


class UnitAccountability(Unit):
    """问责记录: a unit with its missed deadlines, returned reports and open problems of a year."""

    class Meta:
        proxy = True
        verbose_name = "单位问责记录"
        verbose_name_plural = "问责记录（年终考核）"
