"""Templates, exports in the template layout (which re-import unchanged), summary sheets and the commands."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ledgers.exporting import template
from ledgers.services import export_ledger, import_ledger
from projects.models import ProgressReport, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_plan(org, ledger_project, make_project, file_report):
    ledger_project.cooperating_units.set([org.edu, org.office])
    ledger_project.deadline = datetime.date(2016, 12, 31)
    ledger_project.planned_investment = Decimal("87825300.00")
    ledger_project.content = '=HYPERLINK("http://evil")'  # must not become a formula
    ledger_project.save()
    make_project("02", title="+大班额化解", lead_unit=org.edu)  # no indicators
    file_report(
        ledger_project,
        8,
        {"新增城镇就业人数": 80000, "农村劳动力转移就业": 120000},
        investment=Decimal("7000000"),
    )
    file_report(
        ledger_project, 9, {"新增城镇就业人数": 93000}, investment=Decimal("8782530.5"), narrative="@提前完成"
    )
    return ledger_project.plan


def rows_of(content: bytes, sheet="台账"):
    return [list(r) for r in load_workbook(io.BytesIO(content))[sheet].iter_rows(values_only=True)]


def test_template_has_chinese_headers_an_example_row_and_notes():
    for kind in ("projects", "progress"):
        book = load_workbook(io.BytesIO(template(kind, year=2016, region_name="临沂市")))
        assert book.sheetnames == ["台账", "填写说明"]
        rows = [list(r) for r in book["台账"].iter_rows(values_only=True)]
        assert rows[0][0].startswith("2016年临沂市")
        assert "项目名称" in rows[1]
        assert rows[2][0] == "示例"
        assert any("万元" in str(r[0]) for r in book["填写说明"].iter_rows(values_only=True))


def test_an_empty_template_imports_nothing_and_no_error(org, ledger_project):
    for kind in ("projects", "progress"):
        report = import_ledger(io.BytesIO(template(kind)), kind, actor=org.staff, year=2016)
        assert report.ok, report.lines()
        assert report.total_rows == 0, report.lines()


@pytest.mark.parametrize("kind", ["projects", "progress"])
def test_export_reimports_unchanged(org, filled_plan, kind):
    content = export_ledger(kind, filled_plan)
    report = import_ledger(io.BytesIO(content), kind, actor=org.staff, year=2016, filename="导出.xlsx")
    assert report.ok, report.lines()
    assert set(report.counts) == {"unchanged"}, report.rows
    assert report.total_rows == (3 if kind == "projects" else 3)


def test_formula_like_text_is_neutralised_on_export(org, filled_plan):
    rows = rows_of(export_ledger("projects", filled_plan))
    cells = [c for row in rows for c in row if isinstance(c, str)]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'+大班额化解" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    progress = [c for row in rows_of(export_ledger("progress", filled_plan)) for c in row]
    assert "'@提前完成" in progress


def test_export_then_edit_then_import_changes_exactly_that(org, filled_plan):
    content = export_ledger("progress", filled_plan)
    book = load_workbook(io.BytesIO(content))
    sheet = book["台账"]
    header = [c.value for c in sheet[2]]
    value_col = header.index("累计完成值") + 1
    sheet.cell(row=5, column=value_col, value=95000)  # the September row
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = import_ledger(buffer, "progress", actor=org.staff, year=2016, dry_run=False)
    assert report.counts == {"unchanged": 2, "changed": 1}, report.lines()
    september = ProgressReport.objects.get(month=9)
    assert september.values.get().value == 95000


def test_summary_sheet_has_targets_completion_and_schedule(org, filled_plan):
    filled_plan.reporting_month = 9
    filled_plan.save()
    rows = rows_of(export_ledger("summary", filled_plan), "汇总表")
    assert "截至9月" in rows[0][0]
    header = rows[1]
    jobs = next(r for r in rows if r[4] == "新增城镇就业人数")
    assert jobs[header.index("累计完成")] == 93000
    assert jobs[header.index("完成率")] == pytest.approx(1.0333)
    assert jobs[header.index("序时进度")] == pytest.approx(0.75)
    assert jobs[header.index("年度计划投资（万元）")] == pytest.approx(8782.53)
    assert any(r[1] == "02" for r in rows[2:])


def test_summary_writes_numbers_with_number_formats_not_text(org, filled_plan):
    """Excel can sum the columns: numeric cells, 万元 with two decimals, rates as percentages."""
    filled_plan.reporting_month = 9
    filled_plan.save()
    sheet = load_workbook(io.BytesIO(export_ledger("summary", filled_plan)))["汇总表"]
    header = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[4].value == "新增城镇就业人数")
    for name, number_format in (
        ("年度目标", None),
        ("累计完成", None),
        ("完成率", "0.0%"),
        ("序时进度", "0.0%"),
        ("进度差", "0.0%"),
        ("项目完成率", "0.0%"),
        ("年度计划投资（万元）", "#,##0.00"),
        ("累计完成投资（万元）", "#,##0.00"),
    ):
        cell = row[header.index(name)]
        assert cell.data_type == "n", (name, cell.value)
        if number_format:
            assert cell.number_format == number_format, name
    assert row[header.index("累计完成投资（万元）")].value == pytest.approx(878.25)
    assert row[header.index("进度差")].value == pytest.approx(0.2833)
    texts = [c.value for r in sheet.iter_rows(min_row=3) for c in r if isinstance(c.value, str)]
    assert not any(t.endswith("%") or t.endswith(".0000") for t in texts)


def test_ledger_exports_write_amounts_and_figures_as_numbers(org, filled_plan):
    sheet = load_workbook(io.BytesIO(export_ledger("progress", filled_plan)))["台账"]
    header = [c.value for c in sheet[2]]
    rows = list(sheet.iter_rows(min_row=3))
    values = [r[header.index("累计完成值")] for r in rows]
    assert [c.data_type for c in values] == ["n"] * len(values)
    money = [
        r[header.index("累计完成投资（元）")] for r in rows if r[header.index("累计完成投资（元）")].value
    ]
    assert money
    assert all(c.data_type == "n" and c.number_format == "#,##0.00" for c in money)


# -- commands


def test_import_command_dry_run_and_exit_codes(org, filled_plan, tmp_path, capsys):
    path = tmp_path / "进展.xlsx"
    path.write_bytes(export_ledger("progress", filled_plan))
    call_command("import_ledger", str(path), "--kind", "progress", "--year", "2016", "--region", "371300")
    assert "无变化 3 行" in capsys.readouterr().out

    book = load_workbook(path)
    book["台账"]["F4"] = "很多"
    book.save(path)
    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(path), "--kind", "progress", "--region", "371300", "--dry-run")
    assert raised.value.returncode == 2
    out = capsys.readouterr().out
    assert "工作表“台账” 第4行 F列（累计完成值）：“很多”不是有效的数字" in out


def test_export_command_writes_the_file(org, filled_plan, tmp_path):
    out = tmp_path / "projects.xlsx"
    call_command(
        "export_ledger", "--kind", "projects", "--year", "2016", "--region", "371300", "--out", str(out)
    )
    assert rows_of(out.read_bytes())[1][:3] == ["序号", "项目编号", "项目名称"]
    with pytest.raises(CommandError):
        call_command(
            "export_ledger", "--kind", "projects", "--year", "2099", "--region", "371300", "--out", str(out)
        )


def test_import_command_refuses_an_unknown_region(org, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(template("projects"))
    with pytest.raises(CommandError):
        call_command("import_ledger", str(path), "--kind", "projects", "--region", "999999")
    assert not Project.objects.exists()
