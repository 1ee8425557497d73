"""Reminders before and after the due date, with time under control, each sent once."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings

from filing.models import FilingWindow
from filing.tasks import send_filing_reminders_task
from notifications.models import Notification
from projects.choices import ReportStatus
from projects.models import ProgressReport

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def on(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=BEIJING), tick=False
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run_on(day):
        with on(day), django_capture_on_commit_callbacks(execute=True):
            return send_filing_reminders_task.delay().get()

    return run_on


def test_beat_runs_the_reminders_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["filing-reminders"]
    assert entry["task"] == "filing.tasks.send_filing_reminders_task"


def test_reminder_before_the_due_date_goes_once_to_the_units_filers(filing_project, outboxes, run):
    assert run(datetime.date(2026, 6, 1)) == {"before": 0, "overdue": 0}  # 4 days before 5 June: too early
    # filer and filer2 of the lead unit 市人社局, edu_filer of the cooperating 市教育局
    assert run(datetime.date(2026, 6, 2)) == {"before": 3, "overdue": 0}
    assert run(datetime.date(2026, 6, 2)) == {"before": 0, "overdue": 0}
    assert run(datetime.date(2026, 6, 4)) == {"before": 0, "overdue": 0}
    notes = Notification.objects.filter(event__startswith="filing:before")
    assert sorted(n.user.username for n in notes) == ["edu_filer", "filer", "filer2"]
    lead = notes.get(user__username="filer")
    assert lead.title == "请于6月5日前报送2026年1-5月进展"
    assert lead.body == "尚未报送：城镇新增就业。"
    assert notes.get(user__username="edu_filer").body == "尚未报送：城镇新增就业（配合单位部分）。"
    assert sorted(m.phone for m in outboxes.sms) == ["13800000001", "13800000003"]
    assert sorted(m.to[0] for m in outboxes.mail) == ["filer2@example.cn", "filer@example.cn"]


def test_overdue_reminder_after_the_due_date_unless_submitted(filing_project, make_project, outboxes, run):
    other = make_project("2026-02", year=2026, title="已报送的项目", lead_unit=filing_project.org.edu)
    ProgressReport.objects.create(
        project=other, month=5, status=ReportStatus.SUBMITTED, submitted_at="2026-06-04T09:00:00+08:00"
    )
    # 市教育局 leads "other", already submitted: it is reminded of its part of filing_project only.
    assert run(datetime.date(2026, 6, 5)) == {"before": 3, "overdue": 0}
    assert run(datetime.date(2026, 6, 6)) == {"before": 0, "overdue": 3}
    assert run(datetime.date(2026, 6, 9)) == {"before": 0, "overdue": 0}
    overdue = Notification.objects.filter(event__startswith="filing:overdue")
    assert {n.user.username for n in overdue} == {"filer", "filer2", "edu_filer"}
    assert "已报送的项目" not in overdue.get(user__username="edu_filer").body
    assert "逾期" in overdue[0].title


def test_submitted_and_withdrawn_projects_get_no_reminder(filing_project, run):
    ProgressReport.objects.create(
        project=filing_project,
        month=5,
        status=ReportStatus.SUBMITTED,
        submitted_at="2026-06-01T09:00:00+08:00",
    )
    assert run(datetime.date(2026, 6, 3)) == {"before": 0, "overdue": 0}
    assert run(datetime.date(2026, 6, 7)) == {"before": 0, "overdue": 0}


def test_a_returned_report_still_needs_filing(filing_project, run):
    ProgressReport.objects.create(
        project=filing_project,
        month=5,
        status=ReportStatus.RETURNED,
        return_reason="数据有误",
        submitted_at="2026-06-01T09:00:00+08:00",
    )
    assert run(datetime.date(2026, 6, 3))["before"] == 3


def test_a_cooperating_unit_that_added_its_part_is_not_reminded(filing_project, run):
    from projects import services

    with on(datetime.date(2026, 6, 1)):
        services.save_contribution(filing_project, 5, actor=filing_project.org.edu_filer, values={})
    assert run(datetime.date(2026, 6, 3))["before"] == 2
    assert not Notification.objects.filter(user=filing_project.org.edu_filer).exists()


def test_plan_window_overrides_the_default(filing_project, run):
    FilingWindow.objects.create(
        plan=filing_project.plan, due_day=10, remind_before_days=2, remind_after_days=3
    )
    assert run(datetime.date(2026, 6, 7)) == {"before": 0, "overdue": 0}
    assert run(datetime.date(2026, 6, 8)) == {"before": 3, "overdue": 0}
    assert run(datetime.date(2026, 6, 12)) == {"before": 0, "overdue": 0}
    assert run(datetime.date(2026, 6, 13)) == {"before": 0, "overdue": 3}
    assert Notification.objects.filter(title__contains="6月10日").count() == 6


def test_default_due_day_comes_from_settings(filing_project, settings, run):
    settings.SUPERVISION_REPORT_DUE_DAY = 8  # one default due day for the scan and the reminders
    assert run(datetime.date(2026, 6, 4)) == {"before": 0, "overdue": 0}
    assert run(datetime.date(2026, 6, 5))["before"] == 3


def test_january_files_december_of_last_year(filers, make_project, run):
    make_project("2025-01", year=2025, targets={"x": 1})
    assert run(datetime.date(2026, 1, 3))["before"] == 2
    assert Notification.objects.filter(title__contains="2025年1-12月").count() == 2
