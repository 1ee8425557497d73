"""The filing pages: who sees what, the monthly form for the lead unit, a cooperating unit's part, review."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.choices import ReportStatus
from projects.models import ProgressReport, ReportContribution
from tests import samples
from tests.clients import VerifiedClient, pass_second_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("filing_day")]


def report_url(project, month=5):
    return reverse("filing:report", kwargs={"pk": project.pk, "month": month})


def form_data(project, values=(40000, 30000), action="save", **extra):
    data = {"action": action, "narrative": "春风行动", "problems": "", "next_steps": ""}
    data["investment_wan"] = "120.5"
    for target, value in zip(project.targets.all(), values, strict=True):
        data[f"value_{target.pk}"] = str(value)
    data.update(extra)
    return data


def test_pages_need_sign_in(client, filing_project):
    for url in (reverse("filing:home"), report_url(filing_project), reverse("filing:review")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/filing/login/")


def test_login_page_signs_in_and_goes_home(client, filing_project):
    response = client.post(reverse("filing:login"), {"username": "filer", "password": "test-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("filing:home")
    pass_second_factor(client, filing_project.org.filer)  # issue 15: the second step (tests/twofactor/)
    assert "城镇新增就业" in client.get(reverse("filing:home")).content.decode()


def test_filer_sees_only_projects_the_unit_leads_or_cooperates_on(client, filing_project, make_project):
    org = filing_project.org
    make_project("2026-02", year=2026, title="别的单位的项目", lead_unit=org.lanshan_gov)
    for user, sees in ((org.filer, True), (org.edu_filer, True), (org.lanshan_filer, False)):
        client.force_login(user)
        body = client.get(reverse("filing:home")).content.decode()
        assert ("城镇新增就业" in body) is sees
        assert ("别的单位的项目" in body) is (user == org.lanshan_filer)
        assert client.get(report_url(filing_project)).status_code == (200 if sees else 404)


def test_home_shows_status_and_due_date(client, filing_project, django_assert_max_num_queries):
    client.force_login(filing_project.org.filer)
    with django_assert_max_num_queries(7):  # session, user, unit, count, projects, windows, unread
        body = client.get(reverse("filing:home")).content.decode()
    assert "2026年5月进展" in body
    assert "未开始" in body
    assert "6月5日" in body
    body = client.get(reverse("filing:home") + "?period=2026-04").content.decode()
    assert "已采纳" in body


def test_home_query_count_does_not_grow_with_projects(
    client, filing_project, make_project, django_assert_max_num_queries
):
    for i in range(10):
        make_project(f"2026-1{i}", year=2026, targets={"x": 1})
    client.force_login(filing_project.org.filer)
    with django_assert_max_num_queries(7):  # session, user, unit, count, projects, windows, unread
        body = client.get(reverse("filing:home")).content.decode()
    assert body.count("未开始") == 11


def test_home_pages_long_lists(client, filing_project, make_project):
    for i in range(55):
        make_project(f"2026-P{i:02d}", year=2026)
    client.force_login(filing_project.org.staff)
    first = client.get(reverse("filing:home")).content.decode()
    assert first.count("未开始") == 50
    assert "第1/2页，共56个项目" in first
    second = client.get(reverse("filing:home") + "?period=2026-05&page=2").content.decode()
    assert second.count("未开始") == 6


def test_lead_filer_saves_draft_then_submits(client, filing_project):
    org = filing_project.org
    client.force_login(org.filer)
    page = client.get(report_url(filing_project)).content.decode()
    assert "30000" in page
    assert "（4月）" in page
    response = client.post(report_url(filing_project), form_data(filing_project))
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=filing_project, month=5)
    assert report.status == ReportStatus.DRAFT
    assert report.investment_completed == Decimal("1205000.00")
    page = client.get(report_url(filing_project)).content.decode()
    assert "已保存草稿" in page
    assert "44.4%" in page
    # 报送 asks for confirmation on the server: without it the draft is saved and the page asks again.
    response = client.post(report_url(filing_project), form_data(filing_project, action="submit"))
    assert response["Location"] == report_url(filing_project) + "?confirm=submit"
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "确认报送" in page
    assert "请核对后确认报送" in page
    submit = reverse("filing:submit_report", kwargs={"pk": filing_project.pk, "month": 5})
    assert client.get(submit).status_code == 405
    client.post(submit)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == org.filer
    # The page's confirm dialog sends confirmed=1 with the form: one step.
    report.status, report.return_reason = ReportStatus.RETURNED, "补充"
    report.save(update_fields=["status", "return_reason"])
    client.post(report_url(filing_project), form_data(filing_project, action="submit", confirmed="1"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_cumulative_value_going_down_needs_a_reason(client, filing_project):
    client.force_login(filing_project.org.filer)
    response = client.post(report_url(filing_project), form_data(filing_project, values=(25000, 30000)))
    assert response.status_code == 400
    assert "低于4月的" in response.content.decode()
    assert "更正说明" in response.content.decode()
    assert not ProgressReport.objects.filter(month=5).exists()
    response = client.post(
        report_url(filing_project),
        form_data(filing_project, values=(25000, 30000), correction_reason="4月多报，核减"),
    )
    assert response.status_code == 302


def test_future_month_is_refused(client, filing_project):
    client.force_login(filing_project.org.filer)
    response = client.post(report_url(filing_project, 7), form_data(filing_project))
    assert response.status_code == 400
    assert "尚未到来" in response.content.decode()
    assert not ProgressReport.objects.filter(month=7).exists()


def test_cooperating_unit_adds_its_part_and_cannot_submit(client, filing_project):
    org = filing_project.org
    client.force_login(org.edu_filer)
    response = client.post(
        report_url(filing_project), {"action": "submit", **form_data(filing_project, values=(500, ""))}
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=filing_project, month=5)
    assert report.status == ReportStatus.DRAFT  # only the lead unit submits the whole
    part = ReportContribution.objects.get(report=report)
    assert part.unit == org.edu
    assert part.narrative == "春风行动"
    assert [v.value for v in part.values.all()] == [Decimal("500")]
    assert not report.values.exists()
    client.force_login(org.filer)
    page = client.get(report_url(filing_project)).content.decode()
    assert "配合单位报送" in page
    assert "市教育局" in page


def test_staff_accepts_or_returns_and_the_lead_corrects(
    client, filing_project, outboxes, django_capture_on_commit_callbacks
):
    org = filing_project.org
    client.force_login(org.filer)
    client.post(report_url(filing_project), form_data(filing_project, action="submit", confirmed="1"))
    client.force_login(org.staff)
    assert "城镇新增就业" in client.get(reverse("filing:review")).content.decode()
    review = reverse("filing:review_report", kwargs={"pk": filing_project.pk, "month": 5})
    client.post(review, {"action": "return", "reason": ""})
    report = ProgressReport.objects.get(project=filing_project, month=5)
    assert report.status == ReportStatus.SUBMITTED  # a return needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"action": "return", "reason": "请补充照片"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert [m.phone for m in outboxes.sms if "请补充照片" in m.text] == ["13800000001"]
    client.force_login(org.filer)
    assert "请补充照片" in client.get(report_url(filing_project)).content.decode()
    client.post(report_url(filing_project), form_data(filing_project, action="submit", confirmed="1"))
    client.force_login(org.staff)
    client.post(review, {"action": "accept"})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    # Accepted: locked; a plain save is not offered, a correction needs a reason and is recorded.
    client.force_login(org.filer)
    response = client.post(report_url(filing_project), form_data(filing_project, values=(41000, 30000)))
    assert response.status_code == 400
    response = client.post(
        report_url(filing_project),
        form_data(filing_project, values=(41000, 30000), action="correct", correction_reason="漏报一个街道"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.revision == 1
    revision = report.revisions.get()
    first_target = str(filing_project.targets.first().pk)
    assert revision.reason == "漏报一个街道"
    assert revision.previous["values"][first_target] == "40000.0000"


@pytest.mark.parametrize("who", ["leader", "auditor", "county_staff", "jinan_staff"])
def test_other_roles_cannot_write(client, filing_project, who):
    user = getattr(filing_project.org, who)
    client.force_login(user)
    response = client.post(report_url(filing_project), form_data(filing_project))
    assert response.status_code in (403, 404)
    assert not ProgressReport.objects.filter(month=5).exists()
    assert client.get(reverse("filing:review")).status_code == (200 if who.endswith("staff") else 403)


def test_leader_reads_the_report_without_a_form(client, filing_project):
    client.force_login(filing_project.org.leader)
    page = client.get(report_url(filing_project, 4)).content.decode()
    assert "30,000人" in page
    assert '<form method="post" enctype' not in page
    assert "累计完成投资" in page
    assert ".0000" not in page
    assert "None" not in page


def test_the_form_still_checks_csrf(filing_project):
    # The page is csrf_exempt for the upload guard and csrf_protect inside: a forged post is refused.

    client = VerifiedClient(enforce_csrf_checks=True)
    client.force_login(filing_project.org.filer)
    response = client.post(report_url(filing_project), form_data(filing_project))
    assert response.status_code == 403
    assert not ProgressReport.objects.filter(month=5).exists()


PNG = samples.png()  # a real image: uploads are opened and verified, not just sniffed


def test_reviewer_sees_investment_and_photo_thumbnails(client, filing_project, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    org = filing_project.org
    client.force_login(org.filer)
    data = form_data(filing_project, action="submit", confirmed="1", investment_wan="1.2亿")
    data["photos"] = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    assert client.post(report_url(filing_project), data).status_code == 302
    client.force_login(org.staff)
    listing = client.get(reverse("filing:review")).content.decode()
    assert "1.2亿元" in listing
    assert "1张" in listing
    page = client.get(report_url(filing_project)).content.decode()
    assert "累计完成投资" in page
    assert "1.2亿元" in page
    attachment = ProgressReport.objects.get(project=filing_project, month=5).attachments.get()
    file_url = reverse("filing:attachment", args=[attachment.pk])
    assert f'<a href="{file_url}" target="_blank" rel="noopener"><img src="{file_url}"' in page
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    # Someone who may not see the report cannot fetch its photo either.
    client.force_login(org.lanshan_filer)
    assert client.get(file_url).status_code == 404


def test_home_has_a_year_and_month_picker(client, filing_project):
    client.force_login(filing_project.org.filer)
    page = client.get(reverse("filing:home")).content.decode()
    assert '<option value="2026" selected>2026年</option>' in page
    assert '<option value="5" selected>5月</option>' in page  # today's period: May, filed in June
    page = client.get(reverse("filing:home"), {"year": "2026", "month": "4"}).content.decode()
    assert "2026年4月进展" in page
    assert "已采纳" in page
    # A month still to come, or nonsense, falls back to the current period.
    for params in (
        {"year": "2026", "month": "9"},
        {"year": "x", "month": "4"},
        {"year": "2026", "month": "13"},
    ):
        assert "2026年5月进展" in client.get(reverse("filing:home"), params).content.decode()
