"""Workflow steps of collection, shortlisting, the decision procedure and the year rollover.

The admin, the API, the public pages (voting/, publicity/participation/) and the `rollover` command all call
these functions; none re-implements a rule.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from minsheng.errors import CommonErrorCode, DomainError, InvalidTransition
from org import access
from projects.choices import AttachmentKind, ChangeType, ProjectLevel
from projects.models import ATTACHMENT_EXTENSIONS, Plan, Project
from projects.services import record_adjustment
from voting.results import candidate_result

from .choices import (
    DECISION_ORDER,
    CandidateStatus,
    CarryOverDecision,
    DecisionOutcome,
    DecisionStage,
    ProposalActionKind,
    ProposalSource,
    ProposalStatus,
)
from .errors import ProposalsErrorCode
from .models import (
    Candidate,
    CarryOver,
    CollectionRound,
    DecisionStep,
    ProjectLineage,
    Proposal,
    ProposalAction,
    ProposalAttachment,
    check_attachment,
)

# -- helpers --


def _require_staff(actor, region) -> None:
    """民生办 staff of the region or a region above it (or an administrator) may handle its records."""
    access.require(
        "manage",
        actor,
        region,
        message="只有民生办工作人员可以办理此事项。",
        outside="您无权办理其他区划的事项。",
    )


def _first_message(exc: ValidationError) -> tuple[str, str | None]:
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        return errors[0].messages[0], (None if name == "__all__" else name)
    return exc.messages[0], None


def _full_clean(obj, **kwargs) -> None:
    """Run the model's validation and speak it as a DomainError (nothing is written on failure)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        message, name = _first_message(exc)
        raise DomainError(message, code=CommonErrorCode.INVALID, field=name) from None


def _reason(reason: str | None, message: str, name: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(message, code=CommonErrorCode.REASON_REQUIRED, field=name)
    return text


def attachment_kind(filename: str) -> str:
    """Photo or document, from the file's extension (DomainError if neither accepts it)."""
    suffix = Path(filename).suffix.lower()
    for kind, suffixes in ATTACHMENT_EXTENSIONS.items():
        if suffix in suffixes:
            return kind
    allowed = sorted(set().union(*ATTACHMENT_EXTENSIONS.values()))
    raise DomainError(
        f"不支持的文件类型“{suffix or '无扩展名'}”，允许：{'、'.join(allowed)}。",
        code=CommonErrorCode.INVALID,
        field="attachment",
    )


def add_attachment(proposal: Proposal, file, *, caption: str = "") -> ProposalAttachment:
    """Attach a photo or document to a proposal, checked like the monthly reports' attachments."""
    kind = attachment_kind(file.name)
    try:
        size = check_attachment(kind, file)
    except ValidationError as exc:
        raise DomainError(_first_message(exc)[0], code=CommonErrorCode.INVALID, field="attachment") from None
    return ProposalAttachment.objects.create(
        proposal=proposal, kind=AttachmentKind(kind), file=file, caption=caption[:200], size=size
    )


# -- collection --

PROPOSAL_FIELDS = (
    "proposer_name",
    "proposer_unit",
    "proposer_organisation",
    "reference_number",
    "category",
    "title",
    "description",
    "estimated_cost",
)


@transaction.atomic
def submit_proposal(
    round: CollectionRound,
    cleaned_data: Mapping[str, Any],
    *,
    phone: str | None = None,
    source: str = ProposalSource.PORTAL,
    actor=None,
    on: datetime.date | None = None,
) -> Proposal:
    """A new proposal in a round: from a citizen on the portal (verified phone, round open), or entered by
    staff from a letter, e-mail, unit submission, deputy's suggestion and so on.

    `cleaned_data` holds the proposal's fields (see PROPOSAL_FIELDS) and optionally `attachment` (a file) or
    `attachments` (a list of files). The phone is kept only as its keyed hash and masked digits.
    """
    if source not in ProposalSource.values:
        raise DomainError("未知的建议来源。", code=CommonErrorCode.INVALID, field="source")
    if source == ProposalSource.PORTAL:
        if not round.is_open(on):
            raise DomainError(
                f"“{round.name}”的征集时间为{round.opens_on:%Y年%m月%d日}至{round.closes_on:%Y年%m月%d日}，"
                "当前不在征集期内，不能提交建议。",
                code=ProposalsErrorCode.ROUND_CLOSED,
            )
        if not phone:
            raise DomainError(
                "网上提交建议须先验证手机号。", code=ProposalsErrorCode.PHONE_REQUIRED, field="phone"
            )
    else:
        _require_staff(actor, round.region)
    proposal = Proposal(
        round=round, source=source, created_by=actor if actor and actor.is_authenticated else None
    )
    for name in PROPOSAL_FIELDS:
        if name in cleaned_data and cleaned_data[name] is not None:
            value = cleaned_data[name]
            setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    if phone:
        try:
            proposal.set_phone(phone)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], code=CommonErrorCode.INVALID_PHONE, field="phone") from None
    _full_clean(proposal, exclude=["tracking_code"])
    proposal.save()
    files = list(cleaned_data.get("attachments") or [])
    if cleaned_data.get("attachment"):
        files.append(cleaned_data["attachment"])
    for file in files:
        add_attachment(proposal, file)
    ProposalAction.objects.create(
        proposal=proposal,
        kind=ProposalActionKind.SUBMIT,
        actor=proposal.created_by,
        at=proposal.submitted_at,
        reason=ProposalSource(source).label,
    )
    return proposal


