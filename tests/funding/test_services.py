"""Recording money: spent <= disbursed <= arrived per source level, bad input, permissions, plans."""

import datetime
from decimal import Decimal

import pytest

from funding import services
from funding.choices import EntryKind, SourceLevel
from funding.models import Entry, FundingSource, PlanAdjustment
from minsheng.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

D = datetime.date


def totals(project, level):
    row = FundingSource.objects.get(project=project, level=level)
    return row.arrived, row.disbursed, row.spent


def test_plan_split_from_seed_001(poverty_project):
    planned = dict(FundingSource.objects.filter(project=poverty_project).values_list("level", "planned"))
    assert planned == {
        "central": Decimal("91000000.00"),
        "province": Decimal("317000000.00"),
        "city": Decimal("175000000.00"),
        "county": Decimal("196000000.00"),
    }
    assert sum(planned.values()) == Decimal("779000000")


def test_arrival_disbursement_spending_move_the_totals(poverty_project, money):
    money(poverty_project, "arrival", "central", "50000000", "2016-03-01", document_number="财农〔2016〕1号")
    money(poverty_project, "disbursement", "central", "30000000", "2016-03-15")
    money(poverty_project, "spending", "central", "10000000", "2016-04-01")
    assert totals(poverty_project, "central") == (
        Decimal("50000000"),
        Decimal("30000000"),
        Decimal("10000000"),
    )
    arrival = Entry.objects.get(kind=EntryKind.ARRIVAL)
    assert arrival.document_number == "财农〔2016〕1号"
    assert arrival.history.count() == 1
    assert arrival.history.first().history_user.username == "staff"


def test_disbursement_above_arrived_is_refused_and_nothing_written(poverty_project, money):
    money(poverty_project, "arrival", "province", "1000", "2016-03-01")
    with pytest.raises(DomainError) as error:
        money(poverty_project, "disbursement", "province", "1000.01", "2016-03-02")
    assert error.value.code == "disbursement_exceeds_arrival"
    assert "超过省级资金已到位未拨付的余额1,000.00元" in error.value.message
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 0
    assert totals(poverty_project, "province") == (Decimal("1000"), 0, 0)


def test_spending_above_disbursed_is_refused(poverty_project, money):
    money(poverty_project, "arrival", "city", "1000", "2016-03-01")
    money(poverty_project, "disbursement", "city", "600", "2016-03-02")
    with pytest.raises(DomainError) as error:
        money(poverty_project, "spending", "city", "601", "2016-03-03")
    assert error.value.code == "spending_exceeds_disbursement"
    assert totals(poverty_project, "city") == (Decimal("1000"), Decimal("600"), 0)


def test_money_of_one_level_cannot_be_passed_on_as_another(poverty_project, money):
    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    with pytest.raises(DomainError):
        money(poverty_project, "disbursement", "county", "1", "2016-03-02")


def test_disbursement_dated_before_the_arrival_is_refused(poverty_project, money):
    money(poverty_project, "arrival", "central", "1000", "2016-05-01")
    with pytest.raises(DomainError) as error:
        money(poverty_project, "disbursement", "central", "500", "2016-04-30")
    assert "2016-04-30" in error.value.message
    money(poverty_project, "disbursement", "central", "500", "2016-05-01")


def test_backdated_disbursement_cannot_undercut_a_later_one(poverty_project, money):
    # 1000 arrives 1 March and 500 more on 1 June; 1000 is passed on 2 March. A further 400 dated
    # 1 April would leave the balance at -400 from 1 April to 1 June although the year's total is fine.
    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    money(poverty_project, "arrival", "central", "500", "2016-06-01")
    money(poverty_project, "disbursement", "central", "1000", "2016-03-02")
    with pytest.raises(DomainError):
        money(poverty_project, "disbursement", "central", "400", "2016-04-01")
    money(poverty_project, "disbursement", "central", "400", "2016-06-01")


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("-5", "negative_amount"),
        ("0", "negative_amount"),
        ("abc", "not_a_number"),
        ("", "amount_required"),
        ("NaN", "not_a_number"),
        ("1.005", "too_precise"),
        ("1e20", "amount_too_large"),
        (1.5, "float_amount"),
        (None, "amount_required"),
    ],
)
def test_bad_amounts_are_refused(poverty_project, org, amount, code):
    with pytest.raises(DomainError) as error:
        services.record_arrival(
            poverty_project, level="central", amount=amount, date=D(2016, 3, 1), actor=org.staff
        )
    assert error.value.code == code
    assert error.value.field == "amount"
    assert not Entry.objects.exists()


def test_amount_with_thousands_separator_is_accepted(poverty_project, org):
    entry = services.record_arrival(
        poverty_project, level="中央", amount="1,234.50", date=D(2016, 3, 1), actor=org.staff
    )
    assert entry.amount == Decimal("1234.50")
    assert entry.level == SourceLevel.CENTRAL


@pytest.mark.parametrize(
    ("date", "code"),
    [
        (D(2015, 12, 31), "date_outside_year"),
        (D(2017, 1, 1), "date_outside_year"),
        ("2016-03-01", "invalid_date"),
    ],
)
def test_dates_outside_the_plan_year_are_refused(poverty_project, org, date, code):
    with pytest.raises(DomainError) as error:
        services.record_arrival(poverty_project, level="central", amount="10", date=date, actor=org.staff)
    assert error.value.code == code
    assert not Entry.objects.exists()


