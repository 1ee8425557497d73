"""Workflow steps on projects and monthly reports; views, admin, API and tasks all call these."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from minsheng.errors import CommonErrorCode, DomainError, InvalidTransition
from notifications.services import notify
from org import access

from .choices import COUNTED_REPORT_STATUSES, AdjustmentKind, ProjectStatus, ReportStatus
from .errors import ProjectsErrorCode
from .models import (
    Adjustment,
    ContributionValue,
    ProgressReport,
    ProgressValue,
    Project,
    ReportAttachment,
    ReportContribution,
    ReportRevision,
    Target,
)
from .uploads import check_upload


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
        code=ProjectsErrorCode.CUMULATIVE_DECREASED,
        field="correction_reason",
    )


def _require_editor(actor, project: Project) -> None:
    """Staff of the project's region, or a filer of its lead unit, may write its reports."""
    access.require("see", actor, project, message="您无权操作该项目。")
    access.require(
        "write_report", actor, project, message="只有牵头单位填报员或民生办工作人员可以填报和报送进展。"
    )


def _require_contributor(actor, project: Project) -> None:
    """A filer of one of the project's cooperating units may write that unit's part of its reports."""
    access.require("see", actor, project, message="您无权操作该项目。")
    access.require("cooperate", actor, project, message="只有配合单位的填报员可以填报配合单位的内容。")


def _require_past_or_current(project: Project, month: int) -> None:
    """Figures are cumulative to the end of a month: a month that has not begun cannot be reported."""
    if not 1 <= int(month) <= 12:
        raise DomainError("月份应在1到12之间。", code=CommonErrorCode.INVALID_MONTH, field="month")
    today = timezone.localdate()
    if (project.plan.year, int(month)) > (today.year, today.month):
        raise DomainError(
            f"{project.plan.year}年{int(month)}月尚未到来，不能填报未来月份的进展。",
            code=ProjectsErrorCode.FUTURE_MONTH,
            field="month",
        )


def unit_filers(unit_ids) -> list:
    """The active filers of these units: whom reminders and review outcomes are sent to."""
    return list(access.unit_filers(unit_ids))


def region_staff(region_id) -> list:
    """The active 民生办 staff of a region: whom submitted reports are announced to."""
    return list(access.region_staff([region_id]))


def report_url(report: ProgressReport) -> str:
    """Where a unit files (and staff review) the report: the filing page."""
    return reverse("filing:report", kwargs={"pk": report.project_id, "month": report.month})


def _require_staff(actor, project: Project) -> None:
    access.require("edit", actor, message="只有民生办工作人员可以审核进展报告。")
    access.require("see", actor, project, message="您无权操作该项目。")


def _parse_values(project: Project, values: Mapping) -> dict[int, Decimal]:
    own = set(project.targets.values_list("pk", flat=True))
    parsed = {}
    for key, raw in values.items():
        target_id = key.pk if isinstance(key, Target) else int(key)
        if target_id not in own:
            raise DomainError("指标不属于该项目。", code=ProjectsErrorCode.FOREIGN_TARGET)
        try:
            value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise DomainError(f"“{raw}”不是有效的数字。", code=CommonErrorCode.NOT_A_NUMBER) from None
        if not value.is_finite() or value < 0:
            raise DomainError("累计完成值须为非负数。", code=ProjectsErrorCode.NEGATIVE_VALUE)
        parsed[target_id] = value
    return parsed


@transaction.atomic
def save_report(
    project: Project,
    month: int,
    *,
    actor,
    values: Mapping,
    removed: Iterable = (),
    investment_completed: Decimal | None = None,
    narrative: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
    correction_reason: str | None = None,
    clear_investment: bool = False,
) -> ProgressReport:
    """Create or update the month's report as a draft (or keep it returned) with its cumulative values;
    `removed`: targets (or their ids) whose value is taken out of the report. A field given as None is left
    as it is; `clear_investment` empties 累计完成投资 (the admin's form emptied it)."""
    _require_editor(actor, project)
    if investment_completed is not None and investment_completed < 0:
        raise DomainError(
            "累计完成投资不能为负数。", code=ProjectsErrorCode.NEGATIVE_VALUE, field="investment_completed"
        )
    _require_past_or_current(project, month)
    report = _editable_report(project, month)
    parsed = _parse_values(project, values)
    reason = report.correction_reason if correction_reason is None else correction_reason.strip()
    decreases = find_decreases(project, month, parsed)
    if decreases and not reason:
        raise decrease_error(decreases)
    for target_id, value in parsed.items():
        ProgressValue.objects.update_or_create(report=report, target_id=target_id, defaults={"value": value})
    removed_ids = {key.pk if isinstance(key, Target) else int(key) for key in removed} - set(parsed)
    if removed_ids:
        report.values.filter(target_id__in=removed_ids).delete()
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
    if clear_investment and investment_completed is None:
        report.investment_completed = None
        changed.append("investment_completed")
    report.save(update_fields=changed)
    return report


