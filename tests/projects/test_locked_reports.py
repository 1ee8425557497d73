"""An accepted (locked) report cannot be deleted by anyone, in the admin or the API; drafts can be."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from projects.choices import ReportStatus
from projects.models import ProgressReport, Project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("filing_day")]

CHANGELIST = "admin:projects_progressreport_changelist"


@pytest.fixture
def reports(filing_project):
    """April accepted (the fixture's), May a draft, March submitted."""
    april = ProgressReport.objects.get(project=filing_project, month=4)
    may = ProgressReport.objects.create(project=filing_project, month=5, status=ReportStatus.DRAFT)
    march = ProgressReport.objects.create(
        project=filing_project,
        month=3,
        status=ReportStatus.SUBMITTED,
        submitted_at="2026-04-03T10:00:00+08:00",
    )
    return {"accepted": april, "draft": may, "submitted": march}


def bulk_delete(client, *reports, confirm=False):
    data = {"action": "delete_selected", "_selected_action": [r.pk for r in reports]}
    if confirm:
        data["post"] = "yes"
    return client.post(reverse(CHANGELIST), data)


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_nobody_deletes_an_accepted_report_in_the_admin(client, filing_project, reports, who):
    client.force_login(getattr(filing_project.org, who))
    locked = reports["accepted"]
    delete_url = reverse("admin:projects_progressreport_delete", args=[locked.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change = client.get(reverse("admin:projects_progressreport_change", args=[locked.pk])).content.decode()
    assert delete_url not in change
    response = bulk_delete(client, locked, reports["draft"], confirm=True)
    assert response.status_code == 302
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "已采纳" in text
    assert "不能删除" in text
    assert "更正" in text
    assert ProgressReport.objects.filter(pk__in=[locked.pk, reports["draft"].pk]).count() == 2


def test_a_draft_is_deleted_through_the_bulk_action(client, filing_project, reports):
    client.force_login(filing_project.org.staff)
    confirm = bulk_delete(client, reports["draft"])
    assert confirm.status_code == 200
    assert "确定" in confirm.content.decode()
    assert bulk_delete(client, reports["draft"], confirm=True).status_code == 302
    assert not ProgressReport.objects.filter(pk=reports["draft"].pk).exists()
    assert ProgressReport.objects.filter(pk=reports["accepted"].pk).exists()


def test_deleting_a_project_does_not_take_its_locked_reports_with_it(client, filing_project, reports):
    client.force_login(filing_project.org.admin)
    url = reverse("admin:projects_project_delete", args=[filing_project.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Project.objects.filter(pk=filing_project.pk).exists()
    assert ProgressReport.objects.filter(pk=reports["accepted"].pk).exists()


def api_delete(client, report):
    return client.delete(f"/api/v1/filing/reports/{report.pk}/")


def test_api_refuses_to_delete_a_locked_report_with_a_code(client, filing_project, reports):
    for user in (filing_project.org.filer, filing_project.org.staff, filing_project.org.admin):
        client.force_login(user)
        response = api_delete(client, reports["accepted"])
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "report_locked"
        assert "已锁定" in body["detail"]
        assert "更正" in body["detail"]
    response = api_delete(client, reports["submitted"])
    assert response.status_code == 409
    assert response.json()["code"] == "report_not_deletable"
    assert ProgressReport.objects.filter(project=filing_project).count() == 3


def test_api_deletes_a_draft_for_its_editors_only(client, filing_project, reports):
    org = filing_project.org
    client.force_login(org.edu_filer)  # a cooperating unit: sees the report, may not delete it
    assert api_delete(client, reports["draft"]).status_code == 403
    client.force_login(org.lanshan_filer)
    assert api_delete(client, reports["draft"]).status_code == 404
    client.force_login(org.filer)
    assert api_delete(client, reports["draft"]).status_code == 204
    assert not ProgressReport.objects.filter(pk=reports["draft"].pk).exists()
