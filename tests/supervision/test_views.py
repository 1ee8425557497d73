"""Supervision pages (/supervision/) and admin lists: every role on every page, the unit's answer and
rectification forms, exports, and page query counts that do not grow with the rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision import services
from supervision.choices import OrderStatus, ProblemStatus
from tests import samples

PAGES = ["/supervision/alerts/", "/supervision/orders/", "/supervision/problems/"]
ROLES = ["staff", "leader", "auditor", "filer", "county_staff", "jinan_staff", "admin"]
ADMIN_LISTS = [
    "alert",
    "supervisionorder",
    "problem",
    "rectification",
    "inspection",
    "taskitem",
    "responsibilityitem",
    "unitaccountability",
]


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client, world):
    for path in ["/supervision/", *PAGES, f"/supervision/orders/{world.order.pk}/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/filing/login/"), path


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_page(role, org, world, login):
    client = login(getattr(org, role))
    board = client.get("/supervision/")
    assert board.status_code == (403 if role == "filer" else 200)
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    orders = client.get("/supervision/orders/").content.decode()
    sees_city = role in ("staff", "leader", "auditor", "admin", "filer")
    assert ("补报9月月报" in orders) == sees_city
    assert ("加快进度" in orders) == (role in ("staff", "leader", "auditor", "admin", "county_staff"))
    detail = client.get(f"/supervision/orders/{world.order.pk}/")
    assert detail.status_code == (200 if sees_city else 404)
    problem = client.get(f"/supervision/problems/{world.problem.pk}/")
    assert problem.status_code == (200 if sees_city else 404)
    if sees_city:
        # Only the unit's own filer gets the forms.
        assert ("提交签收部署" in detail.content.decode()) == (role == "filer")
        assert ("保存整改措施" in problem.content.decode()) == (role == "filer")


@pytest.mark.django_db
def test_the_board_lists_what_needs_chasing(org, world, login):
    page = login(org.staff).get("/supervision/").content.decode()
    assert "项目behind" in page
    assert "项目county" in page
    assert "主体完工" in page
    assert "“项目late”2026年9月进展报告逾期未报" in page
    county_page = login(org.county_staff).get("/supervision/").content.decode()
    assert "项目county" in county_page
    assert "项目behind" not in county_page


@pytest.mark.django_db
def test_the_board_says_what_it_is_and_picks_a_period(org, world, login):
    client = login(org.staff)
    page = client.get("/supervision/").content.decode()  # 12 October 2026: January-September is filed
    assert "<h1>临沂市 2026年1-9月份 民生实事督查看板</h1>" in page
    assert '<option value="9" selected>9月</option>' in page
    assert "判断日期：2026年10月12日" in page
    earlier = client.get("/supervision/", {"year": "2026", "month": "6"}).content.decode()
    assert "<h1>临沂市 2026年1-6月份 民生实事督查看板</h1>" in earlier
    assert "判断日期：2026年7月31日" in earlier  # June's report fell due in July
    assert "“项目late”2026年9月进展报告逾期未报" not in earlier
    future = client.get("/supervision/", {"year": "2026", "month": "12"}).content.decode()
    assert "2026年1-9月份" in future
    county = login(org.county_staff).get("/supervision/").content.decode()
    assert "<h1>兰山区 2026年1-9月份 民生实事督查看板</h1>" in county


@pytest.mark.django_db
def test_the_unit_answers_an_order_on_its_page(org, world, login):
    client = login(org.filer)
    url = f"/supervision/orders/{world.order.pk}/"
    response = client.post(url, {"stage": "acknowledge", "text": "已部署专人补报"})
    assert response.status_code == 302
    world.order.refresh_from_db()
    assert world.order.status == OrderStatus.ACKNOWLEDGED
    skipped = client.post(url, {"stage": "report", "text": "跳过"}, follow=True)
    assert "当前应办理“反馈进展”" in skipped.content.decode()
    staff = login(org.staff).post(url, {"stage": "feedback", "text": "代答"}, follow=True)
    assert "只有承办单位的工作人员" in staff.content.decode()
    world.order.refresh_from_db()
    assert world.order.fed_back_at is None


@pytest.mark.django_db
def test_the_unit_rectifies_on_its_page(org, world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(org.filer)
    url = f"/supervision/problems/{world.problem.pk}/"
    client.post(url, {"step": "plan", "measures": "补设公示牌", "deadline": "2026-10-20"})
    bad = client.post(url, {"step": "evidence", "file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True)
    assert "不支持的文件类型" in bad.content.decode()
    client.post(
        url, {"step": "evidence", "file": SimpleUploadedFile("牌.png", samples.png()), "caption": "新牌"}
    )
    client.post(url, {"step": "submit", "result": "已补设"})
    world.problem.refresh_from_db()
    assert world.problem.status == ProblemStatus.SUBMITTED
    assert world.problem.rectification.evidence.count() == 1
    page = client.get(url).content.decode()
    assert "新牌" in page
    assert "保存整改措施" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/supervision/", *PAGES])
def test_page_queries_do_not_grow_with_rows(path, org, world, login):
    client = login(org.staff)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(3):
        services.issue_order(actor=org.staff, unit=org.edu, title=f"事项{i}", requirement="要求")
        services.record_problem(actor=org.staff, source="public", unit=org.edu, description=f"问题{i}")
    services.scan_alerts(datetime.date(2026, 10, 10))
    assert count() == before


# -- admin --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_admin_list(role, org, world, login):
    client = login(getattr(org, role))
    for model in ADMIN_LISTS:
        response = client.get(f"/admin/supervision/{model}/")
        if role == "filer":
            assert response.status_code == 302, model  # no admin access: to the admin login
        else:
            assert response.status_code == 200, (model, response.status_code)
    add = client.get("/admin/supervision/supervisionorder/add/")
    assert add.status_code == {"staff": 200, "admin": 200, "county_staff": 200, "jinan_staff": 200}.get(
        role, 302 if role == "filer" else 403
    )


@pytest.mark.django_db
def test_admin_lists_are_scoped_and_show_history_to_auditors(org, world, login):
    staff = login(org.staff).get("/admin/supervision/supervisionorder/").content.decode()
    assert "补报9月月报" in staff
    assert "加快进度" in staff
    county = login(org.county_staff).get("/admin/supervision/supervisionorder/").content.decode()
    assert "补报9月月报" not in county
    assert "加快进度" in county
    history = login(org.auditor).get(f"/admin/supervision/supervisionorder/{world.order.pk}/history/")
    assert history.status_code == 200
    assert (
        login(org.county_staff)
        .get(f"/admin/supervision/supervisionorder/{world.order.pk}/history/")
        .status_code
        == 404  # out of scope reads as not found (issue 15)
    )


@pytest.mark.django_db
def test_staff_issue_an_order_in_the_admin(org, world, login):
    response = login(org.staff).post(
        "/admin/supervision/supervisionorder/add/",
        {"unit": org.edu.pk, "title": "加快幼儿园建设", "requirement": "十日内报告", "report_days": "12"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    order = world.order.__class__.objects.get(title="加快幼儿园建设")
    assert order.issued_by == org.staff
    assert order.serial == 2
    assert order.report_due - order.issued_at == datetime.timedelta(days=12)


@pytest.mark.django_db
def test_staff_record_an_inspection_in_the_admin_through_the_service(org, world, login):
    project = world.projects["late"]
    form = {
        "kind": "unannounced",
        "date": "2026-10-10",
        "title": "十月暗访",
        "inspectors": "王民生、李督查",
        "projects": [project.pk],
        "summary": "",
        "findings-TOTAL_FORMS": 1,
        "findings-INITIAL_FORMS": 0,
        "findings-0-unit": org.hrss.pk,
        "findings-0-project": project.pk,
        "findings-0-description": "工地无公示牌",
        "findings-0-severity": "minor",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    response = login(org.staff).post("/admin/supervision/inspection/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = world.inspection.__class__.objects.get(title="十月暗访")
    assert (inspection.region, inspection.recorded_by) == (org.city, org.staff)
    assert list(inspection.projects.all()) == [project]
    assert inspection.findings.get().description == "工地无公示牌"

    # An administrator with no unit and no project: the service cannot tell the region; said on the form.
    refused = login(org.admin).post(
        "/admin/supervision/inspection/add/",
        {**form, "title": "无区划", "projects": [], "findings-TOTAL_FORMS": 0},
    )
    assert refused.status_code == 200
    assert "无法确定督查所属区划" in refused.content.decode()
    assert not world.inspection.__class__.objects.filter(title="无区划").exists()


def test_staff_close_and_verify_through_admin_steps(org, world, login):
    for stage in ("acknowledge", "feedback", "settle", "report"):
        services.respond_to_order(world.order, actor=org.filer, stage=stage, text="办理")
    client = login(org.staff)
    url = f"/admin/supervision/supervisionorder/{world.order.pk}/close/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": ""}).status_code == 200  # a note is required
    assert client.post(url, {"note": "同意销号"}).status_code == 302
    world.order.refresh_from_db()
    assert world.order.status == OrderStatus.CLOSED
    services.plan_rectification(
        world.problem, actor=org.filer, measures="措施", deadline=datetime.date(2026, 11, 1)
    )
    services.submit_rectification(world.problem, actor=org.filer, result="完成")
    verify = f"/admin/supervision/rectification/{world.problem.rectification.pk}/verify/"
    assert login(org.leader).post(verify, {"note": ""}).status_code == 403
    assert login(org.staff).post(verify, {"note": ""}).status_code == 302
    world.problem.refresh_from_db()
    assert world.problem.status == ProblemStatus.CLOSED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["problem", "taskitem", "responsibilityitem", "unitaccountability", "alert"]
)
def test_lists_export_to_excel(model, org, world, login):
    client = login(org.leader)
    page = client.get(f"/admin/supervision/{model}/export/")
    assert page.status_code == 200
    form = page.context["form"]
    # Every column ticked, as the form offers them; format 0 is the first of the configured formats.
    data = {"format": "0", **{name: "on" for name, field in form.fields.items() if field.initial is True}}
    response = client.post(f"/admin/supervision/{model}/export/", data)
    assert response.status_code == 200
    assert "spreadsheet" in response["Content-Type"] or "csv" in response["Content-Type"], response[
        "Content-Type"
    ]
