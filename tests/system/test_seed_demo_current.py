"""seed_demo's living year: whatever the day it is run, every role opens on something of that year.

Each test travels to a fixed day (a December and a March, when the year filed is the current one, and a
January, when December of last year is being filed) and seeds there.
"""

import datetime
import io
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from funding.models import Entry, MatchingObligation
from org.models import User
from projects.choices import Light, ReportStatus
from projects.models import Plan, ProgressReport, ProgressValue, Project
from proposals.models import CollectionRound
from publicity.models import Survey
from supervision.choices import AlertStatus, OrderStatus, ProblemStatus
from supervision.models import Alert, Problem, SupervisionOrder
from voting.models import Vote

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# (day the demo is run, year filed, last month filed)
DAYS = [
    (datetime.datetime(2026, 12, 3, 10, tzinfo=TZ), 2026, 11),
    (datetime.datetime(2027, 3, 15, 10, tzinfo=TZ), 2027, 2),
]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="class", params=DAYS, ids=["2026-12-03", "2027-03-15"])
def seeded(request, django_db_setup, django_db_blocker):
    """The demo seeded once per day for a class of read-only tests, rolled back after the last of them; the
    tests run on that day too."""
    moment, year, last = request.param
    with time_machine.travel(moment, tick=False), django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield year, last, output
        transaction.set_rollback(True)


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.usefixtures("seeded")
class TestLivingYear:
    """What each role meets on the day the demo was seeded."""

    def test_city_plan_of_the_year_reports_up_to_last_month(self, seeded):
        year, last, output = seeded
        plan = Plan.objects.get(region__code="371300", year=year)

        projects = Project.objects.filter(plan=plan)
        assert projects.count() == 10
        assert set(projects.values_list("title", flat=True)) == set(
            Project.objects.filter(plan__region__code="371300", plan__year=2016).values_list(
                "title", flat=True
            )
        )
        reports = ProgressReport.objects.filter(project__plan=plan)
        assert set(reports.values_list("month", flat=True)) == set(range(1, last + 1))
        assert "按今天" in output
        assert "生成" in output

    def test_reports_are_mixed_late_returned_and_waiting(self, seeded):
        year, last, _ = seeded
        reports = ProgressReport.objects.filter(
            project__plan__region__code="371300", project__plan__year=year
        )
        window_due = {m: datetime.date(year + m // 12, m % 12 + 1, 5) for m in range(1, 13)}
        late = [
            r
            for r in reports
            if r.submitted_at and r.submitted_at.astimezone(TZ).date() > window_due[r.month]
        ]

        assert late, "some reports were filed after the due day"
        assert reports.filter(status=ReportStatus.RETURNED).exclude(return_reason="").exists()
        assert 1 <= reports.filter(status=ReportStatus.SUBMITTED).count() <= 2
        # Nothing is dated after the day the demo was run.
        assert not reports.filter(submitted_at__gt=datetime.datetime.now(TZ)).exists()

    def test_values_rise_month_by_month(self, seeded):
        year, last, _ = seeded
        values = {}
        for target_id, month, value in ProgressValue.objects.filter(
            report__project__plan__year=year, report__project__plan__region__code="371300"
        ).values_list("target_id", "report__month", "value"):
            values.setdefault(target_id, {})[month] = value
        for by_month in values.values():
            months = sorted(by_month)
            assert [by_month[m] for m in months] == sorted(by_month[m] for m in months)

    def test_lights_mostly_green_some_yellow_one_or_two_red(self, seeded):
        year, _, _ = seeded
        lights = list(
            Project.objects.filter(plan__region__code="371300", plan__year=year)
            .with_progress()
            .values_list("light", flat=True)
        )
        assert lights.count(Light.GREEN) >= 5
        assert lights.count(Light.YELLOW) >= 1
        assert 1 <= lights.count(Light.RED) <= 2

    def test_filer_has_last_months_report_to_file(self, seeded, client):
        year, last, _ = seeded
        response = login(client, "tianbao").get("/filing/")

        assert response.status_code == 200
        page = response.content.decode()
        assert f"{year}年" in page
        assert "加强和改进就业创业服务" in page
        assert "未开始" in page  # last month's report of 市人社局's own item is not filed yet
        assert not ProgressReport.objects.filter(
            project__plan__year=year, project__lead_unit__short_name="市人社局", month=last
        ).exists()

    def test_lanshan_sees_its_regions_projects_reports_and_alerts(self, seeded, client):
        year, last, _ = seeded
        lanshan = User.objects.get(username="lanshan")
        visible = Project.objects.restrict(lanshan).filter(plan__year=year)

        assert visible.count() >= 3
        assert all(p.plan.region.name == "兰山区" for p in visible)
        assert ProgressReport.objects.filter(project__in=visible).exists()
        assert Alert.objects.open().filter(project__in=visible).exists()
        page = login(client, "lanshan").get("/filing/").content.decode()
        assert "棚户区改造" in page

    def test_supervision_board_has_open_alerts_an_order_in_progress_and_a_problem(self, seeded, client):
        year, _, _ = seeded
        order = SupervisionOrder.objects.get(project__plan__year=year, project__plan__region__code="371300")
        assert order.status == OrderStatus.FED_BACK
        assert order.settle_due > datetime.datetime.now(TZ) > order.fed_back_at
        assert Problem.objects.filter(project__plan__year=year, status=ProblemStatus.RECTIFYING).count() == 2
        assert Alert.objects.filter(status=AlertStatus.OPEN, project__plan__year=year).count() >= 3

        login(client, "minshengban")
        page = client.get("/supervision/").content.decode()
        assert int(re.search(r"在办 (\d+) 件", page).group(1)) >= 1
        assert int(re.search(r"未解除预警 (\d+) 条", page).group(1)) >= 3
        assert order.title in client.get("/supervision/orders/").content.decode()

    def test_public_pages_show_an_open_round_vote_and_survey(self, seeded, client):
        year, _, _ = seeded
        now = datetime.datetime.now(TZ)
        round = CollectionRound.objects.get(region__code="371300", year=now.year + 1)
        vote = Vote.objects.get(region__code="371300", year=now.year + 1)
        survey = Survey.objects.get(
            project__plan__year=year, project__sequence=1, project__plan__region__code="371300"
        )
        assert round.is_open()
        assert vote.is_open()
        assert survey.is_open()
        assert vote.options.count() == 3

        assert round.name in client.get("/participate/").content.decode()
        assert vote.title in client.get("/votes/").content.decode()
        detail = client.get(f"/disclosure/projects/{survey.project_id}/").content.decode()
        assert "参加满意度评价" in detail
        assert client.get("/").status_code == 200

    def test_funding_moves_this_year_with_a_matching_deadline_ahead(self, seeded):
        year, _, _ = seeded
        today = datetime.datetime.now(TZ).date()
        entries = Entry.objects.filter(project__plan__year=year)
        assert {e.kind for e in entries} == {"arrival", "disbursement", "spending"}
        assert all(e.date.year == year and e.date <= today for e in entries)
        assert MatchingObligation.objects.filter(
            project__plan__year=year, due_date__gt=today, due_date__year=today.year
        ).exists()

    def test_draft_bulletin_of_last_month(self, seeded):
        from bulletins.choices import BulletinStatus
        from bulletins.models import Bulletin

        year, last, _ = seeded
        assert Bulletin.objects.filter(
            region__code="371300", year=year, month=last, status=BulletinStatus.DRAFT
        ).exists()


@time_machine.travel(DAYS[1][0], tick=False)
def test_second_run_creates_nothing_and_keeps_users_edits():
    seed()
    year = DAYS[1][1]
    project = Project.objects.get(plan__region__code="371300", plan__year=year, sequence=4)
    project.title = "解决城市交通拥堵（用户修改）"
    project.save()
    value = ProgressValue.objects.filter(report__project=project, report__month=1).first()
    value.value = Decimal("12345")
    value.save()
    counts = row_counts()

    output = seed()

    assert row_counts() == counts
    project.refresh_from_db()
    value.refresh_from_db()
    assert project.title == "解决城市交通拥堵（用户修改）"
    assert value.value == Decimal("12345")
    assert "未作修改" in output
    assert "保留不变（含用户修改）" in output


def test_run_again_a_month_later_files_the_month_that_passed():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=TZ), tick=False):
        seed()
    october = ProgressReport.objects.filter(project__plan__year=2026, month=10)
    waiting = set(october.filter(status=ReportStatus.SUBMITTED).values_list("pk", flat=True))
    assert not ProgressReport.objects.filter(project__plan__year=2026, month=11).exists()

    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=TZ), tick=False):
        seed()

    assert ProgressReport.objects.filter(project__plan__year=2026, month=11).exists()
    # What the first run left waiting for review is still waiting: existing rows are not touched.
    assert (
        set(october.filter(pk__in=waiting, status=ReportStatus.SUBMITTED).values_list("pk", flat=True))
        == waiting
    )
    assert Plan.objects.filter(year=2026, region__code="371300").count() == 1


def test_in_january_the_year_being_filed_is_last_year(client):
    with time_machine.travel(datetime.datetime(2027, 1, 10, 10, tzinfo=TZ), tick=False):
        seed()
        page = login(client, "tianbao").get("/filing/").content.decode()

    assert set(
        ProgressReport.objects.filter(project__plan__year=2026).values_list("month", flat=True)
    ) == set(range(1, 13))
    assert "加强和改进就业创业服务" in page
