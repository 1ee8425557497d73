"""Problems (问题清单), their rectification (整改清单) verified by someone outside the unit, inspections
(明查暗访) whose findings become problems, and the accountability record."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from org.choices import Role
from org.models import Unit, User
from projects.choices import ReportStatus
from projects.models import ProgressReport
from supervision import services
from supervision.accountability import with_accountability
from supervision.choices import InspectionKind, ProblemSource, ProblemStatus, Severity, Stage
from supervision.models import Evidence, Inspection, Problem
from tests import samples


@pytest.fixture
def problem(org, make_project):
    project = make_project("01", year=2026, targets={"指标": 100})
    return services.record_problem(
        actor=org.staff,
        source=ProblemSource.PUBLIC,
        project=project,
        description="工地夜间施工扰民",
        severity=Severity.MAJOR,
        found_on=datetime.date(2026, 10, 1),
        reporter_name="张先生",
    )


@pytest.mark.django_db
def test_a_problem_goes_to_the_projects_lead_unit(problem, org):
    assert problem.unit == org.hrss
    assert problem.status == ProblemStatus.OPEN


@pytest.mark.django_db
def test_only_staff_record_problems(org):
    for user in (org.leader, org.auditor, org.filer):
        with pytest.raises(PermissionDenied):
            services.record_problem(actor=user, source="public", unit=org.hrss, description="问题")
    with pytest.raises(PermissionDenied):
        services.record_problem(actor=org.staff, source="public", unit=org.jinan_office, description="问题")
    with pytest.raises(DomainError, match="问题描述"):
        services.record_problem(actor=org.staff, source="public", unit=org.hrss, description="  ")
    assert not Problem.objects.exists()


@pytest.mark.django_db
def test_rectification_from_measures_to_verified_close(problem, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.plan_rectification(
        problem, actor=org.filer, measures="调整施工时间", deadline=datetime.date(2026, 10, 20)
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RECTIFYING
    services.add_evidence(
        problem, actor=org.filer, file=SimpleUploadedFile("现场.jpg", samples.jpeg()), caption="整改后"
    )
    with pytest.raises(DomainError, match="不支持的文件类型"):
        services.add_evidence(problem, actor=org.filer, file=SimpleUploadedFile("x.exe", b"MZ"))
    settings.MINSHENG_ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 20)
    with pytest.raises(DomainError, match="文件过大"):
        services.add_evidence(problem, actor=org.filer, file=big)
    assert Evidence.objects.count() == 1
    assert not list((tmp_path / "supervision" / "evidence").glob("**/x.exe"))

    with pytest.raises(InvalidTransition):
        services.verify_rectification(problem, actor=org.staff)  # not yet submitted
    services.submit_rectification(problem, actor=org.filer, result="已调整为白天施工")
    # Someone of the unit itself cannot verify; a leader cannot either.
    hrss_staff = User.objects.create_user("hrss_staff", unit=org.hrss, role=Role.STAFF)
    with pytest.raises(PermissionDenied, match="责任单位以外"):
        services.verify_rectification(problem, actor=hrss_staff)
    with pytest.raises(PermissionDenied):
        services.verify_rectification(problem, actor=org.leader)
    services.reject_rectification(problem, actor=org.staff, note="仍有夜间施工")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RECTIFYING
    services.submit_rectification(problem, actor=org.filer, result="已停止夜间施工")
    services.verify_rectification(problem, actor=org.staff, note="回访群众，已解决")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert problem.closed_at is not None
    assert problem.rectification.verified_by == org.staff


@pytest.mark.django_db
def test_another_units_filer_cannot_rectify(problem, org):
    edu_filer = User.objects.create_user("edu_filer", unit=org.edu, role=Role.FILER)
    later, earlier = datetime.date(2026, 11, 1), datetime.date(2026, 9, 1)
    with pytest.raises(PermissionDenied):
        services.plan_rectification(problem, actor=edu_filer, measures="x", deadline=later)
    with pytest.raises(DomainError, match="不能早于"):
        services.plan_rectification(problem, actor=org.filer, measures="x", deadline=earlier)


@pytest.mark.django_db
def test_an_inspection_records_its_findings_as_problems(org, make_project):
    project = make_project("01", year=2026, targets={"指标": 100})
    inspection = services.record_inspection(
        actor=org.staff,
        kind=InspectionKind.UNANNOUNCED,
        date=datetime.date(2026, 10, 9),
        title="十月上旬暗访",
        inspectors="王民生、李督查",
        projects=[project],
        findings=[
            services.Finding(description="公示牌未设置", project=project),
            services.Finding(description="台账不全", unit=org.edu, severity=Severity.SERIOUS),
        ],
    )
    problems = Problem.objects.filter(inspection=inspection).order_by("pk")
    assert [(p.unit, p.source, p.found_on) for p in problems] == [
        (org.hrss, ProblemSource.INSPECTION, datetime.date(2026, 10, 9)),
        (org.edu, ProblemSource.INSPECTION, datetime.date(2026, 10, 9)),
    ]
    assert list(inspection.projects.all()) == [project]
    assert inspection.region == org.city
    # Units never see the inspection itself (暗访), only the problems addressed to them.
    assert not Inspection.objects.restrict(org.filer).exists()
    assert list(Problem.objects.restrict(org.filer)) == [problems[0]]
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            actor=org.leader, kind="open", date=datetime.date(2026, 10, 9), title="x", inspectors="y"
        )


@pytest.mark.django_db
def test_accountability_counts_per_unit(org, make_project, problem, file_report, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 12, 9, tzinfo=datetime.UTC), tick=False)
    order = services.issue_order(actor=org.staff, unit=org.hrss, title="事项", requirement="要求")
    services.issue_order(actor=org.staff, unit=org.edu, title="事项", requirement="要求")
    time_machine.move_to(datetime.datetime(2026, 10, 14, 9, tzinfo=datetime.UTC), tick=False)
    # 市人社局 acknowledges a day late; feedback (due day 3) not yet due. 市教育局 has not acknowledged.
    services.respond_to_order(order, actor=org.filer, stage=Stage.ACKNOWLEDGE, text="已签收")
    report = file_report(problem.project, 9, {"指标": 50})
    report.status, report.return_reason = ReportStatus.RETURNED, "数据有误"
    report.save()
    ProgressReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)  # resubmitted
    services.plan_rectification(problem, actor=org.filer, measures="x", deadline=datetime.date(2026, 10, 13))

    units = {u.pk: u for u in with_accountability(Unit.objects.all(), 2026, now=timezone.now())}
    hrss, edu = units[org.hrss.pk], units[org.edu.pk]
    assert (hrss.orders, hrss.missed_stages, hrss.returned_reports) == (1, 1, 1)
    assert (hrss.problems_found, hrss.open_problems, hrss.overdue_rectifications) == (1, 1, 1)
    assert (edu.orders, edu.missed_stages, edu.returned_reports, edu.problems_found) == (1, 1, 0, 0)
    assert units[org.lanshan_gov.pk].orders == 0
