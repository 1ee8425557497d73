"""The supervision API: what every role sees on every endpoint, who may write what, errors in the
house format, and list endpoints whose query count does not grow with the rows."""

import datetime

import pytest
from rest_framework.test import APIClient

from notifications.models import Notification
from supervision import services
from supervision.choices import OrderStatus, ProblemStatus, Stage
from supervision.models import Problem, SupervisionOrder
from tests import samples

API = "/api/v1/supervision/"
ROLES = ["staff", "leader", "auditor", "filer", "county_staff", "jinan_staff", "admin"]


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# What each role sees: (alerts by project code, order units, problem units, inspections).
EXPECTED = {
    "staff": (["behind", "county", "late", "milestone"], ["兰山区人民政府", "市人社局"], 1),
    "leader": (["behind", "county", "late", "milestone"], ["兰山区人民政府", "市人社局"], 1),
    "auditor": (["behind", "county", "late", "milestone"], ["兰山区人民政府", "市人社局"], 1),
    "admin": (["behind", "county", "late", "milestone"], ["兰山区人民政府", "市人社局"], 1),
    "county_staff": (["county"], ["兰山区人民政府"], 0),
    "filer": (["late", "milestone"], ["市人社局"], 0),
    "jinan_staff": ([], [], 0),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_only_its_scope(role, org, world):
    client = client_for(getattr(org, role))
    alerts, units, inspections = EXPECTED[role]
    assert sorted({a["project"]["code"] for a in results(client.get(API + "alerts/"))}) == alerts
    assert (
        sorted(o["unit"]["short_name"] or o["unit"]["name"] for o in results(client.get(API + "orders/")))
        == units
    )
    assert (
        sorted(p["unit"]["short_name"] or p["unit"]["name"] for p in results(client.get(API + "problems/")))
        == units
    )
    assert len(results(client.get(API + "inspections/"))) == inspections
    # Another scope's records are not found.
    other = world.order if role in ("county_staff", "jinan_staff") else None
    if other is not None:
        assert client.get(f"{API}orders/{other.pk}/").status_code == 404
        assert client.get(f"{API}problems/{world.problem.pk}/").status_code == 404


@pytest.mark.django_db
def test_anonymous_gets_403_everywhere(world):
    client = client_for()
    for path in (
        "alerts/",
        "orders/",
        "problems/",
        "inspections/",
        "tasks/",
        "responsibilities/",
        "accountability/",
        "board/",
    ):
        response = client.get(API + path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "not_authenticated"
    assert client.post(API + "orders/", {}, format="json").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("leader", 200),
        ("auditor", 200),
        ("county_staff", 200),
        ("filer", 403),
        ("admin", 200),
    ],
)
def test_the_board_is_for_the_office_leaders_and_auditors(role, status, org, world):
    response = client_for(getattr(org, role)).get(API + "board/")
    assert response.status_code == status
    if role == "staff":
        body = response.json()
        assert (body["lagging"], body["overdue_milestones"], body["missing_reports"]) == (2, 1, 1)
        assert (body["open_orders"], body["open_problems"], body["open_alerts"]) == (2, 2, 4)
    if role == "county_staff":
        assert response.json()["lagging"] == 1


@pytest.mark.django_db
def test_task_and_responsibility_lists_follow_project_visibility(org, world):
    world.projects["behind"].cooperating_units.add(org.hrss)
    staff_codes = {row["code"] for row in results(client_for(org.staff).get(API + "tasks/?year=2026"))}
    assert staff_codes == {"ok", "behind", "late", "milestone", "suspended", "county"}
    filer_rows = results(client_for(org.filer).get(API + "responsibilities/"))
    assert {row["code"] for row in filer_rows} == {"ok", "late", "milestone", "suspended", "behind"}
    behind = next(row for row in filer_rows if row["code"] == "behind")
    assert [u["short_name"] for u in behind["cooperating_units"]] == ["市人社局"]
    task = next(row for row in results(client_for(org.staff).get(API + "tasks/")) if row["code"] == "ok")
    assert task["targets"] == ["指标（100人）"]