def _lock_proposals(proposals: Iterable[Proposal]) -> list[Proposal]:
    ids = sorted({p.pk for p in proposals})
    locked = list(
        Proposal.objects.select_for_update().select_related("round__region").filter(pk__in=ids).order_by("pk")
    )
    if len(locked) != len(ids):
        raise DomainError("所选建议不存在。", code=CommonErrorCode.NOT_FOUND)
    return locked


def _log(proposal: Proposal, kind: str, actor, *, reason: str = "", related=None, candidate=None) -> None:
    ProposalAction.objects.create(
        proposal=proposal,
        kind=kind,
        actor=actor,
        reason=reason,
        related_proposal=related,
        candidate=candidate,
    )


def _refuse(proposal: Proposal, verb: str) -> InvalidTransition:
    return InvalidTransition(f"建议“{proposal.title}”{proposal.get_status_display()}，不能{verb}。")


@transaction.atomic
def accept_proposal(proposal: Proposal, *, actor, reason: str = "") -> Proposal:
    """受理: a submitted proposal is taken up for consideration."""
    (proposal,) = _lock_proposals([proposal])
    _require_staff(actor, proposal.round.region)
    if not proposal.can_accept():
        raise _refuse(proposal, "受理")
    proposal.status = ProposalStatus.ACCEPTED
    proposal.save(update_fields=["status", "updated_at"])
    _log(proposal, ProposalActionKind.ACCEPT, actor, reason=(reason or "").strip())
    return proposal


@transaction.atomic
def decline_proposal(proposal: Proposal, *, actor, reason: str) -> Proposal:
    """不予采纳, with the reason the proposer will read."""
    reason = _reason(reason, "不予采纳必须说明理由。")
    (proposal,) = _lock_proposals([proposal])
    _require_staff(actor, proposal.round.region)
    if not proposal.can_decline():
        raise _refuse(proposal, "不予采纳")
    proposal.status = ProposalStatus.DECLINED
    proposal.decline_reason = reason
    proposal.save(update_fields=["status", "decline_reason", "updated_at"])
    _log(proposal, ProposalActionKind.DECLINE, actor, reason=reason)
    return proposal


@transaction.atomic
def merge_proposals(proposals: Iterable[Proposal], *, into: Proposal, actor, reason: str = "") -> Proposal:
    """合并: several proposals of one round become one (`into`, which is accepted); each merged proposal
    keeps a link to it so that its proposer can follow it."""
    others = [p for p in proposals if p.pk != into.pk]
    if not others:
        raise DomainError("请至少选择两条建议进行合并。", code=ProposalsErrorCode.MERGE_NEEDS_TWO)
    locked = _lock_proposals([into, *others])
    into = next(p for p in locked if p.pk == into.pk)
    others = [p for p in locked if p.pk != into.pk]
    _require_staff(actor, into.round.region)
    for proposal in locked:
        if proposal.round_id != into.round_id:
            raise DomainError("只能合并同一征集活动中的建议。", code=ProposalsErrorCode.MERGE_ACROSS_ROUNDS)
        if not proposal.can_merge():
            raise _refuse(proposal, "合并")
    reason = (reason or "").strip()
    if into.status == ProposalStatus.SUBMITTED:
        into.status = ProposalStatus.ACCEPTED
        into.save(update_fields=["status", "updated_at"])
        _log(into, ProposalActionKind.ACCEPT, actor, reason="合并受理")
    for proposal in others:
        proposal.status = ProposalStatus.MERGED
        proposal.merged_into = into
        proposal.save(update_fields=["status", "merged_into", "updated_at"])
        _log(proposal, ProposalActionKind.ABSORB, actor, reason=reason, related=into)
    titles = "、".join(f"“{p.title}”（{p.tracking_code}）" for p in others)
    _log(into, ProposalActionKind.MERGE, actor, reason=f"并入{titles}。{reason}".rstrip("。") + "。")
    return into


