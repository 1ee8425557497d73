"""Four eyes (issue 15): whoever did the work does not review it, administrators included."""

import datetime

import pytest

from minsheng.errors import PermissionDenied
from projects import services as reports
from projects.choices import ReportStatus
from supervision import services as supervision
from supervision.choices import ProblemSource, ProblemStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_by_staff(org, make_project, file_report):
    """A draft report that city staff submitted on the unit's behalf."""
    project = make_project(targets={"人数": 100})
    report = file_report(project, 9, {"人数": 60}, status=ReportStatus.DRAFT)
    return reports.submit_report(report, actor=org.staff)


def test_who_submitted_a_report_does_not_accept_or_return_it(org, submitted_by_staff):
    with pytest.raises(PermissionDenied, match="不能审核自己报送的报告"):
        reports.accept_report(submitted_by_staff, actor=org.staff)
    with pytest.raises(PermissionDenied, match="不能退回自己报送的报告"):
        reports.return_report(submitted_by_staff, actor=org.staff, reason="数据有误")
    accepted = reports.accept_report(submitted_by_staff, actor=org.admin)  # someone else may
    assert accepted.status == ReportStatus.ACCEPTED


def test_administrators_are_held_to_it_too(org, make_project, file_report):
    project = make_project(targets={"人数": 100})
    report = reports.submit_report(
        file_report(project, 9, {"人数": 60}, status=ReportStatus.DRAFT), actor=org.admin
    )
    with pytest.raises(PermissionDenied, match="不能审核自己报送的报告"):
        reports.accept_report(report, actor=org.admin)
    assert reports.accept_report(report, actor=org.staff).reviewed_by == org.staff


def test_who_planned_or_submitted_a_rectification_does_not_verify_it(org, make_project):
    """The probe's case: one county staff member planned, submitted and verified the same rectification."""
    project = make_project(region=org.lanshan, lead_unit=org.lanshan_gov)
    problem = supervision.record_problem(
        actor=org.county_staff, source=ProblemSource.OBSERVER, project=project, description="台账不全"
    )
    supervision.plan_rectification(
        problem, actor=org.county_staff, measures="补齐台账", deadline=datetime.date(2026, 12, 31)
    )
    supervision.submit_rectification(problem, actor=org.county_staff, result="已补齐")
    with pytest.raises(PermissionDenied, match="不能核验自己填报或报送的整改"):
        supervision.verify_rectification(problem, actor=org.county_staff)
    problem.refresh_from_db()
    assert problem.status != ProblemStatus.CLOSED
    closed = supervision.verify_rectification(problem, actor=org.staff)  # the city's staff, outside it
    assert closed.status == ProblemStatus.CLOSED
