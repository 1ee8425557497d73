"""The reported warnings: arrived above plan, 滞留, matching funds late, investment far from spending."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from funding import checks, services
from funding.models import MatchingObligation
from projects.choices import ReportStatus

pytestmark = pytest.mark.django_db

D = datetime.date
WAN = Decimal("10000")


def test_arrived_above_plan_is_flagged_per_level(org, poverty_project, money):
    money(poverty_project, "arrival", "central", "91000000", "2016-03-01")
    assert not checks.over_plan(org.staff, year=2016).exists()
    money(poverty_project, "arrival", "central", "500000", "2016-04-01")
    money(poverty_project, "arrival", "social", "100", "2016-04-01")  # nothing planned from social capital
    rows = list(checks.over_plan(org.staff, year=2016))
    assert [(r.level, r.excess) for r in rows] == [("central", Decimal("500000")), ("social", Decimal("100"))]
    assert not checks.over_plan(org.jinan_staff).exists()


def test_retention_counts_oldest_money_first(org, poverty_project, money):
    # 新农合-like figures: 4016万 arrives 31 March, 1053万 on 30 April; 3000万 passed on 15 May.
    money(poverty_project, "arrival", "central", "40160000", "2016-03-31")
    money(poverty_project, "arrival", "province", "10530000", "2016-04-30")
    money(poverty_project, "disbursement", "central", "30000000", "2016-05-15")
    (row,) = checks.retained_funds(org.staff, as_of=D(2016, 6, 30), days=30)
    assert row.project == poverty_project
    assert row.amount == (4016 + 1053 - 3000) * WAN
    assert row.since == D(2016, 3, 31)  # 1016万 of the March money is still not passed on
    assert row.days == 91
    assert row.message.endswith("2069万元资金到位91天未拨付（自2016-03-31起）")


def test_retention_ignores_money_younger_than_n_days(org, poverty_project, money):
    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    money(poverty_project, "disbursement", "central", "1000", "2016-03-05")
    money(poverty_project, "arrival", "central", "500", "2016-06-20")
    assert checks.retained_funds(org.staff, as_of=D(2016, 6, 30), days=30) == []
    (row,) = checks.retained_funds(org.staff, as_of=D(2016, 6, 30), days=5)
    assert (row.amount, row.since, row.days) == (Decimal("500"), D(2016, 6, 20), 10)


def test_retention_days_come_from_settings(org, poverty_project, money):
    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    with override_settings(MINSHENG_FUNDING_RETENTION_DAYS=60):
        assert checks.retained_funds(org.staff, as_of=D(2016, 4, 15)) == []
    with override_settings(MINSHENG_FUNDING_RETENTION_DAYS=30):
        assert len(checks.retained_funds(org.staff, as_of=D(2016, 4, 15))) == 1


def test_retention_respects_visibility_and_cancellation(org, poverty_project, money):
    arrival = money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    assert checks.retained_funds(org.county_staff, as_of=D(2016, 6, 30)) == []
    assert len(checks.retained_funds(org.leader, as_of=D(2016, 6, 30))) == 1
    services.cancel_entry(arrival, actor=org.staff, reason="错录")
    assert checks.retained_funds(org.staff, as_of=D(2016, 6, 30)) == []


def test_retention_is_one_query(org, poverty_project, make_project, money, django_assert_num_queries):
    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    other = make_project("02")
    services.plan_funding(other, {"city": "100"}, actor=org.staff)
    money(other, "arrival", "city", "100", "2016-03-01")
    with django_assert_num_queries(1):
        assert len(checks.retained_funds(org.staff, as_of=D(2016, 6, 30))) == 2


def test_county_matching_funds_not_in_by_15_june(org, poverty_project, money):
    # Seed 004: "确保区级配套资金6月中旬前全部配套到位".
    MatchingObligation.objects.create(
        project=poverty_project,
        level="county",
        amount=196000000,
        due_date=D(2016, 6, 15),
        basis="区级配套资金6月中旬前全部配套到位",
    )
    money(poverty_project, "arrival", "county", "100000000", "2016-06-01")
    assert not checks.matching_overdue(org.staff, as_of=D(2016, 6, 15)).exists()  # deadline not yet passed
    money(poverty_project, "arrival", "county", "96000000", "2016-06-20")  # in, but late
    (late,) = checks.matching_overdue(org.staff, as_of=D(2016, 6, 30))
    assert late.arrived_by_due == Decimal("100000000")
    assert late.shortfall == Decimal("96000000")
    assert late.arrived_to_date == Decimal("196000000")


def test_matching_funds_in_on_time_are_not_flagged(org, poverty_project, money):
    MatchingObligation.objects.create(
        project=poverty_project, level="county", amount=100, due_date=D(2016, 6, 15)
    )
    money(poverty_project, "arrival", "county", "100", "2016-06-15")
    assert not checks.matching_overdue(org.staff, as_of=D(2016, 7, 1)).exists()


def test_investment_reported_far_from_money_spent(org, poverty_project, money, file_report):
    money(poverty_project, "arrival", "province", "300000000", "2016-03-01")
    money(poverty_project, "disbursement", "province", "300000000", "2016-03-02")
    money(poverty_project, "spending", "province", "100000000", "2016-08-15")
    money(poverty_project, "spending", "province", "100000000", "2016-10-15")  # after the report's month
    # Seed 001 style: 5.5亿 completed by September, while 1亿 was spent by then.
    file_report(poverty_project, 9, {}, investment=Decimal("550000000"))
    file_report(poverty_project, 10, {}, investment=Decimal("1"), status=ReportStatus.DRAFT)  # not counted
    (gap,) = checks.investment_gaps(org.staff, year=2016)
    assert (gap.month, gap.reported, gap.spent) == (9, Decimal("550000000"), Decimal("100000000"))
    assert gap.gap == Decimal("4.5") / Decimal("5.5")
    assert checks.investment_gaps(org.staff, year=2016, threshold="0.9") == []


def test_investment_close_to_spending_is_not_flagged(org, poverty_project, money, file_report):
    money(poverty_project, "arrival", "province", "1000", "2016-03-01")
    money(poverty_project, "disbursement", "province", "1000", "2016-03-02")
    money(poverty_project, "spending", "province", "900", "2016-03-15")
    file_report(poverty_project, 3, {}, investment=Decimal("1000"))
    assert checks.investment_gaps(org.staff) == []  # 10% apart, threshold 20%


def test_reconcile_finds_totals_that_disagree_with_entries(org, poverty_project, money):
    from funding.models import FundingSource

    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    assert checks.reconcile(org.staff) == []
    FundingSource.objects.filter(project=poverty_project, level="central").update(arrived=999)
    (row,) = checks.reconcile(org.staff)
    assert (row["level"], row["arrived"], row["entry_arrived"]) == (
        "central",
        Decimal("999"),
        Decimal("1000"),
    )
