"""The progress computations against figures of seed 001 (临沂 1-9月份 bulletin)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Light, ReportStatus, ScheduleBasis
from projects.models import Milestone, Project, Target


def pct(rate, places=2):
    return (Decimal(rate) * 100).quantize(Decimal(1).scaleb(-places))


def test_target_completion_matches_seed_001(make_project, file_report):
    # "新增农村劳动力转移就业13.7万人、完成全年目标任务的91.33%": annual target 15万人.
    project = make_project(
        targets={"新增农村劳动力转移就业": 150000, "新增城镇就业": 90000}, reporting_month=9
    )
    file_report(project, 9, {"新增农村劳动力转移就业": 137000, "新增城镇就业": 93000})

    figures = {t.name: t for t in Target.objects.with_progress()}

    assert pct(figures["新增农村劳动力转移就业"].completion) == Decimal("91.33")
    assert (
        figures["新增城镇就业"].completion > 1
    )  # "提前完成全年目标任务" is over 100%, not capped per target
    assert figures["新增农村劳动力转移就业"].expected == Decimal("0.75")


def test_project_completion_caps_each_target_and_weights(make_project, file_report):
    project = make_project(targets={"a": 100, "b": 100}, reporting_month=9)
    Target.objects.filter(project=project, name="a").update(weight=3)
    file_report(project, 9, {"a": 50, "b": 200})

    row = Project.objects.with_progress().get()

    # (0.5*3 + min(2, 1)*1) / 4 = 0.625
    assert row.completion == Decimal("0.625")
    assert row.lag == Decimal("0.625") - Decimal("0.75")


@pytest.mark.parametrize(
    ("value", "light"),
    [
        (75, Light.GREEN),
        (90, Light.GREEN),
        (70, Light.YELLOW),
        (65, Light.YELLOW),
        (64, Light.RED),
        (0, Light.RED),
    ],
)
def test_light_thresholds_against_schedule(make_project, file_report, value, light):
    # At month 9 the schedule is 75%; yellow from 0 behind, red beyond 10 points behind.
    project = make_project(targets={"a": 100}, reporting_month=9)
    file_report(project, 9, {"a": value})

    assert Project.objects.with_progress().get().light == light


def test_thresholds_are_configurable_per_plan(make_project, file_report):
    project = make_project(targets={"a": 100}, reporting_month=9)
    file_report(project, 9, {"a": 70})
    project.plan.lag_yellow = Decimal("0.05")
    project.plan.lag_red = Decimal("0.20")
    project.plan.save()

    assert Project.objects.with_progress().get().light == Light.GREEN


def test_overdue_milestone_turns_light_red(make_project, file_report):
    project = make_project(targets={"a": 100}, reporting_month=9)
    file_report(project, 9, {"a": 100})
    milestone = Milestone.objects.create(
        project=project, name="主体完工", planned_date=datetime.date(2016, 6, 30)
    )

    assert Project.objects.with_progress().get().light == Light.RED

    milestone.actual_date = datetime.date(2016, 7, 5)
    milestone.save()
    assert Project.objects.with_progress().get().light == Light.GREEN


def test_drafts_and_returned_reports_do_not_count(make_project, file_report):
    project = make_project(targets={"a": 100}, reporting_month=9)
    file_report(project, 8, {"a": 60}, status=ReportStatus.ACCEPTED)
    file_report(project, 9, {"a": 90}, status=ReportStatus.DRAFT)

    row = Project.objects.with_progress().get()
    assert row.completion == Decimal("0.6")
    assert row.latest_month == 8


def test_value_is_latest_report_up_to_the_month(make_project, file_report):
    project = make_project(targets={"a": 100})
    file_report(project, 3, {"a": 20})
    file_report(project, 6, {"a": 45})
    file_report(project, 9, {"a": 80})

    assert Project.objects.with_progress(month=7).get().completion == Decimal("0.45")
    assert Project.objects.with_progress(month=2).get().completion == 0
    assert Project.objects.with_progress(month=12).get().completion == Decimal("0.8")


def test_milestone_plan_gives_the_schedule(make_project, file_report):
    project = make_project(targets={"a": 100}, schedule_basis=ScheduleBasis.MILESTONES)
    Milestone.objects.create(
        project=project,
        name="开工",
        planned_date=datetime.date(2016, 3, 31),
        actual_date=datetime.date(2016, 3, 20),
        planned_progress=Decimal("0.2"),
    )
    Milestone.objects.create(
        project=project,
        name="主体",
        planned_date=datetime.date(2016, 8, 31),
        actual_date=datetime.date(2016, 8, 30),
        planned_progress=Decimal("0.6"),
    )
    file_report(project, 9, {"a": 55})

    assert Project.objects.with_progress(month=2).get().expected == 0
    assert Project.objects.with_progress(month=5).get().expected == Decimal("0.2")
    row = Project.objects.with_progress(month=9).get()
    assert row.expected == Decimal("0.6")
    assert row.light == Light.YELLOW


def test_default_period_follows_the_calendar(make_project, file_report, time_machine):
    time_machine.move_to(datetime.datetime(2016, 10, 14, 9, tzinfo=datetime.UTC))
    project = make_project(targets={"a": 100})
    file_report(project, 9, {"a": 75})

    row = Project.objects.with_progress().get()
    assert row.as_of_month == 9
    assert row.expected == Decimal("0.75")
    assert row.light == Light.GREEN


def test_investment_rate(make_project, file_report):
    # "两项工作分别完成投资17.8亿元 ... 占年度计划的86.8%": plan 20.5亿.
    project = make_project(targets={"a": 1}, planned_investment=Decimal("2050000000"), reporting_month=9)
    file_report(project, 9, {"a": 1}, investment=Decimal("1780000000"))

    assert pct(Project.objects.with_progress().get().investment_rate, 1) == Decimal("86.8")


def test_project_list_with_lights_takes_one_query(make_project, file_report):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            rows = list(Project.objects.with_progress())
        return len(ctx), len(rows)

    first = make_project("01", targets={"a": 100, "b": 10}, reporting_month=9)
    file_report(first, 9, {"a": 10, "b": 1})
    small = count_queries()
    for i in range(2, 30):
        project = make_project(f"{i:02d}", targets={"a": 100, "b": 50, "c": 7})
        for month in (3, 6, 9):
            file_report(project, month, {"a": month * 5, "b": month, "c": 1})
    large = count_queries()

    assert small == (1, 1)
    assert large == (1, 29)


def test_project_without_targets_is_judged_by_investment(make_project, file_report):
    # 扶贫开发攻坚 in seed 001 has money but no annual quantity: investment is its measure of progress.
    project = make_project(planned_investment=Decimal("779000000"), reporting_month=9)
    file_report(project, 9, {}, investment=Decimal("550000000"))
    row = Project.objects.with_progress().get()
    assert pct(row.completion, 1) == Decimal("70.6")
    assert row.light == Light.YELLOW

    bare = make_project("02", reporting_month=9)
    assert Project.objects.with_progress().get(pk=bare.pk).light == Light.NONE


def test_light_computes_completion_once_and_jit_is_off(make_project, file_report):
    # Django inlines annotations where they are used: the light must not repeat the completion subquery
    # per WHEN (bench/lights.py: 6 evaluations and JIT made 5,000 lights take 4 s instead of 0.4 s).
    project = make_project(targets={"a": 100}, reporting_month=9)
    file_report(project, 9, {"a": 75})
    qs = Project.objects.with_progress()

    assert str(qs.query).count('FROM "projects_target"') == 3  # completion, lag, light
    assert str(qs.values("light").query).count('FROM "projects_target"') == 1
    assert qs.get().light == Light.GREEN
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
