"""The decision procedure of a candidate, step by step, and the project it becomes."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minsheng.errors import CommonErrorCode, DomainError, InvalidTransition
from projects.choices import AttachmentKind, ChangeType, ProjectLevel
from projects.models import Plan, Project
from projects.services import record_adjustment

from ..choices import DECISION_ORDER, CandidateStatus, DecisionOutcome, DecisionStage
from ..errors import ProposalsErrorCode
from ..hooks import candidate_result
from ..models import Candidate, DecisionStep, check_attachment
from .common import _first_message, _full_clean, _require_staff


def next_stage(candidate: Candidate, recorded: Iterable[str] | None = None) -> str | None:
    """The next stage the procedure expects (None once 集体讨论决定 is recorded)."""
    if recorded is None:
        recorded = candidate.steps.values_list("stage", flat=True)
    done = set(recorded)
    for stage in DECISION_ORDER:
        if stage not in done:
            return stage
    return None


PROJECT_FIELDS = (
    "code",
    "sequence",
    "level",
    "lead_unit",
    "responsible_leader",
    "contact_person",
    "contact_phone",
    "work_standard",
    "deadline",
    "upkeep_unit",
    "change_type",
    "parent_project",
)


def _create_project(candidate: Candidate, details: Mapping[str, Any]) -> Project:
    """The project an approved candidate becomes, in its region's plan of its year (created if missing)."""
    if not details or not details.get("code") or not details.get("lead_unit"):
        raise DomainError(
            "集体讨论决定通过时须填写项目编号和牵头单位。",
            code=ProposalsErrorCode.PROJECT_DETAILS_REQUIRED,
            field="code",
        )
    plan, _ = Plan.objects.get_or_create(
        region=candidate.region,
        year=candidate.year,
        defaults={"name": f"{candidate.year}年{candidate.region.name}民生实事"},
    )
    if Project.objects.filter(plan=plan, code=details["code"]).exists():
        raise DomainError(
            f"{plan.year}年计划中已有编号为“{details['code']}”的项目。",
            code=ProposalsErrorCode.PROJECT_CODE_TAKEN,
            field="code",
        )
    project = Project(
        plan=plan,
        title=candidate.title,
        content=candidate.description,
        category=candidate.category,
        planned_investment=candidate.estimated_cost,
        level=details.get("level") or ProjectLevel.COUNTY,
        change_type=details.get("change_type") or ChangeType.NEW,
    )
    for name in PROJECT_FIELDS:
        if details.get(name) not in (None, ""):
            setattr(project, name, details[name])
    _full_clean(project, validate_unique=False)
    project.save()
    if details.get("cooperating_units"):
        project.cooperating_units.set(details["cooperating_units"])
    return project