@transaction.atomic
def shortlist_proposals(
    proposals: Iterable[Proposal],
    *,
    actor,
    candidate: Candidate | None = None,
    title: str = "",
    description: str | None = None,
    category: str | None = None,
    estimated_cost: Decimal | None = None,
    reason: str = "",
) -> Candidate:
    """列入备选: accepted proposals go onto the candidate list, into an existing candidate or a new one
    (titled after the first proposal unless a title is given)."""
    locked = _lock_proposals(proposals)
    if not locked:
        raise DomainError("请选择要列入备选的建议。", code=ProposalsErrorCode.NOTHING_SELECTED)
    first = locked[0]
    region, year = first.round.region, first.round.year
    _require_staff(actor, region)
    for proposal in locked:
        if proposal.round_id != first.round_id:
            raise DomainError(
                "只能把同一征集活动中的建议列入同一备选项目。",
                code=ProposalsErrorCode.SHORTLIST_ACROSS_ROUNDS,
            )
        if not proposal.can_shortlist():
            raise _refuse(proposal, "列入备选（须先受理）")
    if candidate is None:
        candidate = Candidate(
            region=region,
            year=year,
            title=(title or first.title).strip(),
            description=first.description if description is None else description,
            category=category or first.category,
            estimated_cost=estimated_cost if estimated_cost is not None else first.estimated_cost,
            sequence=(Candidate.objects.filter(region=region, year=year).count() + 1),
            created_by=actor,
        )
        _full_clean(candidate)
        candidate.save()
    else:
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.region_id != region.pk or candidate.year != year:
            raise DomainError(
                "备选项目与建议不属于同一区划和年度。", code=ProposalsErrorCode.SHORTLIST_WRONG_CANDIDATE
            )
        if candidate.status != CandidateStatus.CANDIDATE:
            raise InvalidTransition(
                f"备选项目“{candidate.title}”{candidate.get_status_display()}，不能再加入建议。"
            )
    candidate.proposals.add(*locked)
    for proposal in locked:
        proposal.status = ProposalStatus.SHORTLISTED
        proposal.save(update_fields=["status", "updated_at"])
        _log(
            proposal, ProposalActionKind.SHORTLIST, actor, reason=(reason or "").strip(), candidate=candidate
        )
    return candidate


