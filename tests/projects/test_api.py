"""The read-only API under /api/v1/: visibility per role, filters, the month, query counts, schema."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import User
from projects.choices import Light, ReportStatus
from projects.models import Milestone, ProgressReport, ProgressValue, Project, Target
from tests.clients import VerifiedAPIClient

PROJECTS = "/api/v1/projects/"
REGIONS = "/api/v1/regions/"
UNITS = "/api/v1/units/"


def client_for(user=None):
    client = VerifiedAPIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


@pytest.fixture
def projects(org, make_project, file_report):
    """Projects across the city, both counties and another city; the city plan is reported up to September.

    - 01: led by 市人社局 (the filer's unit), on schedule (green)
    - 02: led by 市教育局 with 市人社局 cooperating, far behind (red)
    - 03: led by 市教育局 alone, slightly behind (yellow)
    - L01 (兰山区), Z01 (罗庄区), J01 (济南市)
    """
    p01 = make_project("01", targets={"新增城镇就业": 90000}, reporting_month=9, title="新增城镇就业")
    file_report(p01, 9, {"新增城镇就业": 93000})
    p02 = make_project("02", lead_unit=org.edu, targets={"新建改扩建幼儿园": 100}, title="学前教育")
    p02.cooperating_units.add(org.hrss)
    file_report(p02, 9, {"新建改扩建幼儿园": 40})
    p03 = make_project("03", lead_unit=org.edu, targets={"改造薄弱学校": 100}, title="薄弱学校改造")
    file_report(p03, 9, {"改造薄弱学校": 70})
    lanshan = make_project("L01", region=org.lanshan, lead_unit=org.lanshan_gov, level="county")
    luozhuang = make_project("Z01", region=org.luozhuang, lead_unit=org.luozhuang_gov, level="county")
    jinan = make_project("J01", region=org.other_city, lead_unit=org.jinan_office)
    return {p.code: p for p in (p01, p02, p03, lanshan, luozhuang, jinan)}


# Visibility


def test_staff_sees_the_city_and_its_counties_but_not_another_city(org, projects):
    response = client_for(org.staff).get(PROJECTS)

    assert codes(response) == ["01", "02", "03", "L01", "Z01"]
    assert response.json()["count"] == 5


def test_county_staff_sees_only_its_county(org, projects):
    assert codes(client_for(org.county_staff).get(PROJECTS)) == ["L01"]


def test_filer_sees_only_projects_its_unit_leads_or_cooperates_on(org, projects):
    assert codes(client_for(org.filer).get(PROJECTS)) == ["01", "02"]


def test_filer_cannot_open_another_units_project(org, projects):
    response = client_for(org.filer).get(f"{PROJECTS}{projects['03'].pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_leader_and_auditor_read_the_city(org, projects, role):
    client = client_for(getattr(org, role))

    assert codes(client.get(PROJECTS)) == ["01", "02", "03", "L01", "Z01"]
    assert client.get(f"{PROJECTS}{projects['L01'].pk}/").status_code == 200


def test_superuser_sees_every_region(org, projects):
    assert codes(client_for(org.admin).get(PROJECTS)) == ["01", "02", "03", "J01", "L01", "Z01"]


def test_user_without_role_sees_nothing(org, projects):
    nobody = User.objects.create_user(username="nobody", password="x", unit=org.office)
    client = client_for(nobody)

    for url in (PROJECTS, REGIONS, UNITS):
        response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] == 0, url
    assert client.get(f"{PROJECTS}{projects['01'].pk}/").status_code == 404


@pytest.mark.parametrize("url", [PROJECTS, REGIONS, UNITS, f"{PROJECTS}1/"])
def test_anonymous_is_refused_with_json(db, url):
    response = client_for().get(url)

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["detail"]


def test_invisible_project_detail_is_404_json(org, projects):
    response = client_for(org.county_staff).get(f"{PROJECTS}{projects['01'].pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"]


# Representation


def test_project_detail_carries_units_targets_milestones_and_figures(org, projects, file_report):
    project = projects["02"]
    project.upkeep_unit = org.edu
    project.planned_investment = Decimal("2050000000")
    project.save()
    target = project.targets.get()
    target.authoritative_unit = org.edu
    target.save()
    Milestone.objects.create(
        project=project,
        name="开工",
        planned_date=datetime.date(2016, 3, 31),
        actual_date=datetime.date(2016, 3, 20),
    )
    Milestone.objects.create(project=project, name="主体完工", planned_date=datetime.date(2016, 6, 30))
    ProgressReport.objects.filter(project=project).update(investment_completed=Decimal("1780000000"))

    body = client_for(org.staff).get(f"{PROJECTS}{project.pk}/").json()

    assert body["code"] == "02"
    assert body["year"] == 2016
    assert body["region"] == {"code": "371300", "name": "临沂市"}
    assert (body["level"], body["level_label"]) == ("city", "市级")
    assert body["category_label"] == "就业创业"
    assert body["lead_unit"] == {"id": org.edu.pk, "name": "临沂市教育局", "short_name": "市教育局"}
    assert body["cooperating_units"] == [
        {"id": org.hrss.pk, "name": "临沂市人力资源和社会保障局", "short_name": "市人社局"}
    ]
    assert body["upkeep_unit"]["id"] == org.edu.pk
    assert body["planned_investment"] == "2050000000.00"
    assert body["as_of_month"] == 9
    assert body["completion"] == "0.4000"
    assert body["expected"] == "0.7500"
    assert body["lag"] == "-0.3500"
    assert (body["light"], body["light_label"]) == ("red", "红灯")
    assert body["has_overdue_milestone"] is True
    assert body["latest_month"] == 9
    assert body["latest_investment"] == "1780000000.00"
    assert body["investment_rate"] == "0.8683"  # "占年度计划的86.8%"
    [target] = body["targets"]
    assert target["name"] == "新建改扩建幼儿园"
    assert target["measure"] == "人"
    assert target["annual_target"] == "100.0000"
    assert target["value"] == "40.0000"
    assert (target["completion"], target["expected"], target["lag"]) == ("0.4000", "0.7500", "-0.3500")
    assert target["authoritative_unit"]["id"] == org.edu.pk
    assert [(m["name"], m["is_overdue"]) for m in body["milestones"]] == [("开工", False), ("主体完工", True)]
    assert body["milestones"][1]["actual_date"] is None


def test_target_completion_over_100_percent_is_not_capped(org, projects):
    body = client_for(org.staff).get(f"{PROJECTS}{projects['01'].pk}/").json()

    assert body["targets"][0]["completion"] == "1.0333"  # "提前完成全年目标任务"
    assert body["completion"] == "1.0000"  # the project figure caps each target at 100%


def test_project_without_targets_has_null_rates(org, projects):
    body = client_for(org.staff).get(f"{PROJECTS}{projects['L01'].pk}/").json()

    assert body["completion"] is None
    assert body["lag"] is None
    assert body["investment_rate"] is None
    assert body["light"] == Light.NONE
    assert body["targets"] == []


# Filters


def test_region_filter_includes_sub_regions(org, projects):
    client = client_for(org.admin)

    assert codes(client.get(PROJECTS, {"region": "371300"})) == ["01", "02", "03", "L01", "Z01"]
    assert codes(client.get(PROJECTS, {"region": "371302"})) == ["L01"]
    assert codes(client.get(PROJECTS, {"region": "370000"})) == ["01", "02", "03", "J01", "L01", "Z01"]


def test_region_filter_stays_within_visibility(org, projects):
    assert codes(client_for(org.county_staff).get(PROJECTS, {"region": "371300"})) == ["L01"]


def test_malformed_region_code_is_400_json(org, projects):
    response = client_for(org.staff).get(PROJECTS, {"region": "3713"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "region" in response.json()["fields"]


def test_light_filter(org, projects):
    client = client_for(org.staff)

    assert codes(client.get(PROJECTS, {"light": "green"})) == ["01"]
    assert codes(client.get(PROJECTS, {"light": "yellow"})) == ["03"]
    assert codes(client.get(PROJECTS, {"light": "red"})) == ["02"]
    assert codes(client.get(PROJECTS, {"light": "none"})) == ["L01", "Z01"]


def test_simple_filters(org, projects):
    client = client_for(org.staff)

    assert codes(client.get(PROJECTS, {"lead_unit": org.edu.pk})) == ["02", "03"]
    assert codes(client.get(PROJECTS, {"level": "county"})) == ["L01", "Z01"]
    assert codes(client.get(PROJECTS, {"year": 2016, "category": "employment"})) == [
        "01",
        "02",
        "03",
        "L01",
        "Z01",
    ]
    assert codes(client.get(PROJECTS, {"year": 2017})) == []
    assert codes(client.get(PROJECTS, {"status": "planned", "change_type": "new"})) == []


def test_search_on_code_title_and_lead_unit(org, projects):
    client = client_for(org.staff)

    assert codes(client.get(PROJECTS, {"search": "学前"})) == ["02"]
    assert codes(client.get(PROJECTS, {"search": "市教育局"})) == ["02", "03"]
    assert codes(client.get(PROJECTS, {"search": "l01"})) == ["L01"]


def test_ordering_by_lag_puts_projects_without_figures_last(org, projects):
    client = client_for(org.staff)

    ascending = [row["code"] for row in client.get(PROJECTS, {"ordering": "lag"}).json()["results"]]
    descending = [row["code"] for row in client.get(PROJECTS, {"ordering": "-lag"}).json()["results"]]

    assert ascending == ["02", "03", "01", "L01", "Z01"]
    assert descending == ["01", "03", "02", "L01", "Z01"]


def test_unknown_ordering_is_400_json(org, projects):
    response = client_for(org.staff).get(PROJECTS, {"ordering": "title"})

    assert response.status_code == 400
    assert "ordering" in response.json()["fields"]


def test_month_param_changes_expected(org, projects):
    client = client_for(org.staff)
    url = f"{PROJECTS}{projects['03'].pk}/"

    at_june = client.get(url, {"month": 6}).json()
    at_september = client.get(url, {"month": "9"}).json()

    assert (at_june["as_of_month"], at_june["expected"]) == (6, "0.5000")
    assert at_june["targets"][0]["expected"] == "0.5000"
    assert at_june["completion"] == "0.0000"  # the only report is September's
    assert (at_september["as_of_month"], at_september["expected"]) == (9, "0.7500")
    assert at_september["targets"][0]["value"] == "70.0000"


def test_month_param_changes_what_the_light_filter_sees(org, projects):
    # At June the September report does not count yet: every city project is far behind.
    assert codes(client_for(org.staff).get(PROJECTS, {"light": "red", "month": 6})) == ["01", "02", "03"]


@pytest.mark.parametrize("month", ["13", "0", "abc", "-1", "6.5"])
def test_invalid_month_is_400_json_in_chinese(org, projects, month):
    response = client_for(org.staff).get(PROJECTS, {"month": month})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_month"
    assert "月份" in body["detail"]
    assert "month" in body["fields"]


def test_page_size_is_allowed_and_capped(org, projects):
    client = client_for(org.staff)

    page = client.get(PROJECTS, {"page_size": 2, "ordering": "code"}).json()
    assert [row["code"] for row in page["results"]] == ["01", "02"]
    assert page["count"] == 5
    assert page["next"]
    assert len(client.get(PROJECTS, {"page_size": 10000}).json()["results"]) == 5


# Query counts


def add_projects(org, count, *, start):
    """Projects of the city plan, each with three targets, two milestones, a cooperating unit and twelve
    months of reports, made in bulk."""
    plan = Project.objects.get(code="01", plan__region=org.city).plan
    created = Project.objects.bulk_create(
        Project(
            plan=plan,
            code=f"B{start + i:03d}",
            sequence=start + i,
            level="city",
            category="education",
            title=f"批量项目{i}",
            lead_unit=org.edu,
            planned_investment=Decimal("1000000"),
        )
        for i in range(count)
    )
    through = Project.cooperating_units.through
    through.objects.bulk_create(through(project=p, unit=org.hrss) for p in created)
    targets = Target.objects.bulk_create(
        Target(project=p, sequence=n, name=f"指标{n}", measure="个", annual_target=Decimal(120))
        for p in created
        for n in range(3)
    )
    Milestone.objects.bulk_create(
        Milestone(project=p, name=name, planned_date=datetime.date(2016, month, 28))
        for p in created
        for name, month in (("开工", 3), ("完工", 11))
    )
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            project=p,
            month=m,
            status=ReportStatus.ACCEPTED,
            investment_completed=Decimal(m * 1000),
            submitted_at=datetime.datetime(2016, m, 28, tzinfo=datetime.UTC),
        )
        for p in created
        for m in range(1, 13)
    )
    by_project = {}
    for target in targets:
        by_project.setdefault(target.project_id, []).append(target)
    ProgressValue.objects.bulk_create(
        ProgressValue(report=r, target=t, value=Decimal(r.month * 9))
        for r in reports
        for t in by_project[r.project_id]
    )


def count_list_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PROJECTS, {"page_size": 100, **params})
    assert response.status_code == 200
    return len(ctx), response.json()["count"]


@pytest.mark.parametrize("role", ["staff", "filer", "admin"])
def test_project_list_takes_the_same_number_of_queries_for_1_and_50_projects(org, make_project, role):
    make_project("01", targets={"a": 100}, reporting_month=9)
    # A real session login, so that the count includes loading the user, its unit and region.
    client = VerifiedAPIClient()
    client.force_login(User.objects.get(username=getattr(org, role).username))
    # The filer's unit cooperates on the bulk projects, so everyone sees them all.
    client.get(PROJECTS)  # warm up anything cached per process (content types, ...)

    small, small_count = count_list_queries(client)
    add_projects(org, 49, start=100)
    large, large_count = count_list_queries(client)
    with_month, _ = count_list_queries(client, month=6, light="red", ordering="-completion")

    assert (small_count, large_count) == (1, 50)
    assert small == large == with_month
    # Session and user, the user's unit and region (for visibility), the page count, the projects with
    # every figure, then one query each for targets (with their figures), milestones and cooperating units.
    assert large <= 9


def test_region_and_unit_lists_take_constant_queries(org):
    client = client_for(org.staff)
    with CaptureQueriesContext(connection) as regions:
        assert client.get(REGIONS).status_code == 200
    with CaptureQueriesContext(connection) as units:
        assert client.get(UNITS).status_code == 200

    assert len(regions) <= 3
    assert len(units) <= 4


# Regions and units


def test_regions_visibility(org):
    def region_codes(user, **params):
        return sorted(r["code"] for r in client_for(user).get(REGIONS, params).json()["results"])

    assert region_codes(org.staff) == ["371300", "371302", "371311"]
    assert region_codes(org.county_staff) == ["371302"]
    assert region_codes(org.jinan_staff) == ["370100"]
    assert region_codes(org.admin) == ["370000", "370100", "371300", "371302", "371311"]
    assert region_codes(org.admin, parent="370000") == ["370100", "371300"]
    assert region_codes(org.admin, region="371300") == ["371300", "371302", "371311"]


def test_region_detail_by_code(org):
    client = client_for(org.staff)

    body = client.get(f"{REGIONS}371302/").json()
    assert body == {
        "code": "371302",
        "name": "兰山区",
        "level": "county",
        "level_label": "县（区）",
        "parent": "371300",
    }
    assert client.get(f"{REGIONS}370100/").status_code == 404
    assert client_for(org.admin).get(f"{REGIONS}370000/").json()["parent"] is None


def test_units_visibility(org):
    def unit_names(user, **params):
        return sorted(u["name"] for u in client_for(user).get(UNITS, params).json()["results"])

    city_and_counties = sorted(
        [
            "临沂市民生工作办公室",
            "临沂市人力资源和社会保障局",
            "临沂市教育局",
            "兰山区人民政府",
            "兰山区民生办",
            "罗庄区人民政府",
        ]
    )
    assert unit_names(org.staff) == city_and_counties
    assert unit_names(org.county_staff) == ["兰山区人民政府", "兰山区民生办"]
    assert unit_names(org.filer) == ["临沂市人力资源和社会保障局"]
    assert unit_names(org.staff, region="371311") == ["罗庄区人民政府"]
    assert unit_names(org.staff, kind="government") == ["兰山区人民政府", "罗庄区人民政府"]
    assert unit_names(org.staff, search="人社") == ["临沂市人力资源和社会保障局"]


def test_unit_representation(org):
    body = client_for(org.filer).get(f"{UNITS}{org.hrss.pk}/").json()

    assert body == {
        "id": org.hrss.pk,
        "name": "临沂市人力资源和社会保障局",
        "short_name": "市人社局",
        "kind": "department",
        "kind_label": "部门",
        "region": {"code": "371300", "name": "临沂市"},
        "is_active": True,
    }
    assert client_for(org.filer).get(f"{UNITS}{org.edu.pk}/").status_code == 404


# Schema and docs


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))

    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/regions/{code}/", "/api/v1/units/"):
        assert f"{path}:" in schema


def test_schema_endpoint_answers(db):
    response = client_for().get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/projects/" in response.json()["paths"]


def test_docs_page_uses_no_external_scripts(db):
    response = client_for().get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']([^"']+)["']""", html)
    assert any("swagger-ui" in source for source in sources)
    for source in sources:
        assert source.startswith("/"), source
        assert not source.startswith("//"), source
    assert "cdn" not in html.lower()


def test_docs_page_does_not_call_the_online_validator(db):
    # Swagger UI's default validatorUrl is https://validator.swagger.io: an image fetched from the
    # internet on every page view, which an intranet cannot reach.
    script = client_for().get("/api/docs/?script=").content.decode()  # the set-up script (CSP: no inline)

    assert '"validatorUrl": null' in script
