"""Summaries against figures computed by hand from the seeds' numbers (see the seeded_money fixture)."""

import datetime
from decimal import Decimal

import pytest

from funding import summaries
from minsheng.errors import DomainError

pytestmark = pytest.mark.django_db

YI = Decimal("100000000")
WAN = Decimal("10000")


def by_label(rows):
    return {row["label"]: row for row in rows}


def test_year_totals_as_the_bulletin_prints_them(org, seeded_money):
    t = summaries.totals(org.staff, year=2016)
    assert t["planned"] == Decimal("7.79") * YI + 6743 * WAN
    assert t["arrived"] == Decimal("7.03") * YI + 5069 * WAN
    assert t["disbursed"] == Decimal("3.91") * YI
    assert t["spent"] == Decimal("2.5") * YI
    assert t["planned_text"] == "8.46亿元"  # 8.4643亿
    assert t["arrived_text"] == "7.54亿元"  # 7.5369亿
    # 7.5369 / 8.4643 = 89.04%; 3.91 / 7.5369 = 51.88%; 2.5 / 7.5369 = 33.17%
    assert t["arrival_rate_text"] == "89.0%"
    assert t["disbursement_rate_text"] == "51.9%"
    assert t["execution_rate_text"] == "33.2%"


def test_poverty_item_split_by_level_from_seed_001(org, seeded_money):
    rows = by_label(summaries.summarize(org.staff, "level", year=2016, category="poverty"))
    assert {k: r["planned"] for k, r in rows.items()} == {
        "中央": Decimal("0.91") * YI,
        "省级": Decimal("3.17") * YI,
        "市级": Decimal("1.75") * YI,
        "县区级": Decimal("1.96") * YI,
    }
    county = rows["县区级"]
    assert county["arrived"] == Decimal("1.2") * YI
    assert summaries.with_text(county)["arrival_rate_text"] == "61.2%"  # 1.2 / 1.96
    assert rows["省级"]["execution_rate"] == Decimal("2.5") / Decimal("3.17")
    assert rows["中央"]["disbursement_rate"] == 1


def test_region_rows_include_sub_regions(org, seeded_money):
    rows = by_label(summaries.summarize(org.staff, "region", year=2016, region=org.city))
    assert set(rows) == {"临沂市本级", "兰山区"}
    assert rows["兰山区"]["planned"] == 6743 * WAN
    assert rows["兰山区"]["arrived"] == 5069 * WAN
    assert rows["兰山区"]["code"] == "371302"
    assert summaries.with_text(rows["兰山区"])["arrival_rate_text"] == "75.2%"  # 5069 / 6743
    province = by_label(summaries.summarize(org.admin, "region", year=2016, region="370000"))
    assert set(province) == {"临沂市"}
    assert province["临沂市"]["planned"] == Decimal("7.79") * YI + 6743 * WAN
    top = by_label(summaries.summarize(org.admin, "region", year=2016))
    assert top["山东省"]["arrived"] == Decimal("7.03") * YI + 5069 * WAN


def test_as_of_a_month_counts_entries_up_to_its_end(org, seeded_money):
    rows = by_label(summaries.summarize(org.staff, "project", year=2016, month=5))
    poverty = rows[str(seeded_money["poverty"])]
    assert poverty["arrived"] == Decimal("4.08") * YI  # 0.91 + 3.17 by 31 May
    assert poverty["disbursed"] == Decimal("0.91") * YI
    assert poverty["spent"] == 0
    assert poverty["planned"] == Decimal("7.79") * YI


def test_per_unit_and_category(org, seeded_money):
    units = by_label(summaries.summarize(org.staff, "unit", year=2016))
    assert units["兰山区人民政府"]["arrived"] == 5069 * WAN
    assert units["市人社局"]["spent"] == Decimal("2.5") * YI
    categories = by_label(summaries.summarize(org.staff, "category", year=2016))
    assert set(categories) == {"脱贫攻坚", "医疗卫生"}


