"""The dashboard's JSON endpoints: figures agree with with_progress(), scope and filters, roles, queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Avg
from django.test.utils import CaptureQueriesContext

from funding.models import Entry
from projects.choices import COUNTED_REPORT_STATUSES, ScheduleBasis
from projects.models import Milestone, ProgressReport, Project
from tests.clients import VerifiedAPIClient

ENDPOINTS = ["overview", "categories", "units", "projects", "lagging", "trend", "funds", "supervision"]


def get(user, endpoint, **params):
    client = VerifiedAPIClient()
    if user is not None:
        client.force_login(user)
    return client.get(f"/api/v1/dashboard/{endpoint}/", params)


def results(user, endpoint, **params):
    response = get(user, endpoint, **params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def rate(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.0001"))


def test_overview_counts_lights_and_averages_like_with_progress(org, dashboard_data):
    overview = results(org.staff, "overview", year=2016)
    projects = Project.objects.restrict(org.staff).filter(plan__year=2016).with_progress()
    lights = [p.light for p in projects]
    assert overview["projects"] == 5  # the city's four and 兰山区's; not 济南市's
    assert (overview["green"], overview["yellow"], overview["red"]) == (
        lights.count("green"),
        lights.count("yellow"),
        lights.count("red"),
    )
    assert rate(overview["completion"]) == rate(projects.aggregate(a=Avg("completion"))["a"])
    assert overview["planned_investment"] == "3000.00"
    assert overview["investment_completed"] == "2700.00"


def test_trend_month_by_month_agrees_with_with_progress_at_each_month(org, dashboard_data):
    # A project planned by milestones, so 序时进度 is not m/12 for every project.
    p03 = dashboard_data.p03
    p03.schedule_basis = ScheduleBasis.MILESTONES
    p03.save()
    for month, share in ((3, "0.1"), (6, "0.6"), (10, "0.9")):
        Milestone.objects.create(
            project=p03,
            name=f"节点{month}",
            planned_date=datetime.date(2016, month, 15),
            actual_date=datetime.date(2016, month, 15),
            planned_progress=Decimal(share),
        )
    trend = results(org.staff, "trend", year=2016)
    assert trend["as_of_month"] == 12  # 兰山区's plan has no 统计截至月份: a past year counts to December
    assert [row["month"] for row in trend["months"]] == list(range(1, 13))
    scope = Project.objects.restrict(org.staff).filter(plan__year=2016)
    counted = ProgressReport.objects.filter(project__in=scope, status__in=COUNTED_REPORT_STATUSES)
    first = min(counted.values_list("month", flat=True))
    for row in trend["months"]:
        projects = scope.with_progress(month=row["month"])
        judged = projects.filter(completion__isnull=False)
        assert rate(row["expected"]) == rate(judged.aggregate(a=Avg("expected"))["a"]), row
        if row["month"] < first:  # nobody had reported yet: a gap, not 0%
            assert row["completion"] is None, row
            continue
        assert rate(row["completion"]) == rate(judged.aggregate(a=Avg("completion"))["a"]), row
    assert first > 1
    assert trend["months"][first - 1]["completion"] is not None
    assert [row["investment_completed"] for row in trend["months"]][2:9] == [
        "300.00",  # 01 in March
        "350.00",  # + 02 in April
        "850.00",  # + 04 in May
        "1150.00",  # 01 in June
        "1150.00",
        "1100.00",  # 02's August report has no investment figure: it no longer adds 50
        "2700.00",
    ]


def test_funds_by_source_level_with_rates(org, dashboard_data):
    funds = results(org.staff, "funds", year=2016)
    assert [row["label"] for row in funds["levels"]] == ["市级", "省级"]  # largest planned first; not 济南's
    city, province = funds["levels"]
    assert (city["planned"], city["arrived"], city["disbursed"], city["spent"]) == (
        "1600.00",
        "700.00",
        "400.00",
        "300.00",
    )
    assert city["arrival_rate"] == "0.4375"  # 700 / 1600
    assert city["disbursement_rate"] == "0.5714"  # 400 / 700
    assert city["execution_rate"] == "0.4286"  # 300 / 700
    assert province["execution_rate"] == "0.2500"
    narrowed = results(org.staff, "funds", year=2016, category="education")
    assert narrowed["levels"][0]["planned"] == "1000.00"


def test_funds_month_by_month(org, dashboard_data):
    for month, kind, amount in ((3, "arrival", 500), (5, "arrival", 200), (5, "spending", 100)):
        Entry.objects.create(
            project=dashboard_data.p01,
            kind=kind,
            level="city",
            amount=amount,
            date=datetime.date(2016, month, 10),
        )
    months = results(org.staff, "funds", year=2016)["months"]
    assert len(months) == 12
    assert [row["cum_arrived"] for row in months[1:5]] == ["0.00", "500.00", "500.00", "700.00"]
    assert months[4]["cum_spent"] == "100.00"
    assert months[4]["label"] == "1-5月"
    assert results(org.staff, "funds", year=2016, unit=org.edu.pk)["months"][11]["cum_arrived"] == "0.00"


def test_open_problems_and_orders_in_scope(org, dashboard_data):
    board = results(org.leader, "supervision", year=2016)
    assert board["open_problems"] == 2  # the closed one and 济南's are not counted
    assert (board["problems_major"], board["problems_minor"], board["problems_serious"]) == (1, 1, 0)
    assert [row["description"] for row in board["problems"]] == [
        "薄弱学校改造资金未到位",
        "幼儿园建设进度滞后",
    ]
    assert board["open_orders"] == 2
    assert board["overdue_orders"] == 1
    late, on_time = board["orders"]
    assert late["title"] == "督促幼儿园建设"
    assert late["overdue"]
    assert late["stage"] == "签收部署"
    assert not on_time["overdue"]
    narrowed = results(org.leader, "supervision", year=2016, unit=org.hrss.pk)
    assert narrowed["open_problems"] == 0
    assert narrowed["orders"] == []


def test_units_are_ranked_by_mean_lag(org, dashboard_data):
    ranking = results(org.staff, "units", year=2016)
    assert [row["name"] for row in ranking] == ["市人社局", "市教育局", "兰山区人民政府"]
    assert [row["rank"] for row in ranking] == [1, 2, 3]
    assert ranking[1]["projects"] == 2
    assert ranking[1]["red"] == 1
    assert ranking[1]["yellow"] == 1


def test_lagging_lists_red_and_yellow_furthest_behind_first(org, dashboard_data):
    rows = results(org.staff, "lagging", year=2016)
    assert [row["code"] for row in rows] == ["L01", "02", "03"]
    assert [row["light"] for row in rows] == ["red", "red", "yellow"]


def test_categories_compare_completion_with_schedule(org, dashboard_data):
    rows = {row["category"]: row for row in results(org.staff, "categories", year=2016)}
    assert rows["education"]["label"] == "改善教育"
    assert rows["education"]["projects"] == 2
    assert rows["education"]["completion"] == "0.5250"  # (0.35 + 0.70) / 2
    assert rows["education"]["expected"] == "0.7500"


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"region": "371302"}, ["L01"]),
        ({"region": "371300"}, ["01", "02", "03", "04", "L01"]),
        ({"category": "education"}, ["02", "03"]),
    ],
)
def test_filters_narrow_every_endpoint(org, dashboard_data, params, codes):
    rows = results(org.staff, "projects", year=2016, **params)
    assert sorted(row["code"] for row in rows) == codes
    assert results(org.staff, "overview", year=2016, **params)["projects"] == len(codes)


def test_unit_filter(org, dashboard_data):
    rows = results(org.staff, "projects", year=2016, unit=org.edu.pk)
    assert sorted(row["code"] for row in rows) == ["02", "03"]


def test_bad_filters_are_a_400_in_chinese(org, dashboard_data):
    response = get(org.staff, "overview", year="二〇一六")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_year"
    response = get(org.staff, "overview", year=2016, region="37")
    assert response.status_code == 400
    assert "区划代码" in response.json()["detail"]


def test_default_year_is_the_latest_visible(org, dashboard_data):
    assert get(org.staff, "overview").json()["year"] == 2016


@pytest.mark.parametrize("role", ["staff", "leader", "auditor", "admin"])
def test_readers_may_call_every_endpoint(org, dashboard_data, role):
    for endpoint in ENDPOINTS:
        assert get(getattr(org, role), endpoint, year=2016).status_code == 200, endpoint


@pytest.mark.parametrize("role", ["filer", None])
def test_filers_and_anonymous_get_nothing(org, dashboard_data, role):
    for endpoint in ENDPOINTS:
        response = get(getattr(org, role) if role else None, endpoint, year=2016)
        assert response.status_code in (401, 403), endpoint
        assert "results" not in response.json()


def test_county_staff_sees_only_its_county(org, dashboard_data):
    rows = results(org.county_staff, "projects", year=2016)
    assert [row["code"] for row in rows] == ["L01"]
    # Asking for the city is no way out of the scope.
    assert results(org.county_staff, "overview", year=2016, region="371300")["projects"] == 1


def _count(user, endpoint) -> int:
    client = VerifiedAPIClient()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/dashboard/{endpoint}/", {"year": 2016}).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_queries_per_call_do_not_grow_with_the_data(org, dashboard_data, make_project, file_report, endpoint):
    small = _count(org.leader, endpoint)
    for i in range(6):
        project = make_project(
            f"X{i}", targets={"指标甲": 10, "指标乙": 20}, lead_unit=[org.hrss, org.edu][i % 2]
        )
        for month in (2, 5, 7):
            file_report(project, month, {"指标甲": month, "指标乙": month}, investment=month)
    assert _count(org.leader, endpoint) == small <= 10
