"""Writing ledgers: the downloadable templates, exports in the template layout (which re-import unchanged)
and the summary sheet a higher-level office asks for.

Every sheet is written in openpyxl's write-only mode (rows stream to the file). Text that a spreadsheet
would take for a formula (starting with = + - @, or a tab or carriage return) is prefixed with an
apostrophe; the importer removes that apostrophe again, so such text round-trips.
"""

import datetime
import io
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from funding.choices import SourceLevel
from funding.models import Entry, FundingSource
from funding.summaries import rate
from minsheng import formatting
from minsheng.spreadsheets import FORMULA_STARTS, neutralise
from projects.choices import Light
from projects.models import ProgressValue, Project, Target

from .importers.funding import COLUMNS as FUNDING_COLUMNS
from .importers.progress import COLUMNS as PROGRESS_COLUMNS
from .importers.projects import PROJECT_COLUMNS
from .reader import Column
from .resources import FundingLedgerResource, ProgressLedgerResource, ProjectLedgerResource

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="808080")
MONEY_FORMAT = "#,##0.00"
WAN_FORMAT = "#,##0.00"  # amounts in 万元, two decimals, summed by Excel as numbers
PERCENT_FORMAT = "0.0%"  # rates stored as fractions (1.0333), shown as 103.3%
FIGURE_FORMAT = "#,##0.####;-#,##0.####;0"
DATE_FORMAT = "yyyy-mm-dd"

KIND_COLUMNS = {"projects": PROJECT_COLUMNS, "funding": FUNDING_COLUMNS, "progress": PROGRESS_COLUMNS}
KIND_TITLES = {
    "projects": "民生实事项目台账",
    "funding": "民生实事资金台账",
    "progress": "民生实事月度进展台账",
}


def header_label(column: Column) -> str:
    return f"{column.label}（元）" if column.type == "money" else column.label


class SheetWriter:
    """A write-only sheet with a title row, a styled header and typed data cells."""

    def __init__(self, workbook: Workbook, title: str, heading: str, columns: list[str]):
        self.sheet = workbook.create_sheet(title)
        self.width = len(columns)
        self.sheet.append([self.cell(heading, font=TITLE_FONT)])
        self.sheet.append([self.cell(label, font=HEADER_FONT, fill=HEADER_FILL) for label in columns])
        for index, label in enumerate(columns):
            letter = self.sheet_letter(index)
            self.sheet.column_dimensions[letter].width = max(10, min(40, len(label) * 2 + 4))
        self.sheet.freeze_panes = "A3"

    @staticmethod
    def sheet_letter(index: int) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(index + 1)

    def cell(self, value, *, font=None, fill=None, number_format=None):
        cell = WriteOnlyCell(self.sheet, value=neutralise(value))
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, Decimal) and value.as_tuple().exponent == -2:
            cell.number_format = MONEY_FORMAT
        return cell

    def append(self, values, *, font=None, formats=None) -> None:
        """A data row; `formats` gives a number format per column (None: by the value's type)."""
        formats = formats or [None] * len(values)
        self.sheet.append(
            [
                self.cell(value, font=font, number_format=fmt if value is not None else None)
                for value, fmt in zip(values, formats, strict=False)
            ]
        )


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template(kind: str, *, year: int | None = None, region_name: str = "") -> bytes:
    """The blank template of a kind: title, Chinese headers, an example row (序号 示例) and a notes sheet."""
    columns = KIND_COLUMNS[kind]
    workbook = Workbook(write_only=True)
    heading = f"{year or '20XX'}年{region_name}{KIND_TITLES[kind]}"
    writer = SheetWriter(workbook, "台账", heading, [header_label(c) for c in columns])
    example = ["示例" if c.key == "sequence" else c.example for c in columns]
    writer.append(example, font=NOTE_FONT)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明", "其他写法（导入时同样识别）"])
    for column in columns:
        required = "必填" if column.required or column.key in ("title",) else "选填"
        notes.append([header_label(column), required, column.note, "、".join(column.synonyms)])
    for line in (
        "1. 第一行为标题，第二行为表头，数据从第三行开始；示例行（序号为“示例”）导入时自动跳过，可删除。",
        "2. 标题行、合计/小计行、空行、分类标题行（如“一、就业创业”）导入时自动跳过。",
        "3. 金额可填元、万元或亿元：表头注明（如“计划投资（万元）”）或在数字后写单位（如“3.5亿元”）。",
        "4. 日期可写作2019年6月30日、2019年6月底、2019.6.30或Excel日期。",
        "5. 导入前先预检：有任何错误时不写入任何数据，并列出每个错误的工作表、行号和列。",
        "6. 重复导入同一文件不会产生重复数据；导出的台账可修改后直接导入。",
    ):
        notes.append([line])
    return _save(workbook)


