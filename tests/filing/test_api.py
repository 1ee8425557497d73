"""The filing API: my projects with the period's status, reports written through the same services."""

import pytest

from projects.choices import ReportStatus
from projects.models import ProgressReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("filing_day")]


def body(project, values=(40000, 30000), **extra):
    targets = list(project.targets.all())
    return {
        "project": project.pk,
        "month": 5,
        "values": [
            {"target": t.pk, "value": str(v)} for t, v in zip(targets, values, strict=True) if v != ""
        ],
        "narrative": "春风行动",
        **extra,
    }


def test_my_projects_with_period_status(client, filing_project, make_project, django_assert_max_num_queries):
    make_project("2026-09", year=2026, lead_unit=filing_project.org.lanshan_gov, title="兰山的项目")
    client.force_login(filing_project.org.filer)
    with django_assert_max_num_queries(6):  # session, user, unit, count, projects, windows
        data = client.get("/api/v1/filing/projects/").json()
    assert (data["year"], data["month"]) == (2026, 5)
    assert [(p["title"], p["status_label"], p["due"], p["role"]) for p in data["results"]] == [
        ("城镇新增就业", "未开始", "2026-06-05", "lead")
    ]
    april = client.get("/api/v1/filing/projects/?period=2026-04").json()["results"]
    assert april[0]["status"] == "accepted"
    assert april[0]["status_label"] == "已采纳"
    client.force_login(filing_project.org.edu_filer)
    assert client.get("/api/v1/filing/projects/").json()["results"][0]["role"] == "part"


def test_filer_creates_updates_and_submits(client, filing_project):
    client.force_login(filing_project.org.filer)
    response = client.post("/api/v1/filing/reports/", body(filing_project), content_type="application/json")
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["status"] == "draft"
    assert [v["value"] for v in report["values"]] == [
        "40000.0000",
        "30000.0000",
    ]
    response = client.patch(
        f"/api/v1/filing/reports/{report['id']}/", {"next_steps": "继续推进"}, content_type="application/json"
    )
    assert response.json()["next_steps"] == "继续推进"
    response = client.post(f"/api/v1/filing/reports/{report['id']}/submit/")
    assert response.status_code == 200
    assert response.json()["status_label"] == "已提交"
    response = client.patch(
        f"/api/v1/filing/reports/{report['id']}/", {"narrative": "改"}, content_type="application/json"
    )
    assert response.status_code == 409


def test_refusals_change_nothing(client, filing_project):
    org = filing_project.org
    client.force_login(org.filer)
    response = client.post(
        "/api/v1/filing/reports/", body(filing_project, values=(100, 30000)), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "cumulative_decreased"
    assert "低于4月" in response.json()["detail"]
    response = client.post(
        "/api/v1/filing/reports/", {**body(filing_project), "month": 8}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "future_month"
    client.force_login(org.lanshan_filer)
    response = client.post("/api/v1/filing/reports/", body(filing_project), content_type="application/json")
    assert response.status_code == 404
    assert not ProgressReport.objects.filter(month__in=(5, 8)).exists()
    # Accepted April is locked.
    client.force_login(org.filer)
    april = ProgressReport.objects.get(month=4)
    response = client.patch(
        f"/api/v1/filing/reports/{april.pk}/", {"narrative": "改"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "report_locked"
    assert client.post(f"/api/v1/filing/reports/{april.pk}/submit/").status_code == 409


def test_cooperating_filer_writes_its_part_only(client, filing_project):
    client.force_login(filing_project.org.edu_filer)
    response = client.post(
        "/api/v1/filing/reports/", body(filing_project, values=(500, "")), content_type="application/json"
    )
    assert response.status_code == 201
    report = response.json()
    assert report["values"] == []
    assert report["contributions"][0]["values"][0]["value"] == "500.0000"
    assert client.post(f"/api/v1/filing/reports/{report['id']}/submit/").status_code == 403
    assert ProgressReport.objects.get(pk=report["id"]).status == ReportStatus.DRAFT


def test_staff_reviews_others_cannot(client, filing_project):
    org = filing_project.org
    report = ProgressReport.objects.create(
        project=filing_project,
        month=5,
        status=ReportStatus.SUBMITTED,
        submitted_at="2026-06-01T10:00:00+08:00",
    )
    for user in (org.filer, org.leader, org.auditor):
        client.force_login(user)
        assert client.post(f"/api/v1/filing/reports/{report.pk}/accept/").status_code == 403
    client.force_login(org.jinan_staff)
    assert client.post(f"/api/v1/filing/reports/{report.pk}/accept/").status_code == 404
    client.force_login(org.staff)
    response = client.post(f"/api/v1/filing/reports/{report.pk}/return/", {}, content_type="application/json")
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/filing/reports/{report.pk}/return/", {"reason": "缺照片"}, content_type="application/json"
    )
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "缺照片"


def test_report_list_is_scoped_and_query_count_flat(
    client, filing_project, make_project, file_report, django_assert_max_num_queries
):
    other = make_project("2026-07", year=2026, lead_unit=filing_project.org.lanshan_gov, targets={"x": 5})
    file_report(other, 4, {"x": 1})
    client.force_login(filing_project.org.filer)
    # session, user, count, reports, values, parts, their values and targets: not one more per report
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/filing/reports/").json()
    assert [(r["project"], r["month"]) for r in data["results"]] == [(filing_project.pk, 4)]
    client.force_login(filing_project.org.staff)
    assert data["count"] == 1
    assert client.get("/api/v1/filing/reports/").json()["count"] == 2


def test_anonymous_gets_403(client, filing_project):
    assert client.get("/api/v1/filing/projects/").status_code == 403
    assert client.get("/api/v1/filing/reports/").status_code == 403
