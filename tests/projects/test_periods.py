"""One reporting period (projects.periods.Period) and one due date per plan, used by the daily scan, the
supervision board, the accountability list, the filing reminders and the bulletins (issue 14, item 2)."""

import datetime

import pytest
from django.db import connection
from django.db.models import IntegerField, Value
from django.utils import timezone

from filing.models import FilingWindow
from org.models import Unit
from projects.models import Plan, ProgressReport
from projects.periods import DueDate, Period, as_of_month, cumulative_label, due_date, due_day
from supervision import services
from supervision.accountability import with_accountability
from supervision.board import build_board
from supervision.causes import scan_years
from supervision.choices import AlertKind, AlertStatus
from supervision.models import Alert

D = datetime.date


# Period itself


def test_labels_are_the_ones_the_pages_show():
    may = Period(2026, 5)
    assert may.month_label == "2026年5月"
    assert may.cumulative_label == "1-5月"
    assert may.bulletin_label == "1-5月份"
    assert may.full_label == str(may) == "2026年1-5月"
    assert may.param == "2026-05"
    january = Period(2026, 1)
    assert (january.cumulative_label, january.bulletin_label, january.full_label) == (
        "1月",
        "1月份",
        "2026年1月",
    )
    assert cumulative_label(9) == "1-9月"
    assert cumulative_label(9, "月份") == "1-9月份"


def test_previous_and_next_wrap_at_the_new_year():
    assert Period(2027, 1).previous() == Period(2026, 12)
    assert Period(2026, 12).next() == Period(2027, 1)
    assert Period(2026, 10).previous() == Period(2026, 9)
    assert Period(2026, 9).next() == Period(2026, 10)


def test_periods_are_ordered_in_time_and_hashable():
    assert Period(2026, 12) < Period(2027, 1) < Period(2027, 2)
    assert sorted([Period(2027, 1), Period(2026, 3), Period(2026, 12)]) == [
        Period(2026, 3),
        Period(2026, 12),
        Period(2027, 1),
    ]
    assert len({Period(2026, 5), Period(2026, 5)}) == 1


def test_a_month_outside_the_year_is_refused():
    with pytest.raises(ValueError, match="month must be 1-12"):
        Period(2026, 0)
    with pytest.raises(ValueError, match="month must be 1-12"):
        Period(2026, 13)


def test_days_of_a_period():
    assert Period(2026, 2).first_day == D(2026, 2, 1)
    assert Period(2026, 2).last_day == D(2026, 2, 28)
    assert Period(2026, 12).last_day == D(2026, 12, 31)
    assert Period.of(D(2026, 5, 17)) == Period(2026, 5)


def test_the_month_being_filed_is_the_month_before():
    assert Period.filed_on(D(2026, 10, 6)) == Period(2026, 9)
    assert Period.filed_on(D(2027, 1, 3)) == Period(2026, 12)  # January files December of last year


def test_parse_reads_the_period_parameter():
    assert Period.parse("2026-05") == Period(2026, 5)
    assert Period.parse("2026-13") is None
    assert Period.parse("1999-05") is None
    assert Period.parse("may") is None
    assert Period.parse(None) is None


def test_as_of_month_of_a_plan():
    on = D(2026, 10, 6)
    assert Period.as_of(Plan(year=2026), on) == Period(2026, 9)  # this year: the previous month
    assert Period.as_of(Plan(year=2025), on) == Period(2025, 12)  # a past year: December
    assert Period.as_of(Plan(year=2027), on) is None  # a year still to come: none
    assert Period.as_of(Plan(year=2026), D(2026, 1, 20)) is None  # January: no month of this year yet
    assert Period.as_of(Plan(year=2026, reporting_month=6), on) == Period(2026, 6)  # 统计截至月份 wins
    assert as_of_month(2026, None, on) == 9
    assert as_of_month(2027, None, on) == 0


def test_due_date_is_the_due_day_of_the_next_month():
    assert Period(2026, 9).due_date(10) == D(2026, 10, 10)
    assert Period(2026, 12).due_date(5) == D(2027, 1, 5)


@pytest.mark.django_db
def test_due_date_of_a_plan_is_its_windows_else_the_setting(org, settings):
    plan = Plan.objects.create(region=org.city, year=2026, name="2026年临沂市民生实事")
    assert due_day(plan) == 5
    settings.SUPERVISION_REPORT_DUE_DAY = 8
    assert due_date(plan, Period(2026, 9)) == D(2026, 10, 8)
    FilingWindow.objects.create(plan=plan, due_day=10)
    plan = Plan.objects.get(pk=plan.pk)
    assert due_date(plan, Period(2026, 9)) == D(2026, 10, 10)
    assert FilingWindow(plan=plan).due_day == 8  # a new window starts from the same default


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "month", "day"), [(2026, 9, 10), (2026, 12, 5), (2028, 1, 28), (2026, 2, 1)]
)
def test_the_sql_due_date_matches_python(year, month, day):
    as_int = {"output_field": IntegerField()}
    expression = DueDate(Value(year, **as_int), Value(month, **as_int), Value(day, **as_int))
    assert _sql_value(expression) == Period(year, month).due_date(day)


