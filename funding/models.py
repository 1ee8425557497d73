"""Funding of livelihood projects by source level: the planned split, the money entries, matching duties.

Money is Decimal in yuan. Each project has one `FundingSource` row per source level holding the planned
amount and the running totals of what arrived, was disbursed and was spent; the services in
`funding/services.py` move those totals under a row lock together with each `Entry`, and the database
refuses any row where spent > disbursed or disbursed > arrived. `checks.reconcile()` compares the totals
with the entries.
"""

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from simple_history.models import HistoricalRecords

from minsheng.fields import MoneyField
from projects.models import ProjectPartQuerySet

from .choices import EntryKind, SourceLevel


class Recorded(models.Model):
    """Who recorded a row and when (the history keeps every later change)."""

    if TYPE_CHECKING:
        # Set before saving for django-simple-history: the user its historical row names.
        _history_user: Any

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        abstract = True


class FundingSource(models.Model):
    """A project's money from one source level: the planned amount and the running totals of the year."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="funding_sources"
    )
    level = models.CharField("资金来源", max_length=10, choices=SourceLevel.choices)
    planned = MoneyField("计划金额（元）", default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])
    # Running totals, written only by funding.services (with the row locked), never by forms.
    arrived = MoneyField("已到位（元）", default=Decimal("0"), editable=False)
    disbursed = MoneyField("已拨付（元）", default=Decimal("0"), editable=False)
    spent = MoneyField("已支出（元）", default=Decimal("0"), editable=False)

    objects = ProjectPartQuerySet.as_manager()
    # The history follows the plan; totals move with every entry and each entry has its own history.
    history = HistoricalRecords(excluded_fields=["arrived", "disbursed", "spent"])

    class Meta:
        verbose_name = "分级资金"
        verbose_name_plural = "分级资金"
        ordering = ["project", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "level"],
                name="funding_source_unique_per_project_level",
                violation_error_message="该项目已有该来源层级的资金计划。",
            ),
            models.CheckConstraint(
                condition=Q(level__in=SourceLevel.values),
                name="funding_source_known_level",
                violation_error_message="未知的资金来源层级。",
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0, arrived__gte=0, disbursed__gte=0, spent__gte=0),
                name="funding_source_amounts_not_negative",
                violation_error_message="金额不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(disbursed__lte=F("arrived")),
                name="funding_source_disbursed_within_arrived",
                violation_error_message="已拨付资金不能超过已到位资金。",
            ),
            models.CheckConstraint(
                condition=Q(spent__lte=F("disbursed")),
                name="funding_source_spent_within_disbursed",
                violation_error_message="已支出资金不能超过已拨付资金。",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_level_display()}"


class PlanAdjustment(Recorded):
    """A recorded change of a project's planned split by source level, with its reason and approval."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="funding_adjustments"
    )
    reason = models.TextField("调整理由")
    approved_by = models.CharField("批准机关/会议", max_length=200, blank=True)
    approval_document = models.CharField("批准文号", max_length=100, blank=True)
    before = models.JSONField("调整前（元）", default=dict, help_text="来源层级 → 计划金额。")
    after = models.JSONField("调整后（元）", default=dict, help_text="来源层级 → 计划金额。")

    objects = ProjectPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "资金计划调整"
        verbose_name_plural = "资金计划调整"
        ordering = ["project", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="funding_adjustment_has_reason",
                violation_error_message="调整资金计划必须说明理由。",
            ),
        ]

    def __str__(self):
        return (
            f"{self.project.code} 资金计划调整 {self.recorded_at:%Y-%m-%d}"
            if self.recorded_at
            else "资金计划调整"
        )


class EntryQuerySet(ProjectPartQuerySet):
    def active(self) -> "EntryQuerySet":
        """Entries that count: not cancelled."""
        return self.filter(cancelled_at__isnull=True)


def entry_attachment_path(instance: "Entry", filename: str) -> str:
    return f"funding/{instance.date:%Y}/{instance.project_id}/{Path(filename).name}"