# -- the decision procedure --


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
def record_decision_step(  # noqa: C901 (16; branch split moves this module: simplify after the merge)
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
        step.document = document
    step.save()
    return step


# -- where did my proposal go --


@dataclass(frozen=True)
class TraceEvent:
    """One line of a proposal's story: what happened, when, and details for the proposer."""

    kind: str  # submit, accept, merge, decline, shortlist, vote, decision, project, adjustment
    title: str
    when: datetime.date | datetime.datetime | None
    detail: str = ""
    obj: Any = field(default=None, compare=False)

    @property
    def date(self) -> datetime.date | None:
        if isinstance(self.when, datetime.datetime):
            return timezone.localtime(self.when).date()
        return self.when


def _action_events(proposal: Proposal, kinds: set[str]) -> list[TraceEvent]:
    events = []
    for action in proposal.actions.all():
        if action.kind not in kinds:
            continue
        if action.kind == ProposalActionKind.SUBMIT:
            title, detail = "提交建议", f"来源：{action.reason}" if action.reason else ""
        elif action.kind == ProposalActionKind.ACCEPT:
            title, detail = "已受理", action.reason
        elif action.kind == ProposalActionKind.DECLINE:
            title, detail = "不予采纳", f"理由：{action.reason}"
        elif action.kind == ProposalActionKind.ABSORB:
            target = action.related_proposal
            title = "与其他建议合并"
            detail = f"并入建议“{target.title}”（查询码{target.tracking_code}）" if target else ""
            if action.reason:
                detail += f"。{action.reason}"
        elif action.kind == ProposalActionKind.SHORTLIST:
            title = "列入备选项目"
            detail = f"“{action.candidate.title}”" if action.candidate else ""
        else:
            continue
        events.append(
            TraceEvent(action.kind, title, action.at, detail, action.related_proposal or action.candidate)
        )
    return events


def trace(proposal: Proposal) -> list[TraceEvent]:
    """The ordered story of where a proposal went: handled, merged into, candidate, vote result, decision
    steps and the project it became (for the public "where did my proposal go" page)."""
    proposal = Proposal.objects.prefetch_related("actions__related_proposal", "actions__candidate").get(
        pk=proposal.pk
    )
    events = _action_events(proposal, set(ProposalActionKind.values) - {ProposalActionKind.MERGE})
    current, seen = proposal, {proposal.pk}
    while current.merged_into_id and current.merged_into_id not in seen:
        current = Proposal.objects.prefetch_related("actions__related_proposal", "actions__candidate").get(
            pk=current.merged_into_id
        )
        seen.add(current.pk)
        events += _action_events(
            current, {ProposalActionKind.DECLINE, ProposalActionKind.ABSORB, ProposalActionKind.SHORTLIST}
        )
    candidates = (
        Candidate.objects.filter(proposals=current)
        .select_related("project__plan")
        .prefetch_related("steps__responsible_unit")
        .order_by("pk")
    )
    for candidate in candidates:
        decided_on = None
        for step in candidate.steps.all():
            if step.stage == DecisionStage.COLLECTIVE:
                decided_on = step.held_on
            if step.stage == DecisionStage.PARTICIPATION and step.votes is not None:
                rank = f"，排名第{step.rank}位" if step.rank else ""
                events.append(
                    TraceEvent(
                        "vote",
                        "公众投票结果",
                        step.held_on,
                        f"{step.vote_title}：得票{step.votes}{rank}（有效选票{step.ballots}张）"
                        if step.ballots is not None
                        else f"{step.vote_title}：得票{step.votes}{rank}",
                        step,
                    )
                )
            kind = "adjustment" if step.stage == DecisionStage.ADJUSTMENT else "decision"
            unit = f"（{step.responsible_unit}）" if step.responsible_unit else ""
            events.append(
                TraceEvent(
                    kind, step.get_stage_display(), step.held_on, f"{step.get_outcome_display()}{unit}", step
                )
            )
        if candidate.project is not None:
            project = candidate.project
            events.append(
                TraceEvent(
                    "project",
                    f"列入{project.plan.year}年民生实事",
                    decided_on,
                    f"{project.plan.name}：{project.title}",
                    project,
                )
            )
    return events


# -- year rollover --


@transaction.atomic
def set_carry_over(
    project: Project, *, actor, decision: str, merge_code: str = "", merge_title: str = "", note: str = ""
) -> CarryOver:
    """Record what happens to a project at the year's end; changing it is refused once carried over."""
    _require_staff(actor, project.plan.region)
    if decision not in CarryOverDecision.values:
        raise DomainError("请选择结转安排。", code=CommonErrorCode.INVALID, field="decision")
    if decision == CarryOverDecision.MERGE and not (merge_code.strip() and merge_title.strip()):
        raise DomainError(
            "整合归并须写明归并后项目的编号和名称。",
            code=ProposalsErrorCode.MERGE_TARGET_REQUIRED,
            field="merge_code",
        )
    carry = CarryOver.objects.select_for_update().filter(project=project).first()
    if carry and carry.done_at:
        raise InvalidTransition(
            f"“{project.title}”已于{timezone.localtime(carry.done_at):%Y-%m-%d}结转，不能再修改安排。"
        )
    carry = carry or CarryOver(project=project)
    carry.decision = decision
    carry.merge_code = merge_code.strip() if decision == CarryOverDecision.MERGE else ""
    carry.merge_title = merge_title.strip() if decision == CarryOverDecision.MERGE else ""
    carry.note = note
    carry.decided_by = actor
    carry.save()
    return carry


@dataclass
class RolloverResult:
    """What a rollover did; all empty when run again."""

    continued: list[Project] = field(default_factory=list)
    exited: list[Project] = field(default_factory=list)
    merged: list[Project] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.continued or self.exited or self.merged)

    def summary(self) -> str:
        return f"继续实施{len(self.continued)}项，退出{len(self.exited)}项，整合归并为{len(self.merged)}项。"


COPIED_FIELDS = (
    "code",
    "sequence",
    "level",
    "category",
    "title",
    "content",
    "lead_unit_id",
    "responsible_leader",
    "contact_person",
    "contact_phone",
    "work_standard",
    "upkeep_unit_id",
    "schedule_basis",
)


def next_code(code: str, year: int) -> str:
    """A continued project's code next year: a leading year moves on ("2017-D01" -> "2018-D01")."""
    prefix = str(year)
    return str(year + 1) + code[len(prefix) :] if code.startswith(prefix) else code