def _projects_queryset(plan):
    return (
        Target.objects.filter(project__plan=plan)
        .select_related("project__lead_unit")
        .prefetch_related("project__cooperating_units", "project__funding_sources")
        .order_by("project__sequence", "project__code", "sequence", "pk")
    )


def _progress_queryset(plan):
    return (
        ProgressValue.objects.filter(report__project__plan=plan)
        .select_related("report__project", "target")
        .order_by("report__project__sequence", "report__project__code", "report__month", "target__sequence")
    )


def _funding_queryset(plan):
    return (
        Entry.objects.active()
        .filter(project__plan=plan)
        .select_related("project", "recipient_unit")
        .order_by("project__sequence", "project__code", "date", "pk")
    )


def export(kind: str, plan) -> bytes:
    """A plan's ledger of `kind` in the template's layout, with the plan's summary sheet after it."""
    ledgers: dict[str, tuple[type[Any], Callable[[Any], QuerySet[Any]]]] = {
        "projects": (ProjectLedgerResource, _projects_queryset),
        "funding": (FundingLedgerResource, _funding_queryset),
        "progress": (ProgressLedgerResource, _progress_queryset),
    }
    resource, queryset = ledgers[kind]
    dataset = resource().export(queryset(plan), force_native_type=True)
    workbook = Workbook(write_only=True)
    writer = SheetWriter(
        workbook, "台账", f"{plan.year}年{plan.region.name}{KIND_TITLES[kind]}", dataset.headers
    )
    numeric = _numeric_headers(KIND_COLUMNS[kind])
    kinds = [numeric.get(header) for header in dataset.headers]
    for row in dataset:
        writer.append([_as_number(value, kind_) for value, kind_ in zip(row, kinds, strict=True)])
    if kind == "projects":
        _projects_without_targets(writer, plan)
    if kind == "funding":
        funding_levels_sheet(workbook, plan)
    summary_sheet(workbook, plan)
    return _save(workbook)


NUMERIC_TYPES = {"money", "figure", "int", "rate"}


def _numeric_headers(columns) -> dict[str, str]:
    """Header → column type for the ledger's numeric columns (under both of its header spellings)."""
    found = {}
    for column in columns:
        if column.type in NUMERIC_TYPES:
            found[column.label] = found[header_label(column)] = column.type
    return found


def _as_number(value, column_type: str | None):
    """A numeric column's value as a number (a resource may render it as text): Excel sums numbers only."""
    if column_type is None or value is None or value == "":
        return value
    if isinstance(value, str):
        try:
            value = Decimal(value.replace(",", ""))
        except ArithmeticError:
            return value  # not a number after all: kept as written
    if isinstance(value, Decimal) and column_type == "figure":
        return _figure(value)
    if isinstance(value, Decimal) and column_type == "money":
        return value.quantize(Decimal("0.01"))
    return value


def _projects_without_targets(writer: SheetWriter, plan) -> None:
    """Projects without indicators still get their row (export must not lose a project)."""
    resource = ProjectLedgerResource()
    for project in (
        Project.objects.filter(plan=plan, targets__isnull=True)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units", "funding_sources")
        .order_by("sequence", "code")
    ):
        # An unsaved placeholder that is never saved: a project without targets still gets its row.
        target = Target(project=project, name="", measure="", annual_target=None)  # type: ignore[misc]
        row = resource.export_resource(target, force_native_type=True)
        writer.append(row)


