"""Workflow steps on projects and monthly reports; views, admin, API and tasks all call these."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from org.choices import Role

from .choices import COUNTED_REPORT_STATUSES, AdjustmentKind, ProjectStatus, ReportStatus
from .models import Adjustment, ProgressReport, ProgressValue, Project, Target


@dataclass(frozen=True)
class Decrease:
    """A cumulative value below an earlier month's (or above a later month's) counted value."""

    target: Target
    value: Decimal
    other_month: int
    other_value: Decimal

    @property
    def message(self) -> str:
        if self.value < self.other_value:
            return (
                f"“{self.target.name}”累计值{self.value.normalize():f}低于{self.other_month}月的"
                f"{self.other_value.normalize():f}"
            )
        return (
            f"“{self.target.name}”累计值{self.value.normalize():f}高于{self.other_month}月已报的"
            f"{self.other_value.normalize():f}"
        )


def find_decreases(project: Project, month: int, values: Mapping[int, Decimal]) -> list[Decrease]:
    """Cumulative values for `month` that fall below an earlier counted month or rise above a later one.

    `values` maps target ids to the proposed cumulative values. Two queries whatever the number of targets.
    """
    if not values:
        return []
    targets = {t.pk: t for t in Target.objects.filter(project=project, pk__in=values)}
    counted = (
        ProgressValue.objects.filter(
            target__in=targets, report__project=project, report__status__in=COUNTED_REPORT_STATUSES
        )
        .exclude(report__month=month)
        .values_list("target_id", "report__month", "value")
    )
    before: dict[int, tuple[int, Decimal]] = {}
    after: dict[int, tuple[int, Decimal]] = {}
    for target_id, other_month, other_value in counted:
        if other_month < month and (target_id not in before or other_month > before[target_id][0]):
            before[target_id] = (other_month, other_value)
        if other_month > month and (target_id not in after or other_month < after[target_id][0]):
            after[target_id] = (other_month, other_value)
    found = []
    for target_id, value in values.items():
        if target_id not in targets:
            continue
        if target_id in before and value < before[target_id][1]:
            found.append(Decrease(targets[target_id], value, *before[target_id]))
        elif target_id in after and value > after[target_id][1]:
            found.append(Decrease(targets[target_id], value, *after[target_id]))
    return found


def decrease_error(decreases: list[Decrease]) -> DomainError:
    return DomainError(
        "；".join(d.message for d in decreases) + "。累计数回落须在“更正说明”中写明原因。",
        code="cumulative_decreased",
        field="correction_reason",
    )


def _require_editor(actor, project: Project) -> None:
    """Staff of the project's region, or a filer of its lead unit, may write its reports."""
    if not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise PermissionDenied("您无权操作该项目。")
    if actor.is_superuser or actor.role == Role.STAFF:
        return
    if actor.role == Role.FILER and actor.unit_id == project.lead_unit_id:
        return
    raise PermissionDenied("只有牵头单位填报员或民生办工作人员可以填报和报送进展。")


def _require_staff(actor, project: Project) -> None:
    if not (actor.is_superuser or actor.role == Role.STAFF):
        raise PermissionDenied("只有民生办工作人员可以审核进展报告。")
    if not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise PermissionDenied("您无权操作该项目。")


def _parse_values(project: Project, values: Mapping) -> dict[int, Decimal]:
    own = set(project.targets.values_list("pk", flat=True))
    parsed = {}
    for key, raw in values.items():
        target_id = key.pk if isinstance(key, Target) else int(key)
        if target_id not in own:
            raise DomainError("指标不属于该项目。", code="foreign_target")
        try:
            value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise DomainError(f"“{raw}”不是有效的数字。", code="not_a_number") from None
        if not value.is_finite() or value < 0:
            raise DomainError("累计完成值须为非负数。", code="negative_value")
        parsed[target_id] = value
    return parsed


