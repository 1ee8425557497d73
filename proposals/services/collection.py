"""Collection and handling of proposals: submit, accept, decline, merge, shortlist."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from minsheng.errors import CommonErrorCode, DomainError, InvalidTransition

from ..choices import CandidateStatus, ProposalActionKind, ProposalSource, ProposalStatus
from ..errors import ProposalsErrorCode
from ..models import Candidate, CollectionRound, Proposal, ProposalAction
from .common import _full_clean, _reason, _require_staff, add_attachment

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