class Entry(Recorded):
    """One movement of a project's money from one source level: an arrival, a disbursement or a spending.

    Entries are never edited or deleted: a wrong one is cancelled (with a reason) and entered again.
    """

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="funding_entries"
    )
    kind = models.CharField("类型", max_length=12, choices=EntryKind.choices)
    level = models.CharField("资金来源", max_length=10, choices=SourceLevel.choices)
    amount = MoneyField("金额（元）", validators=[MinValueValidator(Decimal("0.01"))])
    date = models.DateField("日期")
    document_number = models.CharField("文号", max_length=100, blank=True, help_text="资金到位的文件文号。")
    recipient_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="拨付至（实施单位）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_received",
    )
    voucher = models.CharField("凭证号", max_length=100, blank=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    attachment = models.FileField("附件", upload_to=entry_attachment_path, max_length=300, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    cancelled_at = models.DateTimeField("作废时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.TextField("作废原因", blank=True)

    objects = EntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "资金流水"
        verbose_name_plural = "资金流水"
        ordering = ["project", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="funding_entry_amount_positive",
                violation_error_message="金额必须大于零。",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values),
                name="funding_entry_known_kind",
                violation_error_message="未知的资金流水类型。",
            ),
            models.CheckConstraint(
                condition=Q(level__in=SourceLevel.values),
                name="funding_entry_known_level",
                violation_error_message="未知的资金来源层级。",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.DISBURSEMENT) | Q(recipient_unit__isnull=False),
                name="funding_disbursement_has_recipient",
                violation_error_message="拨付必须写明拨付至哪个实施单位。",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""),
                name="funding_entry_cancel_has_reason",
                violation_error_message="作废必须说明原因。",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "kind", "date"], name="funding_entry_proj_kind_date"),
            models.Index(fields=["date"], name="funding_entry_date"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()} {self.get_level_display()} {self.amount}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class MatchingQuerySet(ProjectPartQuerySet):
    def with_arrived(self, as_of=None) -> "MatchingQuerySet":
        """Annotate `arrived_by_due` (arrivals of the project and level up to the deadline) and, with
        `as_of`, `arrived_to_date` (up to that day) and `shortfall` (amount - arrived_by_due, at least 0)."""

        def arrived(until):
            return Coalesce(
                Subquery(
                    Entry.objects.active()
                    .filter(project=OuterRef("project"), level=OuterRef("level"), kind=EntryKind.ARRIVAL)
                    .filter(date__lte=until)
                    .values("project")
                    .annotate(total=Sum("amount"))
                    .values("total")
                ),
                Decimal("0"),
                output_field=MoneyField(),
            )

        queryset = self.annotate(arrived_by_due=arrived(OuterRef("due_date")))
        if as_of is not None:
            queryset = queryset.annotate(arrived_to_date=arrived(as_of))
        return queryset.annotate(shortfall=Greatest(F("amount") - F("arrived_by_due"), Decimal("0")))


class MatchingObligation(models.Model):
    """A matching-fund duty (配套资金): a level must put in an amount for a project by a deadline."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="matching_obligations"
    )
    level = models.CharField("配套层级", max_length=10, choices=SourceLevel.choices)
    amount = MoneyField("应配套金额（元）", validators=[MinValueValidator(Decimal("0.01"))])
    due_date = models.DateField("到位期限")
    basis = models.CharField("依据", max_length=200, blank=True, help_text="如文件名称和文号。")

    objects = MatchingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "配套资金要求"
        verbose_name_plural = "配套资金要求"
        ordering = ["due_date", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "level", "due_date"],
                name="funding_matching_unique",
                violation_error_message="该项目该层级在该期限已有配套要求。",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="funding_matching_amount_positive",
                violation_error_message="配套金额必须大于零。",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_level_display()}配套 {self.due_date:%Y-%m-%d}前"