@transaction.atomic
def record_decision_step(  # noqa: C901 (16: the stages' own rules; a split would scatter one procedure)
    candidate: Candidate,
    *,
    actor,
    stage: str,
    held_on: datetime.date,
    outcome: str,
    responsible_unit=None,
    notes: str = "",
    document_number: str = "",
    document=None,
    social_risk: str = "",
    environmental_risk: str = "",
    fiscal_risk: str = "",
    project: Mapping[str, Any] | None = None,
) -> DecisionStep:
    """Record the next step of a candidate's decision procedure, in the enforced order
    决策动议 → 公众参与 → 专家论证 → 风险评估 → 合法性审查 → 集体讨论决定.

    公众参与 gets the public vote's result attached; 风险评估 needs the three ratings and the written report;
    a step that does not pass ends the procedure (the candidate is not adopted); 集体讨论决定 that passes
    makes the candidate a project of its year's plan (`project` gives code, lead unit, level and so on).
    """
    candidate = Candidate.objects.select_for_update().select_related("region").get(pk=candidate.pk)
    _require_staff(actor, candidate.region)
    if stage == DecisionStage.ADJUSTMENT:
        raise DomainError("动态调整请通过“登记动态调整”办理。", code=ProposalsErrorCode.USE_ADJUSTMENT)
    if stage not in DecisionStage.values:
        raise DomainError("未知的决策环节。", code=CommonErrorCode.INVALID, field="stage")
    if outcome not in DecisionOutcome.values:
        raise DomainError("请选择结论。", code=CommonErrorCode.INVALID, field="outcome")
    if candidate.status != CandidateStatus.CANDIDATE:
        raise InvalidTransition(
            f"备选项目“{candidate.title}”{candidate.get_status_display()}，决策程序已结束。"
        )
    expected = next_stage(candidate)
    if stage != expected:
        raise InvalidTransition(
            f"决策程序须依次进行：下一环节应为“{DecisionStage(expected).label if expected else '—'}”，"
            f"不能登记“{DecisionStage(stage).label}”。",
            code=ProposalsErrorCode.DECISION_OUT_OF_ORDER,
        )
    step = DecisionStep(
        candidate=candidate,
        stage=stage,
        held_on=held_on,
        outcome=outcome,
        responsible_unit=responsible_unit,
        notes=(notes or "").strip(),
        document_number=(document_number or "").strip(),
        recorded_by=actor,
    )
    if document:
        step.document = document
    if stage == DecisionStage.RISK:
        if not (social_risk and environmental_risk and fiscal_risk):
            raise DomainError(
                "风险评估须分别评定社会稳定风险、环境风险和财政风险。",
                code=ProposalsErrorCode.RISK_UNRATED,
                field="social_risk",
            )
        if not document and not step.document_number:
            raise DomainError(
                "风险评估须附书面评估报告（上传报告或填写报告文号）。",
                code=ProposalsErrorCode.RISK_REPORT_REQUIRED,
                field="document",
            )
        step.social_risk, step.environmental_risk, step.fiscal_risk = (
            social_risk,
            environmental_risk,
            fiscal_risk,
        )
    if stage == DecisionStage.PARTICIPATION:
        result = candidate_result(candidate)
        if result:
            step.vote_title = str(result.get("vote") or "")[:200]
            step.votes, step.rank, step.ballots = (
                result.get("votes"),
                result.get("rank"),
                result.get("ballots"),
            )
    if document:
        try:
            check_attachment(AttachmentKind.DOCUMENT, document)
        except ValidationError as exc:
            raise DomainError(
                _first_message(exc)[0], code=CommonErrorCode.INVALID, field="document"
            ) from None
    _full_clean(step, exclude=["candidate", "adjustment", "recorded_by"])
    step.save()
    if outcome == DecisionOutcome.FAILED:
        candidate.status = CandidateStatus.REJECTED
        candidate.save(update_fields=["status", "updated_at"])
    elif stage == DecisionStage.COLLECTIVE:
        candidate.project = _create_project(candidate, project or {})
        candidate.status = CandidateStatus.APPROVED
        candidate.save(update_fields=["project", "status", "updated_at"])
    return step


@transaction.atomic
def record_candidate_adjustment(
    candidate: Candidate,
    *,
    actor,
    kind: str,
    reason: str,
    description: str,
    approved_by: str,
    approved_on: datetime.date,
    approval_document: str = "",
    responsible_unit=None,
    document=None,
) -> DecisionStep:
    """动态调整 of an approved candidate's project: the project's adjustment, recorded as a decision step."""
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("region", "project")
        .get(pk=candidate.pk)
    )
    _require_staff(actor, candidate.region)
    if candidate.status != CandidateStatus.APPROVED or candidate.project is None:
        raise InvalidTransition("只有经集体讨论决定通过并已立项的项目才能动态调整。")
    adjustment = record_adjustment(
        candidate.project,
        actor=actor,
        kind=kind,
        reason=reason,
        description=description,
        approved_by=approved_by,
        approved_on=approved_on,
        approval_document=approval_document,
    )
    step = DecisionStep(
        candidate=candidate,
        stage=DecisionStage.ADJUSTMENT,
        held_on=approved_on,
        outcome=DecisionOutcome.PASSED,
        responsible_unit=responsible_unit,
        notes=f"{adjustment.get_kind_display()}：{adjustment.reason}",
        document_number=approval_document,
        adjustment=adjustment,
        recorded_by=actor,
    )
    if document:
        try:
            check_attachment(AttachmentKind.DOCUMENT, document)
        except ValidationError as exc:
            raise DomainError(
                _first_message(exc)[0], code=CommonErrorCode.INVALID, field="document"
            ) from None
        step.document = document
    step.save()
    return step