@transaction.atomic
def save_report(
    project: Project,
    month: int,
    *,
    actor,
    values: Mapping,
    investment_completed: Decimal | None = None,
    narrative: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
    correction_reason: str | None = None,
) -> ProgressReport:
    """Create or update the month's report as a draft (or keep it returned) with its cumulative values."""
    _require_editor(actor, project)
    if investment_completed is not None and investment_completed < 0:
        raise DomainError("累计完成投资不能为负数。", code="negative_value", field="investment_completed")
    if not 1 <= int(month) <= 12:
        raise DomainError("月份应在1到12之间。", code="invalid_month", field="month")
    report, _ = ProgressReport.objects.select_for_update().get_or_create(project=project, month=month)
    if not report.can_edit():
        raise InvalidTransition(f"该报告{report.get_status_display()}，不能修改。", code="report_locked")
    parsed = _parse_values(project, values)
    reason = report.correction_reason if correction_reason is None else correction_reason.strip()
    decreases = find_decreases(project, month, parsed)
    if decreases and not reason:
        raise decrease_error(decreases)
    for target_id, value in parsed.items():
        ProgressValue.objects.update_or_create(report=report, target_id=target_id, defaults={"value": value})
    changed = ["correction_reason", "updated_at"]
    report.correction_reason = reason
    for field, new in (
        ("investment_completed", investment_completed),
        ("narrative", narrative),
        ("problems", problems),
        ("next_steps", next_steps),
    ):
        if new is not None:
            setattr(report, field, new)
            changed.append(field)
    report.save(update_fields=changed)
    return report


def _lock(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_for_update().select_related("project").get(pk=report.pk)


@transaction.atomic
def submit_report(report: ProgressReport, *, actor) -> ProgressReport:
    """报送: a draft or returned report becomes a figure of record awaiting review."""
    report = _lock(report)
    _require_editor(actor, report.project)
    if not report.can_submit():
        raise InvalidTransition(f"该报告{report.get_status_display()}，不能报送。")
    values = dict(report.values.values_list("target_id", "value"))
    decreases = find_decreases(report.project, report.month, values)
    if decreases and not report.correction_reason.strip():
        raise decrease_error(decreases)
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.return_reason = ""
    report.save(update_fields=["status", "submitted_by", "submitted_at", "return_reason", "updated_at"])
    return report


@transaction.atomic
def accept_report(report: ProgressReport, *, actor) -> ProgressReport:
    """审核通过: the report is accepted and locked."""
    report = _lock(report)
    _require_staff(actor, report.project)
    if not report.can_review():
        raise InvalidTransition(f"该报告{report.get_status_display()}，只有已报送的报告可以审核。")
    report.status = ReportStatus.ACCEPTED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return report


@transaction.atomic
def return_report(report: ProgressReport, *, actor, reason: str) -> ProgressReport:
    """退回: the unit must correct and resubmit; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("退回报告必须说明原因。", code="reason_required", field="return_reason")
    report = _lock(report)
    _require_staff(actor, report.project)
    if not report.can_review():
        raise InvalidTransition(f"该报告{report.get_status_display()}，只有已报送的报告可以退回。")
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
    return report


@transaction.atomic
def record_adjustment(
    project: Project,
    *,
    actor,
    kind: str,
    reason: str,
    description: str,
    approved_by: str,
    approved_on: datetime.date,
    approval_document: str = "",
) -> Adjustment:
    """动态调整: recorded with its reason and approval; an approved withdrawal takes the project out."""
    _require_staff(actor, project)
    if not (reason or "").strip():
        raise DomainError("动态调整必须说明理由。", code="reason_required", field="reason")
    if not (approved_by or "").strip():
        raise DomainError("动态调整必须写明批准机关或会议。", code="approval_required", field="approved_by")
    project = Project.objects.select_for_update().get(pk=project.pk)
    adjustment = Adjustment.objects.create(
        project=project,
        kind=kind,
        reason=reason.strip(),
        description=description,
        approved_by=approved_by.strip(),
        approved_on=approved_on,
        approval_document=approval_document,
        recorded_by=actor,
    )
    if kind == AdjustmentKind.WITHDRAW and project.status != ProjectStatus.WITHDRAWN:
        project.status = ProjectStatus.WITHDRAWN
        project.save(update_fields=["status", "updated_at"])
    return adjustment
