"""Every role on every filing page and endpoint: what each may see and do."""

import pytest
from django.urls import reverse

from projects.choices import ReportStatus
from projects.models import ProgressReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("filing_day")]

# user → (home lists the project, report page, review list, may write the report, may review)
MATRIX = {
    "filer": (True, 200, 403, True, False),
    "edu_filer": (True, 200, 403, True, False),  # its own part
    "lanshan_filer": (False, 404, 403, False, False),
    "staff": (True, 200, 200, True, True),
    "admin": (True, 200, 200, True, True),
    "leader": (True, 200, 403, False, False),
    "auditor": (True, 200, 403, False, False),
    "county_staff": (False, 404, 200, False, False),
    "jinan_staff": (False, 404, 200, False, False),
}


@pytest.mark.parametrize("who", MATRIX)
def test_pages_by_role(client, filing_project, who):
    lists, report_status, review_status, writes, _ = MATRIX[who]
    client.force_login(getattr(filing_project.org, who))
    assert ("城镇新增就业" in client.get(reverse("filing:home")).content.decode()) is lists
    url = reverse("filing:report", kwargs={"pk": filing_project.pk, "month": 5})
    page = client.get(url)
    assert page.status_code == report_status
    assert client.get(reverse("filing:review")).status_code == review_status
    if report_status == 200:
        assert ('enctype="multipart/form-data"' in page.content.decode()) is writes
    target = filing_project.targets.first()
    response = client.post(url, {"action": "save", f"value_{target.pk}": "40000"})
    assert (response.status_code == 302) is writes
    assert ProgressReport.objects.filter(month=5).exists() is writes


@pytest.mark.parametrize("who", MATRIX)
def test_review_by_role(client, filing_project, who):
    *_, reviews = MATRIX[who]
    report = ProgressReport.objects.create(
        project=filing_project,
        month=5,
        status=ReportStatus.SUBMITTED,
        submitted_at="2026-06-01T10:00:00+08:00",
    )
    client.force_login(getattr(filing_project.org, who))
    client.post(
        reverse("filing:review_report", kwargs={"pk": filing_project.pk, "month": 5}), {"action": "accept"}
    )
    report.refresh_from_db()
    assert (report.status == ReportStatus.ACCEPTED) is reviews


@pytest.mark.parametrize("who", MATRIX)
def test_api_by_role(client, filing_project, who):
    lists, report_status, _, writes, reviews = MATRIX[who]
    client.force_login(getattr(filing_project.org, who))
    titles = [p["title"] for p in client.get("/api/v1/filing/projects/").json()["results"]]
    assert ("城镇新增就业" in titles) is lists
    april = ProgressReport.objects.get(month=4)
    assert client.get(f"/api/v1/filing/reports/{april.pk}/").status_code == report_status
    target = filing_project.targets.first()
    response = client.post(
        "/api/v1/filing/reports/",
        {"project": filing_project.pk, "month": 5, "values": [{"target": target.pk, "value": "40000"}]},
        content_type="application/json",
    )
    assert (response.status_code == 201) is writes
    assert client.get("/api/v1/notifications/").status_code == 200