@pytest.mark.django_db
def test_accountability_api(org, world):
    rows = results(client_for(org.staff).get(API + "accountability/?year=2026"))
    hrss = next(row for row in rows if row["id"] == org.hrss.pk)
    assert (hrss["orders"], hrss["reports_overdue"], hrss["open_problems"]) == (1, 1, 1)
    assert [row["id"] for row in results(client_for(org.filer).get(API + "accountability/"))] == [org.hrss.pk]
    bad = client_for(org.staff).get(API + "accountability/?year=abc")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_year"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 201),
        ("admin", 201),
        ("leader", 403),
        ("auditor", 403),
        ("filer", 403),
        ("county_staff", 403),
        ("jinan_staff", 403),
    ],
)
def test_who_may_issue_an_order_to_a_city_department(role, status, org, world):
    before = SupervisionOrder.objects.count()
    response = client_for(getattr(org, role)).post(
        API + "orders/",
        {"unit": org.edu.pk, "title": "加快进度", "requirement": "一周内赶上", "stage_days": {"report": 12}},
        format="json",
    )
    assert response.status_code == status, response.content
    assert SupervisionOrder.objects.count() == before + (status == 201)
    if status == 201:
        body = response.json()
        assert body["next_stage"] == "acknowledge"
        assert body["report_due"].startswith("2026-10-24")
    else:
        assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_the_unit_answers_through_the_api_and_staff_close(org, world):
    url = f"{API}orders/{world.order.pk}/"
    assert (
        client_for(org.staff).post(url + "respond/", {"stage": "acknowledge", "text": "x"}).status_code == 403
    )
    assert (
        client_for(org.leader).post(url + "respond/", {"stage": "acknowledge", "text": "x"}).status_code
        == 403
    )
    wrong = client_for(org.filer).post(url + "respond/", {"stage": "report", "text": "x"})
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "invalid_transition"
    empty = client_for(org.filer).post(url + "respond/", {"stage": "acknowledge", "text": ""})
    assert empty.status_code == 400
    assert "text" in empty.json()["fields"]
    for stage in Stage:
        response = client_for(org.filer).post(
            url + "respond/", {"stage": stage.value, "text": f"{stage.label}了"}
        )
        assert response.status_code == 200, response.content
    assert response.json()["status"] == OrderStatus.REPORTED
    assert client_for(org.auditor).post(url + "close/", {"note": "同意"}).status_code == 403
    closed = client_for(org.staff).post(url + "close/", {"note": "同意销号"})
    assert closed.status_code == 200
    assert closed.json()["status"] == OrderStatus.CLOSED
    # The issuer heard of each stage once.
    assert (
        Notification.objects.filter(
            user=org.staff, event__startswith=f"supervision.order:{world.order.pk}:"
        ).count()
        == 4
    )


@pytest.mark.django_db
def test_rectification_through_the_api(org, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"{API}problems/{world.problem.pk}/"
    filer = client_for(org.filer)
    plan = {"measures": "补设公示牌", "deadline": "2026-10-20"}
    assert client_for(org.leader).post(url + "rectification/", plan).status_code == 403
    assert filer.post(url + "rectification/", plan).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = filer.post(url + "evidence/", {"file": SimpleUploadedFile("a.exe", b"MZ")}, format="multipart")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_file"
    good = filer.post(
        url + "evidence/",
        {"file": SimpleUploadedFile("牌.jpg", samples.jpeg()), "caption": "新牌"},
        format="multipart",
    )
    assert good.status_code == 200
    assert len(good.json()["rectification"]["evidence"]) == 1
    assert filer.post(url + "submit/", {"result": "已补设"}).status_code == 200
    assert filer.post(url + "verify/", {}).status_code == 403  # never by the unit itself
    verified = client_for(org.staff).post(url + "verify/", {"note": "现场核实"})
    assert verified.status_code == 200
    assert verified.json()["status"] == ProblemStatus.CLOSED


@pytest.mark.django_db
def test_problems_and_inspections_are_recorded_by_staff(org, world):
    problem = {"source": "observer", "unit": org.edu.pk, "description": "进度慢", "severity": "major"}
    assert client_for(org.filer).post(API + "problems/", problem).status_code == 403
    assert client_for(org.jinan_staff).post(API + "problems/", problem).status_code == 403
    created = client_for(org.staff).post(API + "problems/", problem)
    assert created.status_code == 201
    assert created.json()["unit"]["short_name"] == "市教育局"
    inspection = {
        "kind": "unannounced",
        "date": "2026-10-11",
        "title": "暗访",
        "inspectors": "李督查",
        "projects": [world.projects["ok"].pk],
        "findings": [
            {"description": "现场无人施工", "project": world.projects["ok"].pk, "severity": "serious"}
        ],
    }
    assert client_for(org.leader).post(API + "inspections/", inspection, format="json").status_code == 403
    response = client_for(org.staff).post(API + "inspections/", inspection, format="json")
    assert response.status_code == 201, response.content
    finding = Problem.objects.get(pk=response.json()["findings"][0])
    assert (finding.unit, finding.found_on) == (org.hrss, datetime.date(2026, 10, 11))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["alerts/", "orders/", "problems/", "inspections/", "tasks/", "responsibilities/", "accountability/"],
)
def test_list_queries_do_not_grow_with_rows(path, org, world, make_project, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.staff)
    # Every kind of related row exists from the start (an empty prefetch costs no query).
    services.plan_rectification(
        world.problem, actor=org.filer, measures="措施", deadline=datetime.date(2026, 12, 1)
    )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API + path).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(3):
        project = make_project(f"n{i}", year=2026, targets={"指标": 100})
        project.cooperating_units.add(org.edu)
        services.issue_order(actor=org.staff, unit=org.edu, project=project, title="事项", requirement="要求")
        problem = services.record_problem(
            actor=org.staff, source="public", project=project, description="问题"
        )
        services.plan_rectification(
            problem, actor=org.filer, measures="措施", deadline=datetime.date(2026, 12, 1)
        )
        services.respond_to_order(
            SupervisionOrder.objects.filter(unit=org.edu).latest("pk"),
            actor=_edu_filer(org),
            stage="acknowledge",
            text="收到",
        )
        services.record_inspection(
            actor=org.staff,
            kind="open",
            date=datetime.date(2026, 10, 1),
            title="明查",
            inspectors="甲",
            projects=[project],
        )
    services.scan_alerts(datetime.date(2026, 10, 10))
    assert count() == before


def _edu_filer(org):
    from org.choices import Role
    from org.models import User

    return User.objects.get_or_create(username="edu_filer", defaults={"unit": org.edu, "role": Role.FILER})[0]