def _editable_report(project: Project, month: int) -> ProgressReport:
    """The month's report, locked, created as a draft when missing; refused once submitted or accepted."""
    report, _ = ProgressReport.objects.select_for_update().get_or_create(project=project, month=month)
    if not report.can_edit():
        raise InvalidTransition(
            f"该报告{report.get_status_display()}，不能修改。", code=ProjectsErrorCode.REPORT_LOCKED
        )
    return report


def _version(report: ProgressReport) -> int:
    """The id of the report's latest recorded version: one event key per submission or return."""
    return report.history.values_list("history_id", flat=True).first()


def _lock(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_for_update().select_related("project").get(pk=report.pk)


LOCKED_REPORT_MESSAGE = "已采纳的报告已锁定，不能删除；如需更正，请提交更正并说明原因，更正记录将留存。"


@transaction.atomic
def delete_report(report: ProgressReport, *, actor) -> None:
    """Delete a draft or returned report; an accepted (locked) or submitted one is never deleted: accepted
    figures are corrected by a recorded revision, submitted ones are returned by the 民生办 first."""
    report = _lock(report)
    _require_editor(actor, report.project)
    if report.is_locked:
        raise InvalidTransition(LOCKED_REPORT_MESSAGE, code=ProjectsErrorCode.REPORT_LOCKED)
    if not report.can_edit():
        raise InvalidTransition(
            f"该报告{report.get_status_display()}，不能删除；如有错误，请民生办退回后修改。",
            code=ProjectsErrorCode.REPORT_NOT_DELETABLE,
        )
    files = [a.file for a in report.attachments.all()]
    report.delete()

    def delete_files() -> None:
        for file in files:
            file.delete(save=False)

    transaction.on_commit(delete_files)


@transaction.atomic
def submit_report(report: ProgressReport, *, actor) -> ProgressReport:
    """报送: a draft or returned report becomes a figure of record awaiting review."""
    report = _lock(report)
    _require_editor(actor, report.project)
    if not report.can_submit():
        raise InvalidTransition(f"该报告{report.get_status_display()}，不能报送。")
    _require_past_or_current(report.project, report.month)
    values = dict(report.values.values_list("target_id", "value"))
    decreases = find_decreases(report.project, report.month, values)
    if decreases and not report.correction_reason.strip():
        raise decrease_error(decreases)
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.return_reason = ""
    report.save(update_fields=["status", "submitted_by", "submitted_at", "return_reason", "updated_at"])
    notify(
        region_staff(report.project.plan.region_id),
        event=f"report:{report.pk}:submitted:{_version(report)}",
        title=f"{report.project.title}报送了{report.period_label}进展，待审核",
        url=report_url(report),
        channels=("inapp", "email"),
    )
    return report


@transaction.atomic
def accept_report(report: ProgressReport, *, actor) -> ProgressReport:
    """审核通过: the report is accepted and locked."""
    report = _lock(report)
    _require_staff(actor, report.project)
    access.require("review", actor, report, message="不能审核自己报送的报告。")
    if not report.can_review():
        raise InvalidTransition(f"该报告{report.get_status_display()}，只有已报送的报告可以审核。")
    report.status = ReportStatus.ACCEPTED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    notify(
        unit_filers([report.project.lead_unit_id]),
        event=f"report:{report.pk}:accepted:{report.revision}",
        title=f"{report.project.title}{report.period_label}进展已审核通过",
        url=report_url(report),
        channels=("inapp",),
    )
    return report


@transaction.atomic
def return_report(report: ProgressReport, *, actor, reason: str) -> ProgressReport:
    """退回: the unit must correct and resubmit; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "退回报告必须说明原因。", code=CommonErrorCode.REASON_REQUIRED, field="return_reason"
        )
    report = _lock(report)
    _require_staff(actor, report.project)
    access.require("review", actor, report, message="不能退回自己报送的报告。")
    if not report.can_review():
        raise InvalidTransition(f"该报告{report.get_status_display()}，只有已报送的报告可以退回。")
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
    notify(
        unit_filers([report.project.lead_unit_id]),
        event=f"report:{report.pk}:returned:{_version(report)}",
        title=f"{report.project.title}{report.period_label}进展被退回，请修改后重新报送",
        body=f"退回原因：{reason}",
        url=report_url(report),
    )
    return report


@transaction.atomic
def save_contribution(
    project: Project,
    month: int,
    *,
    actor,
    values: Mapping,
    investment_completed: Decimal | None = None,
    narrative: str | None = None,
    problems: str | None = None,
) -> ReportContribution:
    """配合单位报送: a cooperating unit's own figures and narrative, part of the lead unit's report."""
    _require_contributor(actor, project)
    if investment_completed is not None and investment_completed < 0:
        raise DomainError(
            "累计完成投资不能为负数。", code=ProjectsErrorCode.NEGATIVE_VALUE, field="investment_completed"
        )
    _require_past_or_current(project, month)
    report = _editable_report(project, month)
    parsed = _parse_values(project, values)
    contribution, _ = ReportContribution.objects.get_or_create(report=report, unit_id=actor.unit_id)
    for target_id, value in parsed.items():
        ContributionValue.objects.update_or_create(
            contribution=contribution, target_id=target_id, defaults={"value": value}
        )
    changed = ["updated_by", "updated_at"]
    contribution.updated_by = actor
    for field, new in (
        ("investment_completed", investment_completed),
        ("narrative", narrative),
        ("problems", problems),
    ):
        if new is not None:
            setattr(contribution, field, new)
            changed.append(field)
    contribution.save(update_fields=changed)
    report.save(update_fields=["updated_at"])
    return contribution


def _snapshot(report: ProgressReport) -> dict:
    return {
        "values": {str(t): f"{v:f}" for t, v in report.values.values_list("target_id", "value")},
        "investment_completed": None
        if report.investment_completed is None
        else f"{report.investment_completed:f}",
        "narrative": report.narrative,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "reviewed_by": report.reviewed_by_id,
        "reviewed_at": report.reviewed_at.isoformat() if report.reviewed_at else None,
    }


@transaction.atomic
def correct_report(
    report: ProgressReport,
    *,
    actor,
    reason: str,
    values: Mapping,
    investment_completed: Decimal | None = None,
    narrative: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
) -> ReportRevision:
    """更正: an accepted report stays locked; a correction is a numbered revision with its reason and
    the figures as they were, and the corrected report goes back to review (still counted meanwhile)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "更正已审核的报告必须说明原因。", code=CommonErrorCode.REASON_REQUIRED, field="reason"
        )
    report = _lock(report)
    _require_editor(actor, report.project)
    if report.status != ReportStatus.ACCEPTED:
        raise InvalidTransition(
            "只有已审核通过的报告需要更正；未审核的报告请直接修改。", code=ProjectsErrorCode.NOT_ACCEPTED
        )
    if investment_completed is not None and investment_completed < 0:
        raise DomainError(
            "累计完成投资不能为负数。", code=ProjectsErrorCode.NEGATIVE_VALUE, field="investment_completed"
        )
    parsed = _parse_values(report.project, values)
    revision = ReportRevision.objects.create(
        report=report, number=report.revision + 1, reason=reason, previous=_snapshot(report), created_by=actor
    )
    for target_id, value in parsed.items():
        ProgressValue.objects.update_or_create(report=report, target_id=target_id, defaults={"value": value})
    changed = ["revision", "status", "submitted_by", "submitted_at", "correction_reason", "updated_at"]
    for field, new in (
        ("investment_completed", investment_completed),
        ("narrative", narrative),
        ("problems", problems),
        ("next_steps", next_steps),
    ):
        if new is not None:
            setattr(report, field, new)
            changed.append(field)
    report.revision = revision.number
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.correction_reason = reason
    report.save(update_fields=changed)
    notify(
        region_staff(report.project.plan.region_id),
        event=f"report:{report.pk}:revision:{revision.number}",
        title=f"{report.project.title}更正了{report.period_label}进展（第{revision.number}次），待审核",
        body=f"更正原因：{reason}",
        url=report_url(report),
        channels=("inapp", "email"),
    )
    return revision


