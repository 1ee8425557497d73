"""One login, a home per role, the 民生办 workbench, the change history, the shared navigation (pages and
admin), one colour and Chinese error pages."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from org.choices import Role
from org.models import User
from projects.models import Project
from tests.conftest import PASSWORD
from tests.system.test_admin_translations import english_words, visible_text

HOMES = {
    "staff": "/workbench/",
    "county_staff": "/workbench/",
    "admin": "/workbench/",
    "leader": "/dashboard/",
    "auditor": "/history/",
    "filer": "/filing/",
}
LOGIN_URLS = ["/login/", "/admin/login/", "/filing/login/"]


def nav_keys(body: str) -> set[str]:
    nav = re.search(r'<nav aria-label="主导航" class="site-nav-wrap">(.*?)</nav>', body, flags=re.S)
    assert nav, "the page has no shared navigation"
    return set(re.findall(r'data-nav="(\w+)"', nav.group(1)))


# -- one login


@pytest.mark.parametrize("login_url", LOGIN_URLS)
@pytest.mark.parametrize("role", list(HOMES))
def test_signing_in_anywhere_lands_on_the_roles_home(client, org, login_url, role):
    response = client.post(login_url, {"username": getattr(org, role).username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOMES[role]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("login_url", LOGIN_URLS)
def test_every_login_url_shows_the_one_chinese_login_page(client, org, login_url):
    response = client.get(login_url)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "registration/login.html"
    body = response.content.decode()
    assert "欢迎登录民生实事管理系统" in body
    assert "用户名" in body
    assert "密码" in body
    assert english_words(visible_text(body)) == []


def test_a_wrong_password_is_refused_in_chinese(client, org):
    response = client.post("/admin/login/", {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_next_is_honoured_and_an_outside_next_is_not(client, org):
    project_list = "/admin/projects/project/"
    response = client.post(f"/admin/login/?next={project_list}", {"username": "leader", "password": PASSWORD})
    assert response["Location"] == project_list
    client.logout()
    response = client.post(
        "/filing/login/", {"username": "staff", "password": PASSWORD, "next": "/supervision/alerts/"}
    )
    assert response["Location"] == "/supervision/alerts/"
    client.logout()
    response = client.post(
        "/login/", {"username": "staff", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/workbench/"


def test_a_filer_sent_from_the_admin_goes_to_the_filing_page_not_back_into_the_admin(client, org):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.post(response["Location"], {"username": "filer", "password": PASSWORD})
    assert response["Location"] == "/filing/"
    # Signed in, the admin still refuses; its login page sends the filer home instead of looping.
    refused = client.get("/admin/")
    assert refused.status_code == 302
    assert client.get(refused["Location"])["Location"] == "/filing/"


def test_pages_send_anonymous_users_to_the_login_and_the_home_dispatches(client, org):
    response = client.get("/dashboard/")
    assert response["Location"] == "/login/?next=/dashboard/"
    assert client.get("/workbench/")["Location"] == "/login/?next=/workbench/"
    assert settings.LOGIN_REDIRECT_URL == "workbench:home"
    client.force_login(org.leader)
    assert client.get("/home/")["Location"] == "/dashboard/"
    assert client.get("/accounts/profile/").status_code == 404


def test_a_user_without_a_role_is_told_in_chinese(client, org):
    nobody = User.objects.create_user(username="nobody", password=PASSWORD)
    client.force_login(nobody)
    response = client.get("/home/")
    assert response.status_code == 403


@pytest.mark.parametrize("logout_url", ["/logout/", "/filing/logout/", "/admin/logout/"])
def test_signing_out_returns_to_the_login(client, org, logout_url):
    client.force_login(org.staff)
    response = client.post(logout_url)
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/workbench/").status_code == 302


# -- the shared navigation

NAV = {
    "staff": {"workbench", "dashboard", "board", "review", "periods", "history", "inbox", "admin"},
    "admin": {"workbench", "dashboard", "board", "review", "periods", "history", "inbox", "admin"},
    "leader": {"dashboard", "board", "inbox", "admin"},
    "auditor": {"dashboard", "board", "history", "inbox", "admin"},
    "filer": {"filing", "supervision", "inbox"},
}
PAGES = {
    "staff": [
        "/workbench/",
        "/dashboard/",
        "/supervision/",
        "/filing/review/",
        "/filing/",
        "/history/",
        "/notifications/",
        "/supervision/alerts/",
    ],
    "leader": ["/dashboard/", "/supervision/", "/notifications/"],
    "auditor": ["/history/", "/dashboard/", "/supervision/", "/notifications/"],
    "filer": ["/filing/", "/supervision/orders/", "/notifications/"],
}


@pytest.mark.parametrize("role", list(NAV))
def test_each_roles_navigation_shows_its_links_and_no_others(client, org, role):
    client.force_login(getattr(org, role))
    for url in PAGES.get(role, ["/workbench/"]):
        body = client.get(url).content.decode()
        assert nav_keys(body) == NAV[role], url
        assert "退出（" in body


def test_a_filer_never_sees_an_admin_link(client, org):
    client.force_login(org.filer)
    for url in PAGES["filer"]:
        assert 'href="/admin/' not in client.get(url).content.decode()


def test_the_current_page_is_marked_in_the_navigation(client, org):
    client.force_login(org.staff)
    body = client.get("/filing/review/").content.decode()
    assert re.search(r'data-nav="review" aria-current="page"', body)
    assert 'data-nav="periods" aria-current' not in body


WORKFLOW = ["征集与决策", "计划与项目", "资金", "填报与审核", "督查督办", "简报与公开", "台账", "系统与用户"]


def test_admin_index_and_sidebar_follow_the_yearly_workflow(client, org):
    client.force_login(org.staff)
    response = client.get("/admin/")
    names = [app["name"] for app in response.context["app_list"]]
    assert names == ["工作入口", *WORKFLOW]
    body = response.content.decode()
    positions = [body.index(f">\n                            {title}") for title in WORKFLOW]
    assert positions == sorted(positions)
    for link in ["/workbench/", "/dashboard/", "/supervision/", "/filing/review/", "/history/"]:
        assert f'href="{link}"' in body
    # Every registered admin list the user may open is somewhere in the workflow (the lockouts are the
    # 安全管理员's, issue 15).
    from django.contrib import admin

    listed = {entry["admin_url"] for app in response.context["app_list"] for entry in app["models"]}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(response.wsgi_request):
            continue
        assert f"/admin/{model._meta.app_label}/{model._meta.model_name}/" in listed, model


def test_admin_sidebar_hides_what_a_role_may_not_use(client, org):
    client.force_login(org.leader)
    body = client.get("/admin/").content.decode()
    assert 'href="/dashboard/"' in body
    assert 'href="/supervision/"' in body
    for hidden in ['href="/workbench/"', 'href="/filing/review/"', 'href="/history/"']:
        assert hidden not in body
    client.force_login(org.auditor)
    body = client.get("/admin/").content.decode()
    assert 'href="/history/"' in body
    assert 'href="/workbench/"' not in body


# -- one colour


def test_admin_pages_and_login_share_the_primary_colour(client, org):
    primary = settings.UNFOLD["COLORS"]["primary"]["600"]
    for css in ["static/publicity/site.css", "static/dashboard/dashboard.css"]:
        text = (Path(settings.BASE_DIR) / css).read_text(encoding="utf-8")
        assert re.search(r"--brand:\s*(#[0-9a-f]{6})", text).group(1) == primary, css
    client.force_login(org.staff)
    assert "--color-primary-600: rgb(179, 38, 30)" in client.get("/admin/").content.decode()
    client.logout()
    assert "publicity/site.css" in client.get("/login/").content.decode()


# -- the workbench


def desk_of(client, user):
    client.force_login(user)
    response = client.get("/workbench/")
    assert response.status_code == 200
    return response.context["desk"], response.content.decode()


def test_workbench_counts_the_citys_work_today(client, org, world):
    desk, body = desk_of(client, org.staff)
    # September is being filed (due 5 October); "late" has not reported it, the suspended one owes nothing.
    assert (desk.year, desk.month) == (2026, 9)
    assert [row.project.code for row in desk.due] == ["late"]
    assert desk.due_count == 1
    assert desk.alerts_count == 4  # behind, late (missing September), milestone, county (兰山区)
    assert desk.overdue_orders_count == 0
    assert desk.waiting_count == 53  # every submitted report of the six projects (8 of "late")
    assert "本期应报未报（1）" in body
    assert "待审核月报（53）" in body
    assert 'href="/filing/projects/{}/months/9/"'.format(world.projects["late"].pk) in body
    for link in ["/dashboard/", "/supervision/", "/filing/review/", "/admin/projects/project/"]:
        assert f'href="{link}"' in body


def test_workbench_shows_only_the_counties_own_work(client, org, world):
    desk, body = desk_of(client, org.county_staff)
    assert desk.due_count == 0
    assert desk.alerts_count == 1
    assert desk.alerts[0].project == world.projects["county"]
    assert desk.waiting_count == 9
    assert "本期应报未报（0）" in body
    assert "补报9月月报" not in body


def test_workbench_lists_overdue_supervision_stages(client, org, world, time_machine):
    from supervision.services import escalate_overdue_orders

    # Two days after issue: both orders missed their one-day 签收 deadline.
    time_machine.move_to(datetime.datetime(2026, 10, 14, 1, 0, tzinfo=datetime.UTC), tick=False)
    escalate_overdue_orders()
    desk, body = desk_of(client, org.staff)
    assert desk.overdue_orders_count == 2
    assert "补报9月月报" in body
    assert "加快进度" in body
    assert "签收部署" in body
    desk, body = desk_of(client, org.county_staff)
    assert desk.overdue_orders_count == 1
    assert "加快进度" in body
    assert "补报9月月报" not in body


def test_workbench_takes_a_fixed_number_of_queries(client, org, world):
    client.force_login(org.staff)
    client.get("/workbench/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/workbench/")
    assert len(queries) <= 20


@pytest.mark.parametrize("role", ["leader", "auditor", "filer"])
def test_workbench_is_for_the_office_only(client, org, role):
    client.force_login(getattr(org, role))
    response = client.get("/workbench/")
    assert response.status_code == 403


# -- the change history


@pytest.fixture
def histories(org, make_project):
    """Projects (each with its history rows) in 临沂市, 兰山区 and 济南市, and an auditor of 兰山区."""
    made = {
        "city": make_project("C-01", title="市级项目"),
        "lanshan": make_project("L-01", region=org.lanshan, lead_unit=org.lanshan_gov, title="兰山项目"),
        "jinan": make_project("J-01", region=org.other_city, lead_unit=org.jinan_office, title="济南项目"),
    }
    city = made["city"]
    city.title = "市级项目（改）"
    city._change_reason = "按批复更名"
    city.save()
    org.lanshan_auditor = User.objects.create_user(
        username="lanshan_auditor", password=PASSWORD, unit=org.lanshan_office, role=Role.AUDITOR
    )
    return made


def test_auditor_history_lists_changes_of_their_scope_with_links(client, org, histories):
    client.force_login(org.auditor)
    response = client.get("/history/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "市级项目（改）" in body
    assert "兰山项目" in body
    assert "济南项目" not in body
    assert "按批复更名" in body
    assert "修改" in body
    assert "新增" in body
    city = histories["city"]
    link = f"/admin/projects/project/{city.pk}/history/"
    assert f'href="{link}"' in body
    assert client.get(link).status_code == 200
    # User records are named by their (Latin) user names; nothing else is English.
    names = set(User.objects.values_list("username", flat=True))
    assert [w for w in english_words(visible_text(body)) if not any(n in w for n in names)] == []


def test_county_auditor_sees_only_the_countys_history(client, org, histories):
    client.force_login(org.lanshan_auditor)
    body = client.get("/history/?model=projects.project").content.decode()
    assert "兰山项目" in body
    assert "市级项目" not in body
    assert "济南项目" not in body


def test_history_filters_by_kind_of_record_and_pages(client, org, histories):
    client.force_login(org.staff)
    response = client.get("/history/?model=projects.plan")
    titles = {row.model_name for row in response.context["rows"]}
    assert titles == {"年度计划"}
    assert client.get("/history/?page=abc").status_code == 200
    assert client.get("/history/?model=nonsense&page=99").status_code == 200


def test_history_queries_do_not_grow_with_the_rows(client, org, histories, make_project):
    client.force_login(org.auditor)
    client.get("/history/")
    with CaptureQueriesContext(connection) as few:
        client.get("/history/")
    for i in range(10):
        make_project(f"X-{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/history/")
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ["leader", "filer"])
def test_history_is_refused_to_roles_without_it(client, org, role):
    client.force_login(getattr(org, role))
    response = client.get("/history/")
    assert response.status_code == 403


# -- Chinese error pages (DEBUG off)


def chinese_page(response, status: int, *texts):
    assert response.status_code == status
    body = response.content.decode()
    for text in texts:
        assert text in body, text
    # The only Latin letters: the user's name on the sign-out button.
    assert [w for w in english_words(visible_text(body)) if not w.startswith("退出（")] == []
    return body


@override_settings(DEBUG=False)
def test_403_carries_the_views_reason(client, org):
    client.force_login(org.leader)
    body = chinese_page(client.get("/workbench/"), 403, "无权访问", "工作台仅供民生办工作人员使用。")
    assert 'href="/dashboard/"' in body  # home and navigation
    client.force_login(org.filer)
    chinese_page(client.get("/dashboard/"), 403, "领导看板仅供民生办工作人员、领导和审计/观察员查看。")


@override_settings(DEBUG=False)
def test_404_carries_the_views_reason_in_chinese(client, org, make_project):
    chinese_page(client.get("/no-such-page/"), 404, "找不到页面", "该网址不存在")
    chinese_page(client.get("/disclosure/1999/"), 404, "该年度没有公开的项目。")
    client.force_login(org.filer)
    other = make_project("J-01", region=org.other_city, lead_unit=org.jinan_office)
    body = chinese_page(client.get(f"/filing/projects/{other.pk}/months/5/"), 404, "没有找到这条")
    assert "matches the given query" not in body
    assert Project.objects.filter(pk=other.pk).exists()


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
def test_400_is_chinese(client, org):
    chinese_page(client.get("/", HTTP_HOST="evil.example"), 400, "请求无效")


def test_500_is_chinese_without_touching_the_database():
    from minsheng import urls
    from workbench import errors

    assert urls.handler500 == "workbench.errors.server_error"
    response = errors.server_error(RequestFactory().get("/"))
    chinese_page(response, 500, "系统出错", "请稍后重试")


@override_settings(DEBUG=False)
def test_csrf_failure_is_explained_in_chinese(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "staff", "password": PASSWORD})
    chinese_page(response, 403, "页面已过期", "浏览器没有带上安全验证信息")
    client.get("/login/")  # now the cookie is there, but the form below carries no token
    response = client.post("/login/", {"username": "staff", "password": PASSWORD})
    chinese_page(response, 403, "页面已过期", "表单缺少安全验证信息")