def _successor(project: Project, plan: Plan, **overrides) -> Project:
    """An unsaved copy of `project` in next year's `plan`."""
    values = {name: getattr(project, name) for name in COPIED_FIELDS}
    values["code"] = next_code(project.code, project.plan.year)
    values.update(overrides)
    return Project(plan=plan, **values)


@transaction.atomic
def rollover(region, year: int, *, actor=None) -> RolloverResult:
    """Carry a region's year-Y plan into year Y+1: 继续实施 projects continue (a new project with lineage),
    退出 ones are marked done, 整合归并 ones become one project per merge code with every link kept.

    Idempotent: what was carried over is skipped, so running it twice changes nothing. `actor` is None when
    run from the command line (an operator's act). The new projects, the lineage and the carry-overs are
    written in bulk (with their history rows), so a plan of any size takes a handful of queries plus one per
    project that has cooperating units.
    """
    if actor is not None:
        _require_staff(actor, region)
    plan = Plan.objects.filter(region=region, year=year).first()
    if plan is None:
        raise DomainError(f"{region.name}没有{year}年的年度计划。", code=ProposalsErrorCode.PLAN_MISSING)
    pending = list(
        CarryOver.objects.select_for_update(of=("self",))
        .filter(project__plan=plan, done_at__isnull=True)
        .select_related("project__plan", "project__lead_unit")
        .prefetch_related("project__cooperating_units")
        .order_by("project__sequence", "project__code")
    )
    result = RolloverResult()
    if not pending:
        return result
    next_plan, _ = Plan.objects.get_or_create(
        region=region, year=year + 1, defaults={"name": f"{year + 1}年{region.name}民生实事"}
    )
    existing = {p.code: p for p in Project.objects.filter(plan=next_plan)}
    new: list[Project] = []
    links: list[tuple[CarryOver, str, str]] = []  # each carry-over, its successor's code, the change type

    def add(successor: Project, source: Project) -> None:
        if successor.code in existing:
            raise DomainError(
                f"{next_plan.year}年计划中已有编号为“{successor.code}”的项目，无法结转“{source.title}”。",
                code=ProposalsErrorCode.PROJECT_CODE_TAKEN,
            )
        existing[successor.code] = successor
        new.append(successor)

    groups: dict[str, list[CarryOver]] = {}
    for carry in pending:
        if carry.decision == CarryOverDecision.CONTINUE:
            successor = _successor(
                carry.project, next_plan, predecessor=carry.project, change_type=ChangeType.CONTINUED
            )
            add(successor, carry.project)
            links.append((carry, successor.code, ChangeType.CONTINUED))
            result.continued.append(successor)
        elif carry.decision == CarryOverDecision.EXIT:
            result.exited.append(carry.project)
        else:
            groups.setdefault(carry.merge_code, []).append(carry)
    for code, members in groups.items():
        first = members[0].project
        if code not in existing:  # a merge code already in next year's plan takes the members in
            successor = _successor(
                first,
                next_plan,
                code=code,
                title=members[0].merge_title,
                content="\n".join(m.project.content for m in members if m.project.content),
                predecessor=first,
                change_type=ChangeType.MERGED,
            )
            add(successor, first)
            result.merged.append(successor)
        links += [(member, code, ChangeType.MERGED) for member in members]
    bulk_create_with_history(new, Project, default_user=actor)
    now = timezone.now()
    lineage = []
    for carry, code, change_type in links:
        successor = existing[code]
        carry.successor = successor
        lineage.append(
            ProjectLineage(predecessor=carry.project, successor=successor, change_type=change_type)
        )
    ProjectLineage.objects.bulk_create(lineage, ignore_conflicts=True)
    _carry_units(links, existing)
    for carry in pending:
        carry.done_at = now
    bulk_update_with_history(pending, CarryOver, ["successor", "done_at"], default_user=actor)
    return result


def _carry_units(links: list[tuple[CarryOver, str, str]], successors: dict[str, Project]) -> None:
    """Next year's projects keep their predecessors' cooperating units (and a merged project's other lead
    units), through the m2m so that the projects' history records them."""
    units: dict[str, set[int]] = {}
    for carry, code, _ in links:
        found = units.setdefault(code, set())
        found.update(u.pk for u in carry.project.cooperating_units.all())
        found.add(carry.project.lead_unit_id)
    for code, found in units.items():
        found.discard(successors[code].lead_unit_id)
        if found:
            successors[code].cooperating_units.add(*found)
