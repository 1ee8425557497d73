"""Year rollover: carry-over decisions and carrying a plan into the next year."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from minsheng.errors import CommonErrorCode, DomainError, InvalidTransition
from projects.choices import ChangeType
from projects.models import Plan, Project

from ..choices import CarryOverDecision
from ..errors import ProposalsErrorCode
from ..models import CarryOver, ProjectLineage
from .common import _require_staff


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
