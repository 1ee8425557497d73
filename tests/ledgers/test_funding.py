"""The funding ledger and the funding-plan columns of the projects ledger, through funding.services."""

import io
from decimal import Decimal

import pytest

from funding.choices import EntryKind, SourceLevel
from funding.models import Entry, FundingSource, PlanAdjustment
from ledgers.services import export_ledger, import_ledger
from tests.fixtures.ledgers import build_workbook

pytestmark = pytest.mark.django_db


def run(rows, kind, *, actor, dry_run=False, merges=None, filename="资金.xlsx"):
    book = build_workbook(("资金", rows), merges={"资金": merges or []})
    return import_ledger(book, kind, actor=actor, year=2016, filename=filename, dry_run=dry_run)


PLAN_ROWS = [
    ["2016年民生实事项目资金计划"],
    ["项目编号", "项目名称", "牵头单位", "领域类别", "计划资金（万元）", None, None],
    [None, None, None, None, "中央", "省级", "市级"],
    ["01", "新增城镇就业", "市人社局", "就业创业", 1000, "3,541", 1500],
]
PLAN_MERGES = ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:G2"]


def planned(project):
    return {s.level: s.planned for s in FundingSource.objects.filter(project=project) if s.planned}


def test_funding_plan_by_level_from_a_merged_header(org, ledger_project):
    report = run(PLAN_ROWS, "projects", actor=org.staff, merges=PLAN_MERGES)
    assert report.ok, report.lines()
    assert report.counts == {"changed": 1}
    assert planned(ledger_project) == {
        "central": Decimal("10000000.00"),
        "province": Decimal("35410000.00"),
        "city": Decimal("15000000.00"),
    }
    source = FundingSource.objects.get(project=ledger_project, level=SourceLevel.PROVINCE)
    assert source.history.first().history_change_reason == "台账导入：资金.xlsx"
    again = run(PLAN_ROWS, "projects", actor=org.staff, merges=PLAN_MERGES)
    assert again.counts == {"unchanged": 1}
    assert not again.written


def test_a_changed_plan_is_a_recorded_adjustment(org, ledger_project):
    run(PLAN_ROWS, "projects", actor=org.staff, merges=PLAN_MERGES)
    first = PlanAdjustment.objects.count()  # funding records the first split as an adjustment from nothing
    rows = [list(r) for r in PLAN_ROWS]
    rows[3][6] = 2000
    preview = run(rows, "projects", actor=org.staff, merges=PLAN_MERGES, dry_run=True)
    assert preview.rows[0].changes == ["市级资金计划：15000000 → 20000000"]
    assert PlanAdjustment.objects.count() == first  # the rehearsal was rolled back
    run(rows, "projects", actor=org.staff, merges=PLAN_MERGES)
    assert PlanAdjustment.objects.count() == first + 1
    adjustment = PlanAdjustment.objects.order_by("-pk").first()
    assert adjustment.reason == "按台账《资金.xlsx》调整资金计划"
    assert adjustment.after["city"] == "20000000.00"


def test_funding_plan_needs_a_staff_actor(org, ledger_project):
    book = build_workbook(("资金", PLAN_ROWS), merges={"资金": PLAN_MERGES})
    report = import_ledger(book, "projects", actor=None, region=org.city, year=2016)
    assert [p.message for p in report.problems] == [
        "资金计划须以民生办工作人员身份导入（命令行请加 --user 用户名）"
    ]
    assert not FundingSource.objects.exists()


ENTRY_HEADER = ["项目编号", "类型", "资金来源", "金额（万元）", "日期", "文号", "拨付单位", "用途"]


def entries(*rows):
    return [["2016年民生实事资金台账"], ENTRY_HEADER, *rows]


def test_arrivals_disbursements_and_spending_go_through_the_funding_services(org, ledger_project):
    rows = entries(
        # spending and disbursement listed before the arrival of the same day: applied in money order
        ["01", "支出", "省级", 500, "2016年5月20日", None, None, "发放就业补贴"],
        ["01", "拨付", "省", 1000, "2016.5.20", None, "兰山区人民政府", None],
        ["01", "到位", "省级资金", "3,541", "2016-05-20", "鲁财社指〔2016〕12号", None, None],
        ["01", "到账", "中央", "0.1亿元", "2016年6月", "财社〔2016〕1号", None, None],
    )
    report = run(rows, "funding", actor=org.staff)
    assert report.ok, report.lines()
    assert report.counts == {"new": 4}
    province = FundingSource.objects.get(project=ledger_project, level=SourceLevel.PROVINCE)
    assert (province.arrived, province.disbursed, province.spent) == (
        Decimal("35410000.00"),
        Decimal("10000000.00"),
        Decimal("5000000.00"),
    )
    central = Entry.objects.get(level=SourceLevel.CENTRAL)
    assert central.amount == Decimal("10000000.00")
    assert central.date.isoformat() == "2016-06-30"
    assert central.history.get().history_change_reason == "台账导入：资金.xlsx"
    assert Entry.objects.get(kind=EntryKind.DISBURSEMENT).recipient_unit == org.lanshan_gov

    again = run(rows, "funding", actor=org.staff)
    assert again.counts == {"unchanged": 4}
    assert Entry.objects.count() == 4