def _sql_value(expression):
    """Evaluate an expression with no table behind it."""
    from django.db.models.sql import Query

    query = Query(None)
    compiler = query.get_compiler(connection=connection)
    sql, params = expression.resolve_expression(query).as_sql(compiler, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0]


def test_scan_years_include_last_years_december_in_january():
    assert scan_years(D(2027, 1, 20)) == [2026, 2027]
    assert scan_years(D(2027, 2, 1)) == [2027]


# The plan's due date in the scan, the board and the accountability list


@pytest.fixture
def due_on_the_10th(org, make_project, file_report):
    """A 2026 plan whose filing window is due on the 10th; two projects with reports up to August:
    `filed` (市教育局) will file September on the 8th of October, `silent` (市人社局) will not."""
    filed = make_project("filed", year=2026, targets={"指标": 100}, lead_unit=org.edu)
    silent = make_project("silent", year=2026, targets={"指标": 100})
    FilingWindow.objects.create(plan=filed.plan, due_day=10)
    for project in (filed, silent):
        for month in range(1, 9):
            file_report(project, month, {"指标": 8 * month})
    return filed, silent


def file_on(file_report, project, month, day: datetime.date):
    report = file_report(project, month, {"指标": 8 * month})
    at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at)
    return report


def missing_reports(status=None):
    alerts = Alert.objects.filter(kind=AlertKind.MISSING_REPORT)
    if status:
        alerts = alerts.filter(status=status)
    return sorted(alerts.values_list("project__code", "month"))


def reports_overdue(year=2026):
    units = with_accountability(Unit.objects.all(), year)
    return {unit.short_name or unit.name: unit.reports_overdue for unit in units if unit.reports_overdue}


@pytest.mark.django_db
def test_no_overdue_report_alert_before_the_plans_own_due_day(due_on_the_10th, settings):
    settings.SUPERVISION_REPORT_DUE_DAY = 5  # the global default would make September overdue on the 6th
    services.scan_alerts(D(2026, 10, 6))
    assert missing_reports() == []


@pytest.mark.django_db
def test_a_report_filed_before_the_due_day_raises_nothing_and_counts_no_late_report(
    due_on_the_10th, file_report, org
):
    filed, _silent = due_on_the_10th
    services.scan_alerts(D(2026, 10, 6))
    file_on(file_report, filed, 9, D(2026, 10, 8))
    services.scan_alerts(D(2026, 10, 11))

    assert missing_reports() == [("silent", 9)]  # the same plan's unfiled report is overdue on the 11th
    assert build_board(org.staff, on=D(2026, 10, 11)).late_reports_count == 0
    assert build_board(org.staff, on=D(2026, 10, 11)).missing_reports_count == 1
    assert reports_overdue() == {"市人社局": 1}


@pytest.mark.django_db
def test_a_report_filed_after_the_alert_counts_as_late(due_on_the_10th, file_report, org):
    _filed, silent = due_on_the_10th
    services.scan_alerts(D(2026, 10, 11))
    file_on(file_report, silent, 9, D(2026, 10, 12))
    services.scan_alerts(D(2026, 10, 13))

    assert missing_reports(AlertStatus.CLOSED) == [("silent", 9)]
    assert build_board(org.staff, on=D(2026, 10, 13)).late_reports_count == 1
    assert reports_overdue() == {"市人社局": 1, "市教育局": 1}  # 市教育局 has not filed September at all


@pytest.mark.django_db
def test_an_alert_raised_before_the_due_day_by_the_old_rule_is_not_a_late_report(
    due_on_the_10th, file_report, org
):
    """An alert an earlier scan raised on the 6th (by the global day 5) for a report then filed on the 8th:
    neither the board nor the accountability list holds it against the unit."""
    filed, _silent = due_on_the_10th
    at = datetime.datetime(2026, 10, 6, 1, tzinfo=datetime.UTC)
    Alert.objects.create(
        kind=AlertKind.MISSING_REPORT,
        cause_key=f"report:{filed.pk}:9",
        project=filed,
        unit=filed.lead_unit,
        month=9,
        detail="逾期未报",
        raised_at=at,
        status=AlertStatus.CLOSED,
        closed_at=at + datetime.timedelta(days=2),
    )
    file_on(file_report, filed, 9, D(2026, 10, 8))

    assert build_board(org.staff, on=D(2026, 10, 9)).late_reports_count == 0
    assert reports_overdue() == {}


def test_a_bulletin_calls_missing_reports_late_only_after_the_due_date():
    from types import SimpleNamespace

    from bulletins.generator import problems_points
    from bulletins.wording import FigureBook

    project = SimpleNamespace(
        title="项目甲", light="green", latest_month=8, lead_unit=SimpleNamespace(name="市人社局")
    )
    today = timezone.localdate()

    def points(due):
        return problems_points([project], 9, None, {}, FigureBook(), due)

    assert points(today - datetime.timedelta(days=1)) == [
        "一是部分项目未按时报送进展。1个项目9月份未报：项目甲（市人社局，最近报送8月份）。"
    ]
    later = today + datetime.timedelta(days=1)
    assert points(later) == [
        f"一是部分项目尚未报送进展（{later.month}月{later.day}日截止）。"
        "1个项目9月份未报：项目甲（市人社局，最近报送8月份）。"
    ]
