"""Cell values as offices type them, and a property: random cell contents never crash the importer."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledgers import cells
from ledgers.reader import split_header
from ledgers.services import import_ledger
from projects.models import ProgressValue
from tests.fixtures.ledgers import build_workbook


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("１２３", Decimal("123")),
        ("１，２３４", Decimal("1234")),
        (" 95.3% ", Decimal("95.3")),
        (0.1, Decimal("0.1")),
        (93000, Decimal("93000")),
        ("", None),
        (None, None),
    ],
)
def test_figures(raw, expected):
    assert cells.decimal(raw) == expected


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("8,782.53", "万元", Decimal("87825300.00")),
        ("1.4亿元", "万元", Decimal("140000000.00")),
        ("3.5万", "元", Decimal("35000.00")),
        ("１２０元", "万元", Decimal("120.00")),
        (7.27, "亿元", Decimal("727000000.00")),
        ("0.005", "元", Decimal("0.01")),
    ],
)
def test_money_in_the_unit_of_the_header_or_the_cell(raw, unit, expected):
    assert cells.money(raw, unit) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019年6月底", datetime.date(2019, 6, 30)),
        ("2019年6月底前", datetime.date(2019, 6, 30)),
        ("2019年2月", datetime.date(2019, 2, 28)),
        ("2019年6月中旬", datetime.date(2019, 6, 20)),
        ("2019年底", datetime.date(2019, 12, 31)),
        ("2019.6.30", datetime.date(2019, 6, 30)),
        ("２０１９．６．３０", datetime.date(2019, 6, 30)),
        ("2019-06-30", datetime.date(2019, 6, 30)),
        ("2019/6/30", datetime.date(2019, 6, 30)),
        ("20190630", datetime.date(2019, 6, 30)),
        ("6月底", datetime.date(2016, 6, 30)),
        (43646, datetime.date(2019, 6, 30)),  # an Excel serial date
        (datetime.datetime(2019, 6, 30, 0, 0), datetime.date(2019, 6, 30)),  # noqa: DTZ001 (Excel: naive)
    ],
)
def test_dates(raw, expected):
    assert cells.date(raw, default_year=2016) == expected


@pytest.mark.parametrize("raw", ["2019年13月", "明年", "2019.2.30", "6月底X"])
def test_bad_dates_say_why(raw):
    with pytest.raises(cells.CellError):
        cells.date(raw, default_year=2016)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (9, 9),
        ("9月", 9),
        ("1-9月", 9),
        ("1—9月份", 9),
        ("九月", 9),
        ("十二月", 12),
        ("2016年9月", 9),
        (42643, 9),
    ],
)
def test_months(raw, expected):
    assert cells.month(raw) == expected


def test_rates_and_headers():
    assert cells.rate("35%") == Decimal("0.35")
    assert cells.rate(0.35) == Decimal("0.35")
    assert split_header("计划投资（万元）") == ("计划投资", "万元")
    assert split_header("*项目名称 ") == ("项目名称", None)
    assert split_header("金额亿元") == ("金额", "亿元")
    assert cells.text("'=SUM(A1)") == "=SUM(A1)"
    assert cells.names("市财政局、市教育局，市卫健委") == ["市财政局", "市教育局", "市卫健委"]


# Anything a cell can hold: text (with full-width and control-free unicode), numbers, dates, booleans.
CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(
        ["1-9月", "９３,０００", "8782.53万元", "合计", "", " ", "2016年6月底", "新增城镇就业人数"]
    ),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=4, max_size=4), min_size=1, max_size=5))
def test_random_cells_are_imported_or_reported_never_crash(org, ledger_project, rows):
    book = build_workbook(("Sheet1", [["项目编号", "月份", "指标名称", "累计完成值"], *rows]))
    before = ProgressValue.objects.count()
    report = import_ledger(io.BytesIO(book.getvalue()), "progress", actor=org.staff, year=2016)
    if report.ok:
        assert ProgressValue.objects.count() - before == report.counts.get("new", 0)
    else:
        assert ProgressValue.objects.count() == before  # nothing half-written
        assert all(p.message for p in report.problems)


def test_the_streaming_reader_gives_what_openpyxl_gives():
    from openpyxl import Workbook, load_workbook

    from ledgers import xlsx

    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["文字", "  带空格 ", "全角１２３", 12, 3.25, True, None, "=不是公式"])
    # Spreadsheet cells hold naive datetimes: Excel has no time zones.
    sheet.append([datetime.date(2019, 6, 30), datetime.datetime(2019, 6, 30, 8, 30), -5, 1e-7, "", "x"])  # noqa: DTZ001
    sheet.append([])
    sheet.append([None, None, "隔空的单元格"])
    sheet["A6"] = 43646
    sheet["A6"].number_format = "yyyy年m月d日"
    hidden = book.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden.append(["a"])
    buffer = io.BytesIO()
    book.save(buffer)

    ours = xlsx.Workbook(io.BytesIO(buffer.getvalue()))
    assert [(s.title, s.sheet_state) for s in ours.worksheets] == [("数据", "visible"), ("隐藏", "hidden")]
    theirs = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True, data_only=True)["数据"]

    def trimmed(values):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        return tuple(values)

    expected = {
        n: trimmed(r) for n, r in enumerate(theirs.iter_rows(values_only=True), start=1) if trimmed(r)
    }
    got = {n: r for n, r in ours.worksheets[0].iter_rows() if r}
    assert got == expected
    assert got[6] == (datetime.datetime(2019, 6, 30),)  # noqa: DTZ001 (Excel: naive)


def test_the_streaming_reader_refuses_a_dtd():
    from ledgers import xlsx

    book = build_workbook(("Sheet1", [["a"]]))
    source = zipfile.ZipFile(book)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + body
            archive.writestr(item, data)
    with pytest.raises(xlsx.UnsafeXml):
        xlsx.Workbook(io.BytesIO(buffer.getvalue()))
