"""Where did my proposal go: the ordered story of a proposal for its proposer."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ..choices import DecisionStage, ProposalActionKind
from ..models import Candidate, Proposal


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
