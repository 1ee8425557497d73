"""Problems and their rectification: record, plan, evidence, submit, verify or reject."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minsheng.errors import CommonErrorCode, DomainError, InvalidTransition, PermissionDenied
from org import access
from org.models import Unit
from projects.models import Project

from .. import conf
from ..choices import ProblemSource, ProblemStatus, Severity
from ..errors import SupervisionErrorCode
from ..models import Alert, Evidence, Inspection, Problem, Rectification
from .common import notify, require_staff, require_text, require_unit_user, require_visible, unit_users


def _problem_fields(source, unit, description, severity, project, found_on):
    try:
        source = ProblemSource(source)
        severity = Severity(severity)
    except ValueError:
        raise DomainError("问题来源或严重程度无效。", code=SupervisionErrorCode.INVALID_CHOICE) from None
    if project is not None and unit is None:
        unit = project.lead_unit
    if unit is None:
        raise DomainError("请指定问题的责任单位。", code=CommonErrorCode.REQUIRED, field="unit")
    return {
        "source": source,
        "unit": unit,
        "description": require_text(description, "问题描述"),
        "severity": severity,
        "project": project,
        "found_on": found_on or timezone.localdate(),
    }


@transaction.atomic
def record_problem(
    *,
    actor,
    source: str,
    description: str,
    unit: Unit | None = None,
    project: Project | None = None,
    severity: str = Severity.MINOR,
    found_on: datetime.date | None = None,
    alert: Alert | None = None,
    reporter_name: str = "",
    inspection: Inspection | None = None,
) -> Problem:
    """Put a problem on the problem list (问题清单) and tell the responsible unit."""
    require_staff(actor)
    require_visible(Project, actor, project)
    fields = _problem_fields(source, unit, description, severity, project, found_on)
    require_visible(Unit, actor, fields["unit"])
    if fields["source"] == ProblemSource.INSPECTION and inspection is None:
        raise DomainError(
            "明查暗访发现的问题请在督查活动中登记。", code=SupervisionErrorCode.INSPECTION_REQUIRED
        )
    problem = Problem.objects.create(
        **fields, alert=alert, reporter_name=reporter_name, inspection=inspection, recorded_by=actor
    )
    _tell_unit_of_problem(problem)
    return problem


def _tell_unit_of_problem(problem: Problem) -> None:
    notify(
        unit_users([problem.unit_id]),
        event=f"supervision.problem:{problem.pk}",
        title=f"新问题待整改（{problem.get_severity_display()}）",
        body=problem.description[:200],
        url=f"/supervision/problems/{problem.pk}/",
        channels=conf.alert_channels(),
    )


def _locked_problem(problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


def _require_rectifier(actor, problem: Problem) -> None:
    """The problem's unit writes its rectification; staff may write it on the unit's behalf."""
    if access.may_edit(actor):
        require_visible(Problem, actor, problem)
        return
    require_unit_user(actor, problem.unit_id, "填写整改情况")


@transaction.atomic
def plan_rectification(
    problem: Problem, *, actor, measures: str, deadline: datetime.date, responsible_person: str = ""
) -> Rectification:
    """The unit states its measures and deadline (整改措施、时限); the problem is then being rectified."""
    problem = _locked_problem(problem)
    _require_rectifier(actor, problem)
    if problem.status not in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING):
        raise InvalidTransition("整改已报送核验或已销号，不能再修改整改措施。")
    if deadline is None:
        raise DomainError("请填写整改时限。", code=CommonErrorCode.REQUIRED, field="deadline")
    if deadline < problem.found_on:
        raise DomainError(
            "整改时限不能早于问题发现日期。", code=SupervisionErrorCode.INVALID_DEADLINE, field="deadline"
        )
    rectification, _ = Rectification.objects.update_or_create(
        problem=problem,
        defaults={
            "planned_by": access.as_user(actor),
            "measures": require_text(measures, "整改措施"),
            "deadline": deadline,
            "responsible_person": responsible_person.strip(),
        },
    )
    if problem.status != ProblemStatus.RECTIFYING:
        problem.status = ProblemStatus.RECTIFYING
        problem.save(update_fields=["status"])
    return rectification


@transaction.atomic
def add_evidence(problem: Problem, *, actor, file, caption: str = "") -> Evidence:
    """Attach a photo or document showing the rectification (type and size checked before storing)."""
    problem = _locked_problem(problem)
    _require_rectifier(actor, problem)
    rectification = Rectification.objects.filter(problem=problem).first()
    if rectification is None:
        raise InvalidTransition("请先填写整改措施和时限。")
    if problem.status == ProblemStatus.CLOSED:
        raise InvalidTransition("问题已核验销号。")
    evidence = Evidence(rectification=rectification, file=file, caption=caption, uploaded_by=actor)
    try:
        evidence.full_clean(exclude=["rectification", "uploaded_by"])
    except ValidationError as exc:
        raise DomainError(
            "；".join(exc.messages), code=SupervisionErrorCode.INVALID_FILE, field="file"
        ) from None
    evidence.save()
    return evidence


@transaction.atomic
def submit_rectification(problem: Problem, *, actor, result: str) -> Rectification:
    """The unit reports the rectification done, for verification by someone outside the unit."""
    problem = _locked_problem(problem)
    _require_rectifier(actor, problem)
    if problem.status != ProblemStatus.RECTIFYING:
        raise InvalidTransition("请先填写整改措施；已报送的整改不能重复报送。")
    rectification = problem.rectification
    rectification.result = require_text(result, "整改结果")
    rectification.submitted_by = actor
    rectification.submitted_at = timezone.now()
    rectification.save(update_fields=["result", "submitted_by", "submitted_at"])
    problem.status = ProblemStatus.SUBMITTED
    problem.save(update_fields=["status"])
    return rectification


def _require_verifier(actor, problem: Problem) -> None:
    require_staff(actor)
    require_visible(Problem, actor, problem)
    if actor.unit_id is not None and actor.unit_id == problem.unit_id:
        raise PermissionDenied("整改须由责任单位以外的人员核验。")
    rectification = getattr(problem, "rectification", None)
    if rectification is not None:
        access.require("review", actor, rectification, message="不能核验自己填报或报送的整改。")


@transaction.atomic
def verify_rectification(problem: Problem, *, actor, note: str = "") -> Problem:
    """Staff from outside the unit verify the rectification and close the problem (销号)."""
    _require_verifier(actor, problem)
    problem = _locked_problem(problem)
    if problem.status != ProblemStatus.SUBMITTED:
        raise InvalidTransition("只有已报送核验的整改可以核验销号。")
    now = timezone.now()
    rectification = problem.rectification
    rectification.verified_by, rectification.verified_at = actor, now
    rectification.verification_note = note.strip()
    rectification.save(update_fields=["verified_by", "verified_at", "verification_note"])
    problem.status, problem.closed_at = ProblemStatus.CLOSED, now
    problem.save(update_fields=["status", "closed_at"])
    notify(
        unit_users([problem.unit_id]),
        event=f"supervision.problem:{problem.pk}:verified",
        title="整改已核验销号",
        body=problem.description[:200],
        url=f"/supervision/problems/{problem.pk}/",
    )
    return problem


@transaction.atomic
def reject_rectification(problem: Problem, *, actor, note: str) -> Problem:
    """Staff send a rectification back (核验不通过) with a reason; the unit continues rectifying."""
    _require_verifier(actor, problem)
    problem = _locked_problem(problem)
    if problem.status != ProblemStatus.SUBMITTED:
        raise InvalidTransition("只有已报送核验的整改可以退回。")
    rectification = problem.rectification
    rectification.verification_note = require_text(note, "退回理由")
    rectification.submitted_at = None
    rectification.save(update_fields=["verification_note", "submitted_at"])
    problem.status = ProblemStatus.RECTIFYING
    problem.save(update_fields=["status"])
    notify(
        unit_users([problem.unit_id]),
        event=f"supervision.problem:{problem.pk}:rejected:{rectification.history.count()}",
        title="整改核验未通过，请继续整改",
        body=rectification.verification_note[:200],
        url=f"/supervision/problems/{problem.pk}/",
    )
    return problem