def test_a_disbursement_above_arrivals_is_refused_with_its_row_and_nothing_is_written(org, ledger_project):
    rows = entries(
        ["01", "到位", "市级", 100, "2016年3月1日", "临财〔2016〕3号", None, None],
        ["01", "拨付", "市级", 150, "2016年3月2日", None, "兰山区人民政府", None],
        ["01", "支出", "市级", 10, "2016年3月3日", None, None, None],
        ["01", "挪用", "市级", 10, "2016年3月3日", None, None, None],
    )
    for dry_run in (True, False):
        report = run(rows, "funding", actor=org.staff, dry_run=dry_run)
        places = {(p.row, p.column) for p in report.problems}
        assert places == {(4, "D"), (5, "H"), (6, "B")}, report.lines()
        assert "超过" in next(p.message for p in report.problems if p.row == 4)
        assert not Entry.objects.exists()
        assert not FundingSource.objects.filter(arrived__gt=0).exists()


def test_funding_export_reimports_unchanged(org, ledger_project):
    first = run(
        entries(
            ["01", "到位", "省级", 3541, "2016年5月20日", "鲁财社指〔2016〕12号", None, None],
            ["01", "拨付", "省级", 1000, "2016年5月21日", None, "兰山区人民政府", None],
            ["01", "支出", "省级", 500, "2016年6月1日", None, None, "发放补贴"],
        ),
        "funding",
        actor=org.staff,
    )
    assert first.ok, first.lines()
    run(PLAN_ROWS, "projects", actor=org.staff, merges=PLAN_MERGES)
    for kind in ("funding", "projects"):
        content = export_ledger(kind, ledger_project.plan)
        report = import_ledger(io.BytesIO(content), kind, actor=org.staff, year=2016, filename="导出.xlsx")
        assert report.ok, report.lines()
        assert set(report.counts) == {"unchanged"}, report.rows


def test_funding_export_adds_the_levels_in_long_form_as_numbers(org, ledger_project):
    from openpyxl import load_workbook

    first = run(
        entries(
            ["01", "到位", "省级", 3541, "2016年5月20日", "鲁财社指〔2016〕12号", None, None],
            ["01", "拨付", "省级", 1000, "2016年5月21日", None, "兰山区人民政府", None],
            ["01", "支出", "省级", 500, "2016年6月1日", None, None, "发放补贴"],
        ),
        "funding",
        actor=org.staff,
    )
    assert first.ok, first.lines()
    run(PLAN_ROWS, "projects", actor=org.staff, merges=PLAN_MERGES)
    book = load_workbook(io.BytesIO(export_ledger("funding", ledger_project.plan)))
    assert book.sheetnames[:2] == ["台账", "分级资金"]
    sheet = book["分级资金"]
    header = [c.value for c in sheet[2]]
    assert header[3:8] == ["资金来源", "计划（万元）", "到位（万元）", "拨付（万元）", "支出（万元）"]
    rows = {r[3].value: r for r in sheet.iter_rows(min_row=3)}
    sources = {s.get_level_display(): s for s in FundingSource.objects.filter(project=ledger_project)}
    assert set(rows) == set(sources)
    province = rows["省级"]
    source = sources["省级"]
    assert province[header.index("到位（万元）")].value == pytest.approx(float(source.arrived) / 10000)
    for name in ("计划（万元）", "到位（万元）", "拨付（万元）", "支出（万元）"):
        cell = province[header.index(name)]
        assert cell.data_type == "n", name
        assert cell.number_format == "#,##0.00", name
    rate_cell = province[header.index("拨付率")]
    assert rate_cell.data_type == "n"
    assert rate_cell.number_format == "0.0%"
    assert rate_cell.value == pytest.approx(round(1000 / 3541, 4))