def test_monthly_with_same_month_last_year(org, seeded_money):
    rows = summaries.summarize(org.staff, "month", year=2016)
    march = rows[2]
    assert march["label"] == "1-3月"
    assert march["arrived"] == Decimal("0.91") * YI + 4016 * WAN
    assert march["last_cum_arrived"] == Decimal("0.5") * YI
    # (0.91亿 + 4016万) / 0.5亿 - 1 = 162.32%
    assert march["yoy_arrived"] == (Decimal("1.3116") / Decimal("0.5")) - 1
    september = rows[8]
    assert september["cum_arrived"] == Decimal("7.03") * YI + 5069 * WAN
    assert september["cum_spent"] == Decimal("2.5") * YI
    assert rows[0]["yoy_arrived"] is None  # nothing in January 2015


def test_totals_as_of_month_compare_with_last_year(org, seeded_money):
    t = summaries.totals(org.staff, year=2016, month=3)
    assert t["last_year"]["arrived"] == Decimal("0.5") * YI
    assert t["yoy_arrived"] == Decimal("1.3116") / Decimal("0.5") - 1
    assert t["as_of"] == datetime.date(2016, 3, 31)


def test_filer_and_other_regions_see_only_their_money(org, seeded_money):
    filer = summaries.totals(org.filer, year=2016)  # 市人社局 leads the poverty item in the fixture
    assert filer["planned"] == Decimal("7.79") * YI
    county = summaries.totals(org.county_staff, year=2016)
    assert county["planned"] == 6743 * WAN
    assert summaries.totals(org.jinan_staff, year=2016)["planned"] == 0
    assert summaries.summarize(org.jinan_staff, "region", year=2016) == []


@pytest.mark.parametrize("by", ["project", "unit", "region", "level", "category"])
def test_summaries_run_a_constant_number_of_queries(
    org, seeded_money, make_project, by, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        summaries.summarize(org.staff, by, year=2016, month=9)
    for i in range(5):
        make_project(f"X{i}")
    with django_assert_max_num_queries(4):
        summaries.summarize(org.staff, by, year=2016, month=9)
    with django_assert_max_num_queries(3):
        summaries.monthly(org.staff, year=2016)


def test_bad_parameters_are_refused(org, seeded_money):
    with pytest.raises(DomainError):
        summaries.summarize(org.staff, "village", year=2016)
    with pytest.raises(DomainError):
        summaries.summarize(org.staff, "level", year=2016, level="乡镇")
    with pytest.raises(DomainError):
        summaries.summarize(org.staff, "region", year=2016, region="999999")
    with pytest.raises(DomainError):
        summaries.summarize(org.staff, "level", year=2016, month=13)


def test_bulletin_figures_for_1_to_9(org, seeded_money):
    poverty, nhc = seeded_money["poverty"], seeded_money["nhc"]
    # Judged against the whole plan (序时进度 100%): every project short of its plan is a gap.
    figures = summaries.bulletin_figures(org.city, 2016, 9, {poverty.pk: 1, nhc.pk: 1})
    assert figures.spent == Decimal("2.5") * YI
    assert figures.spent_growth is None  # nothing spent in 2015
    assert [(g.project_id, g.gap) for g in figures.gaps] == [
        (poverty.pk, Decimal("0.76") * YI),  # 7.79 - 7.03
        (nhc.pk, 1674 * WAN),
    ]
    assert summaries.bulletin_figures(org.city, 2016, 9, {seeded_money["last_year"].pk + 999: 1}) is None


def test_a_funding_gap_is_money_arrived_below_the_plan_times_its_schedule(org, seeded_money):
    poverty, nhc = seeded_money["poverty"], seeded_money["nhc"]
    # At 序时进度 75% the poverty project's 7.03亿 of 7.79亿 is ahead (due: 5.84亿); nhc's stays short.
    figures = summaries.bulletin_figures(org.city, 2016, 9, {poverty.pk: Decimal("0.75"), nhc.pk: 1})
    assert [(g.project_id, g.gap) for g in figures.gaps] == [(nhc.pk, 1674 * WAN)]
    assert summaries.falls_short(Decimal(100), Decimal(74), Decimal("0.75"))
    assert not summaries.falls_short(Decimal(100), Decimal(75), Decimal("0.75"))
    assert not summaries.falls_short(Decimal(0), Decimal(0), Decimal(1))  # nothing planned: no gap
