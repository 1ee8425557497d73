"""The filing services: cooperating units' parts, corrections as revisions, future months, and the
notifications each step sends (once)."""

from decimal import Decimal

import pytest

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from notifications.models import Notification
from projects import services
from projects.choices import ReportStatus
from projects.models import ProgressReport, ReportContribution, ReportRevision

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("filing_day")]


def targets(project):
    return list(project.targets.values_list("pk", flat=True))


def test_only_a_cooperating_units_filer_writes_a_part(filing_project):
    org = filing_project.org
    jobs, _ = targets(filing_project)
    for user in (org.filer, org.lanshan_filer, org.staff, org.leader):
        with pytest.raises(PermissionDenied):
            services.save_contribution(filing_project, 5, actor=user, values={jobs: 1})
    assert not ProgressReport.objects.filter(month=5).exists()
    part = services.save_contribution(
        filing_project, 5, actor=org.edu_filer, values={jobs: 700}, narrative="校园招聘"
    )
    assert part.unit == org.edu
    assert part.values.get().value == Decimal("700")
    # A second save updates the same part.
    services.save_contribution(filing_project, 5, actor=org.edu_filer, values={jobs: 800})
    assert ReportContribution.objects.get().values.get().value == Decimal("800")


def test_a_part_cannot_change_after_the_lead_submits(filing_project):
    org = filing_project.org
    jobs, skills = targets(filing_project)
    report = services.save_report(filing_project, 5, actor=org.filer, values={jobs: 40000, skills: 30000})
    services.submit_report(report, actor=org.filer)
    with pytest.raises(InvalidTransition):
        services.save_contribution(filing_project, 5, actor=org.edu_filer, values={jobs: 1})
    assert not ReportContribution.objects.exists()


def test_future_month_refused_nothing_created(filing_project):
    org = filing_project.org
    with pytest.raises(DomainError, match="尚未到来") as error:
        services.save_report(filing_project, 7, actor=org.filer, values={})
    assert error.value.code == "future_month"
    with pytest.raises(DomainError, match="尚未到来"):
        services.save_contribution(filing_project, 7, actor=org.edu_filer, values={})
    assert not ProgressReport.objects.filter(month__gte=6).exists()
    # The month in progress may be filed (figures to date).
    services.save_report(filing_project, 6, actor=org.filer, values={})


def test_correction_of_an_accepted_report_is_a_recorded_revision(
    filing_project, django_capture_on_commit_callbacks
):
    org = filing_project.org
    jobs, skills = targets(filing_project)
    april = ProgressReport.objects.get(month=4)
    with pytest.raises(DomainError, match="原因"):
        services.correct_report(april, actor=org.filer, reason=" ", values={jobs: 31000})
    with pytest.raises(PermissionDenied):
        services.correct_report(april, actor=org.edu_filer, reason="x", values={jobs: 31000})
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.correct_report(
            april, actor=org.filer, reason="漏统计一个区", values={jobs: 31000}
        )
    april.refresh_from_db()
    assert (april.status, april.revision, april.correction_reason) == (
        ReportStatus.SUBMITTED,
        1,
        "漏统计一个区",
    )
    assert revision.previous["values"][str(jobs)] == "30000.0000"
    assert april.values.get(target_id=jobs).value == Decimal("31000")
    # Staff of the city are told; a draft cannot be "corrected".
    assert Notification.objects.filter(user=org.staff, event=f"report:{april.pk}:revision:1").exists()
    with pytest.raises(InvalidTransition):
        services.correct_report(april, actor=org.filer, reason="再改", values={})
    services.accept_report(april, actor=org.staff)
    services.correct_report(april, actor=org.staff, reason="核减", values={jobs: 29000})
    assert list(ReportRevision.objects.values_list("number", flat=True)) == [1, 2]


def test_each_step_notifies_once(filing_project, outboxes, django_capture_on_commit_callbacks):
    org = filing_project.org
    org.staff.email = "staff@example.cn"
    org.staff.save(update_fields=["email"])
    jobs, skills = targets(filing_project)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.save_report(filing_project, 5, actor=org.filer, values={jobs: 40000, skills: 30000})
        services.submit_report(report, actor=org.filer)
    assert [m.to for m in outboxes.mail] == [["staff@example.cn"]]
    assert Notification.objects.filter(user=org.staff).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(report, actor=org.staff, reason="缺少名册")
    returned = Notification.objects.filter(event__contains=":returned:")
    assert sorted(n.user.username for n in returned) == ["filer", "filer2"]
    assert [m.phone for m in outboxes.sms] == ["13800000001"]
    # Resubmitting is a new event: staff hear of it again; accepting tells the lead unit.
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report, actor=org.filer)
        services.accept_report(report, actor=org.staff)
    assert Notification.objects.filter(user=org.staff).count() == 2
    assert Notification.objects.filter(event=f"report:{report.pk}:accepted:0").count() == 2


def test_a_refused_step_sends_nothing(filing_project, outboxes, django_capture_on_commit_callbacks):
    org = filing_project.org
    jobs, _ = targets(filing_project)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(DomainError):
        report = services.save_report(filing_project, 5, actor=org.filer, values={jobs: 100})
    assert callbacks == []
    assert not Notification.objects.exists()
    report = services.save_report(
        filing_project, 5, actor=org.filer, values={jobs: 100}, correction_reason="口径调整"
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.submit_report(report, actor=org.edu_filer)
    assert not Notification.objects.exists()
    assert outboxes.mail == []


def test_admin_report_page_shows_parts_and_revisions(client, filing_project):
    org = filing_project.org
    jobs, _ = targets(filing_project)
    april = ProgressReport.objects.get(month=4)
    services.correct_report(april, actor=org.filer, reason="漏统计一个区", values={jobs: 31000})
    client.force_login(org.staff)
    body = client.get(f"/admin/projects/progressreport/{april.pk}/change/").content.decode()
    assert "更正记录" in body
    assert "漏统计一个区" in body
    assert "配合单位报送" in body
