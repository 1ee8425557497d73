"""Inspections and the problems their findings become."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from minsheng.errors import CommonErrorCode, DomainError, PermissionDenied
from org.models import Unit
from projects.models import Project

from ..choices import ProblemSource, Severity
from ..models import Inspection, Problem
from .common import require_staff, require_text, require_visible
from .problems import _problem_fields, _tell_unit_of_problem


@dataclass
class Finding:
    """A finding of an inspection, which becomes a problem."""

    description: str
    unit: Unit | None = None
    project: Project | None = None
    severity: str = Severity.MINOR


@transaction.atomic
def record_inspection(
    *,
    actor,
    kind: str,
    date: datetime.date,
    title: str,
    inspectors: str,
    projects=(),
    summary: str = "",
    findings: Sequence[Finding] = (),
) -> Inspection:
    """Record a 明查 or 暗访 with the projects seen; each finding goes on the problem list."""
    require_staff(actor)
    projects = list(projects)
    visible = set(
        Project.objects.restrict(actor).filter(pk__in=[p.pk for p in projects]).values_list("pk", flat=True)
    )
    if len(visible) != len({p.pk for p in projects}):
        raise PermissionDenied("所选项目不在您的管理范围内。")
    region = actor.unit.region if actor.unit_id else (projects[0].plan.region if projects else None)
    if region is None:
        raise DomainError("无法确定督查所属区划。", code=CommonErrorCode.REGION_REQUIRED)
    inspection = Inspection.objects.create(
        kind=kind,
        region=region,
        date=date,
        title=require_text(title, "名称"),
        inspectors=require_text(inspectors, "督查人员"),
        summary=summary,
        recorded_by=actor,
    )
    inspection.projects.set(projects)
    for finding in findings:
        add_finding(inspection, actor=actor, finding=finding)
    return inspection


@transaction.atomic
def add_finding(inspection: Inspection, *, actor, finding: Finding) -> Problem:
    """Put one finding of an inspection on the problem list and tell the responsible unit."""
    require_staff(actor)
    require_visible(Inspection, actor, inspection)
    require_visible(Project, actor, finding.project)
    fields = _problem_fields(
        ProblemSource.INSPECTION,
        finding.unit,
        finding.description,
        finding.severity,
        finding.project,
        inspection.date,
    )
    require_visible(Unit, actor, fields["unit"])
    problem = Problem.objects.create(**fields, inspection=inspection, recorded_by=actor)
    _tell_unit_of_problem(problem)
    return problem