FUNDING_LEVEL_COLUMNS = [
    "序号",
    "项目编号",
    "项目名称",
    "资金来源",
    "计划（万元）",
    "到位（万元）",
    "拨付（万元）",
    "支出（万元）",
    "到位率",
    "拨付率",
    "执行率",
]


def funding_levels_sheet(workbook: Workbook, plan) -> None:
    """分级资金 (long form): one row per project and source level with planned, arrived, disbursed and
    spent in 万元 and the three rates (funding.summaries.rate), numbers Excel can sum and filter."""
    writer = SheetWriter(
        workbook, "分级资金", f"{plan.year}年{plan.region.name}民生实事分级资金情况", FUNDING_LEVEL_COLUMNS
    )
    formats = [None, None, None, None, WAN_FORMAT, WAN_FORMAT, WAN_FORMAT, WAN_FORMAT]
    formats += [PERCENT_FORMAT] * 3
    sources = (
        FundingSource.objects.filter(project__plan=plan)
        .select_related("project")
        .order_by("project__sequence", "project__code", "level")
    )
    order = {level: index for index, level in enumerate(SourceLevel.values)}
    for source in sorted(sources, key=lambda s: (s.project.sequence, s.project.code, order[s.level])):
        writer.append(
            [
                source.project.sequence,
                source.project.code,
                source.project.title,
                SourceLevel(source.level).label,
                _wan(source.planned),
                _wan(source.arrived),
                _wan(source.disbursed),
                _wan(source.spent),
                _rate(rate(source.arrived, source.planned)),
                _rate(rate(source.disbursed, source.arrived)),
                _rate(rate(source.spent, source.arrived)),
            ],
            formats=formats,
        )


SUMMARY_COLUMNS = [
    "序号",
    "项目编号",
    "项目名称",
    "牵头单位",
    "指标名称",
    "计量单位",
    "年度目标",
    "累计完成",
    "完成率",
    "序时进度",
    "进度差",
    "项目完成率",
    "灯号",
    "年度计划投资（万元）",
    "累计完成投资（万元）",
]


def summary_sheet(workbook: Workbook, plan, month: int | None = None) -> None:
    """汇总表: per project and indicator the target, completion, 序时进度 and lag (from with_progress)."""
    projects = list(
        Project.objects.filter(plan=plan)
        .with_progress(month=month)
        .select_related("lead_unit")
        .order_by("sequence", "code")
    )
    targets: dict[int, list[Target]] = {}
    for target in (
        Target.objects.filter(project__plan=plan).with_progress(month=month).order_by("sequence", "pk")
    ):
        targets.setdefault(target.project_id, []).append(target)
    as_of = projects[0].as_of_month if projects else month
    heading = f"{plan.year}年{plan.region.name}民生实事进展汇总表（截至{as_of or '—'}月）"
    writer = SheetWriter(workbook, "汇总表", heading, SUMMARY_COLUMNS)
    formats: list[str | None] = [None, None, None, None, None, None, None, None]
    formats += [PERCENT_FORMAT, PERCENT_FORMAT, PERCENT_FORMAT, PERCENT_FORMAT, None, WAN_FORMAT, WAN_FORMAT]
    for project in projects:
        rows: Sequence[Target | None] = targets.get(project.pk) or [None]
        for target in rows:
            writer.append(
                [
                    project.sequence,
                    project.code,
                    project.title,
                    project.lead_unit.name,
                    target.name if target else "",
                    target.measure if target else "",
                    _figure(target.annual_target) if target else None,
                    _figure(target.value) if target else None,
                    _rate(target.completion) if target else None,
                    _rate(project.expected),
                    _rate(target.lag) if target else None,
                    _rate(project.completion),
                    Light(project.light).label,
                    _wan(project.planned_investment),
                    _wan(project.latest_investment),
                ],
                formats=formats,
            )


def _rate(value) -> Decimal | None:
    """A fraction for a percent-formatted cell, rounded as the pages round it (0.1%)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _figure(value) -> int | Decimal | None:
    """A figure as a number: whole numbers as int (Excel shows 93000, not 93000.0000)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


def _wan(yuan) -> Decimal | None:
    return formatting.wan(yuan)


def summary(plan, month: int | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    summary_sheet(workbook, plan, month)
    return _save(workbook)