def test_future_date_is_refused(org, make_project, time_machine):
    time_machine.move_to(datetime.datetime(2016, 6, 1, 12, tzinfo=datetime.UTC))
    project = make_project()
    with pytest.raises(DomainError) as error:
        services.record_arrival(project, level="central", amount="10", date=D(2016, 6, 2), actor=org.staff)
    assert error.value.code == "date_in_future"


def test_unknown_level_and_kind_are_refused(poverty_project, org):
    with pytest.raises(DomainError) as error:
        services.record_arrival(
            poverty_project, level="乡镇", amount="10", date=D(2016, 3, 1), actor=org.staff
        )
    assert error.value.code == "unknown_level"
    with pytest.raises(DomainError) as error:
        services.record_entry(
            poverty_project, kind="refund", level="central", amount="10", date=D(2016, 3, 1), actor=org.staff
        )
    assert error.value.code == "unknown_kind"
    assert not Entry.objects.exists()


def test_disbursement_needs_a_recipient_and_spending_a_purpose(poverty_project, org, money):
    money(poverty_project, "arrival", "central", "100", "2016-03-01")
    with pytest.raises(DomainError) as error:
        money(poverty_project, "disbursement", "central", "10", "2016-03-02", recipient_unit=None)
    assert error.value.code == "recipient_required"
    money(poverty_project, "disbursement", "central", "10", "2016-03-02")
    with pytest.raises(DomainError) as error:
        money(poverty_project, "spending", "central", "10", "2016-03-02", purpose="  ")
    assert error.value.code == "purpose_required"


def test_disbursement_to_a_unit_outside_the_users_region_is_refused(poverty_project, org, money):
    money(poverty_project, "arrival", "central", "100", "2016-03-01")
    with pytest.raises(PermissionDenied):
        money(poverty_project, "disbursement", "central", "10", "2016-03-02", recipient_unit=org.jinan_office)


@pytest.mark.parametrize("who", ["leader", "auditor", "filer", "county_staff", "jinan_staff"])
def test_only_staff_of_the_projects_region_record_money(poverty_project, org, money, who):
    with pytest.raises(PermissionDenied):
        money(poverty_project, "arrival", "central", "100", "2016-03-01", actor=getattr(org, who))
    assert not Entry.objects.exists()


def test_cancelling_an_arrival_that_was_passed_on_is_refused(poverty_project, org, money):
    arrival = money(poverty_project, "arrival", "central", "100", "2016-03-01")
    money(poverty_project, "disbursement", "central", "60", "2016-03-02")
    with pytest.raises(DomainError) as error:
        services.cancel_entry(arrival, actor=org.staff, reason="重复登记")
    assert error.value.code == "cancel_breaks_balance"
    assert totals(poverty_project, "central") == (Decimal("100"), Decimal("60"), 0)


def test_cancel_needs_a_reason_and_stops_the_entry_counting(poverty_project, org, money):
    arrival = money(poverty_project, "arrival", "central", "100", "2016-03-01")
    money(poverty_project, "arrival", "central", "100", "2016-03-01")
    with pytest.raises(DomainError):
        services.cancel_entry(arrival, actor=org.staff, reason=" ")
    services.cancel_entry(arrival, actor=org.staff, reason="重复登记")
    arrival.refresh_from_db()
    assert arrival.is_cancelled
    assert arrival.cancel_reason == "重复登记"
    assert totals(poverty_project, "central") == (Decimal("100"), 0, 0)
    with pytest.raises(DomainError) as error:
        services.cancel_entry(arrival, actor=org.staff, reason="again")
    assert error.value.code == "already_cancelled"


def test_plan_can_only_be_changed_through_an_adjustment_with_reason(poverty_project, org):
    with pytest.raises(DomainError) as error:
        services.plan_funding(poverty_project, {"central": "1"}, actor=org.staff)
    assert error.value.code == "plan_exists"
    with pytest.raises(DomainError) as error:
        services.adjust_plan(poverty_project, {"central": "100000000"}, actor=org.staff, reason="")
    assert error.value.code == "reason_required"
    adjustment = services.adjust_plan(
        poverty_project,
        {"central": "100000000", "social": "5000000"},
        actor=org.staff,
        reason="追加中央资金，引入社会资本",
        approved_by="市政府常务会议",
    )
    assert adjustment.before["central"] == "91000000.00"
    assert adjustment.after["central"] == "100000000.00"
    assert adjustment.after["social"] == "5000000.00"
    assert adjustment.after["province"] == "317000000.00"
    source = FundingSource.objects.get(project=poverty_project, level="central")
    assert [h.planned for h in source.history.all()] == [Decimal("100000000"), Decimal("91000000")]
    assert PlanAdjustment.objects.count() == 2  # the first split and this change


def test_adjustment_that_changes_nothing_is_refused(poverty_project, org):
    with pytest.raises(DomainError) as error:
        services.adjust_plan(poverty_project, {"central": "91000000"}, actor=org.staff, reason="x")
    assert error.value.code == "no_change"


def test_database_refuses_totals_that_break_the_chain(poverty_project):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FundingSource.objects.filter(project=poverty_project, level="central").update(disbursed=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            project=poverty_project, kind="arrival", level="central", amount=-1, date=D(2016, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            project=poverty_project, kind="arrival", level="village", amount=1, date=D(2016, 1, 1)
        )