@transaction.atomic
def add_attachment(
    project: Project, month: int, *, actor, kind: str, file, caption: str = ""
) -> ReportAttachment:
    """A photo or document for the month's report, checked (type, size, content) before it is stored."""
    if not access.cooperates(actor, project):
        _require_editor(actor, project)
    _require_past_or_current(project, month)
    check_upload(file, kind)
    report = _editable_report(project, month)
    return ReportAttachment.objects.create(
        report=report, kind=kind, file=file, caption=(caption or "")[:200], size=file.size, uploaded_by=actor
    )


@transaction.atomic
def remove_attachment(attachment: ReportAttachment, *, actor) -> None:
    """Remove an attachment while its report can still be edited: the uploader or the lead unit may."""
    report = _lock(attachment.report)
    own = actor.pk == attachment.uploaded_by_id
    if not (own and Project.objects.restrict(actor).filter(pk=report.project_id).exists()):
        _require_editor(actor, report.project)
    if not report.can_edit():
        raise InvalidTransition(
            f"该报告{report.get_status_display()}，不能删除附件。", code=ProjectsErrorCode.REPORT_LOCKED
        )
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.delete(save=False))


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
        raise DomainError("动态调整必须说明理由。", code=CommonErrorCode.REASON_REQUIRED, field="reason")
    if not (approved_by or "").strip():
        raise DomainError(
            "动态调整必须写明批准机关或会议。", code=ProjectsErrorCode.APPROVAL_REQUIRED, field="approved_by"
        )
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
