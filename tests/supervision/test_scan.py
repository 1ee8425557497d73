"""The daily alert scan: which causes raise alerts, one alert per cause, closing when the cause is gone,
notifications once, and a number of queries that does not grow with the data."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from org.choices import Role
from org.models import User
from projects.choices import ProjectStatus, ReportStatus
from projects.models import ProgressReport
from supervision import causes, services
from supervision.choices import AlertKind, AlertStatus
from supervision.models import Alert
from supervision.tasks import scan_alerts_task
from tests.fixtures.supervision import SCAN_DAY


def keys(status=AlertStatus.OPEN):
    return sorted(Alert.objects.filter(status=status).values_list("kind", "project__code", "month"))


def scan(**kwargs):
    return services.scan_alerts(SCAN_DAY, **kwargs)


@pytest.mark.django_db
def test_report_due_dates_follow_the_configured_day(scan_projects, settings):
    """Without a filing window, September is due on the setting's day of October (Period and scan_years are
    tested in test_periods)."""

    def september_overdue(day):
        services.scan_alerts(datetime.date(2026, 10, day))
        return Alert.objects.open().filter(kind=AlertKind.MISSING_REPORT, month=9).exists()

    assert not september_overdue(5)  # due today: not yet overdue
    assert september_overdue(6)
    settings.SUPERVISION_REPORT_DUE_DAY = 10
    assert not september_overdue(6)


@pytest.mark.django_db
def test_scan_raises_one_alert_per_cause(scan_projects, org):
    result = scan()
    assert keys() == [
        (AlertKind.LAGGING, "behind", None),
        (AlertKind.LAGGING, "county", None),
        (AlertKind.OVERDUE_MILESTONE, "milestone", None),
        (AlertKind.MISSING_REPORT, "late", 9),
    ]
    assert result.as_dict() == {"raised": 4, "closed": 0, "open": 4}
    behind = Alert.objects.get(project=scan_projects["behind"])
    assert behind.unit == org.edu  # the lead unit answers for it
    assert "落后于序时进度" in behind.detail
    milestone = Alert.objects.get(kind=AlertKind.OVERDUE_MILESTONE)
    assert milestone.milestone.name == "主体完工"
    assert "2026-09-30" in milestone.detail


@pytest.mark.django_db
def test_second_scan_raises_nothing_new(scan_projects):
    scan()
    before = list(Alert.objects.values_list("pk", "raised_at").order_by("pk"))
    result = scan()
    assert result.as_dict() == {"raised": 0, "closed": 0, "open": 4}
    assert list(Alert.objects.values_list("pk", "raised_at").order_by("pk")) == before


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_alert_for_a_cause(scan_projects):
    scan()
    alert = Alert.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            kind=alert.kind,
            cause_key=alert.cause_key,
            project=alert.project,
            unit=alert.unit,
            detail="again",
            raised_at=timezone.now(),
        )


@pytest.mark.django_db
def test_alerts_close_when_their_cause_is_gone_and_reopen_as_new_alerts(scan_projects, file_report):
    scan()
    late = scan_projects["late"]
    file_report(late, 9, {"指标": 90})  # the missing report arrives
    milestone = scan_projects["milestone"].milestones.get()
    milestone.actual_date = datetime.date(2026, 10, 8)
    milestone.save()
    scan_projects["behind"].status = ProjectStatus.SUSPENDED  # no longer judged
    scan_projects["behind"].save()

    result = scan()
    assert result.as_dict() == {"raised": 0, "closed": 3, "open": 1}
    assert keys() == [(AlertKind.LAGGING, "county", None)]
    closed = Alert.objects.get(kind=AlertKind.MISSING_REPORT)
    assert closed.status == AlertStatus.CLOSED
    assert closed.closed_at is not None

    # The cause comes back (the report is returned): a new alert, the closed one stays as the record.
    returned = ProgressReport.objects.filter(project=late, month=9)
    returned.update(status=ReportStatus.RETURNED, return_reason="数据有误")
    scan()
    assert Alert.objects.filter(kind=AlertKind.MISSING_REPORT).count() == 2
    assert Alert.objects.filter(kind=AlertKind.MISSING_REPORT, status=AlertStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_projects_of_other_years_and_completed_projects_are_not_scanned(scan_projects, make_project):
    old = make_project("old", year=2025, targets={"指标": 100})
    old.milestones.create(name="旧节点", planned_date=datetime.date(2025, 3, 1))
    done = make_project("done", year=2026, targets={"指标": 100}, status=ProjectStatus.COMPLETED)
    done.milestones.create(name="节点", planned_date=datetime.date(2026, 3, 1))
    scan()
    assert not Alert.objects.filter(project__in=[old, done]).exists()


@pytest.mark.django_db
def test_the_scan_takes_the_same_number_of_queries_whatever_the_data(
    scan_projects, make_project, file_report, django_assert_num_queries
):
    # Funds 滞留 (funding.checks), savepoint and release, the scan statement (causes against open alerts,
    # insert, close), count open.
    with django_assert_num_queries(5):
        scan()
    for i in range(10):
        p = make_project(f"x{i}", year=2026, targets={"指标": 100})
        file_report(p, 2, {"指标": 5})
        p.milestones.create(name="节点", planned_date=datetime.date(2026, 5, 1))
    Alert.objects.all().delete()
    with django_assert_num_queries(5):
        result = scan()
    assert len(result.raised) == 4 + 10 * 10  # each: lagging, milestone, 8 missing months (1, 3-9)


@pytest.mark.django_db
def test_every_open_alert_closes_when_no_kind_of_cause_applies(scan_projects, monkeypatch):
    scan()
    monkeypatch.setattr(causes, "CAUSES", [])
    assert scan().as_dict() == {"raised": 0, "closed": 4, "open": 0}
    assert scan().as_dict() == {"raised": 0, "closed": 0, "open": 0}


@pytest.mark.django_db
def test_new_alerts_are_notified_once_to_the_units_filers(scan_projects, org, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 10, 8, 0, tzinfo=datetime.UTC))
    edu_filer = User.objects.create_user("edu_filer", unit=org.edu, role=Role.FILER)
    assert scan_alerts_task.delay().get() == {"raised": 4, "closed": 0, "open": 4, "notified": 4}
    alert = Alert.objects.get(project=scan_projects["behind"])
    assert list(Notification.objects.filter(user=edu_filer).values_list("event", flat=True)) == [
        f"supervision.alert:{alert.pk}"
    ]
    # 市人社局's filer hears of its two alerts (the missing report and the milestone), not of the others.
    assert Notification.objects.filter(user=org.filer).count() == 2
    assert Alert.objects.filter(notified_at__isnull=True).count() == 0
    # Another scan sends nothing more; even alerts whose notified mark was lost are not sent twice.
    assert scan_alerts_task.delay().get()["notified"] == 0
    Alert.objects.update(notified_at=None)
    assert services.notify_pending_alerts(batch=1) == 4
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_scan_task_uses_today(scan_projects, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 10, 8, 0, tzinfo=datetime.UTC))
    assert scan_alerts_task.delay().get() == {"raised": 4, "closed": 0, "open": 4, "notified": 4}


@pytest.mark.django_db
def test_funds_retained_too_long_raise_an_alert_until_passed_on(scan_projects, org, money):
    from funding import services as funding

    ok = scan_projects["ok"]
    funding.plan_funding(ok, {"central": "1000000"}, actor=org.staff)
    money(ok, "arrival", "central", "1000000", "2026-08-01")
    scan()
    alert = Alert.objects.get(kind=AlertKind.FUNDS_IDLE)
    assert (alert.project, alert.unit, alert.cause_key) == (ok, org.hrss, f"funds:{ok.pk}")
    assert "100万元资金到位70天未拨付" in alert.detail
    assert scan().raised == []
    money(ok, "disbursement", "central", "1000000", "2026-10-09")
    scan()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
