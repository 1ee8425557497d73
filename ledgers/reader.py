"""Reading ledgers as offices keep them: find the header under any title rows, understand one- and
two-row (merged) headers and their synonyms, and hand on the data rows with their sheet and row numbers.

Rows stream from the XML through ledgers.xlsx (memory stays flat for 50,000 rows). Merged ranges are not
read: a merged cell's value sits in its top-left cell and the others are empty, which is exactly what the
header logic below expects.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from . import cells, xlsx

HEADER_SCAN_ROWS = 15
# Sheets that are never data: the notes of our templates and the summary our exports add.
NOTE_SHEETS = {"填写说明", "说明", "填报说明", "备注", "汇总表", "分级资金"}
UNIT_IN_PARENS = re.compile(r"[(\[【]([^)\]】]*)[)\]】]")
MARKERS = re.compile(r"[*★※:：]")


@dataclass(frozen=True)
class Column:
    """A column of a ledger kind: its template header, the other names offices give it, and its type."""

    key: str
    label: str
    type: str = "text"  # text, code, money, figure, date, month, int, names, rate
    synonyms: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    example: object = None
    # For a column under a merged group header ("计划资金" over "中央"): the group's names.
    group: tuple[str, ...] = ()
    unit: str = "元"  # money: the unit when neither header nor cell says

    def names(self) -> set[str]:
        return {cells.key(name) for name in (self.label, *self.synonyms)}


def split_header(raw) -> tuple[str, str | None]:
    """A header's name and money unit: "计划投资（万元）" → ("计划投资", "万元")."""
    value = MARKERS.sub("", cells.key(raw))
    unit = None
    for inner in UNIT_IN_PARENS.findall(value):
        for candidate in ("亿元", "万元", "元"):
            if candidate in inner:
                unit = candidate
                break
    value = UNIT_IN_PARENS.sub("", value)
    if unit is None:
        for candidate in ("亿元", "万元"):
            if value.endswith(candidate) and len(value) > len(candidate):
                unit, value = candidate, value.removesuffix(candidate)
                break
    return value, unit


@dataclass
class Mapped:
    """A sheet column matched to a ledger column."""

    column: Column
    index: int
    header: str
    unit: str

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class Table:
    """A sheet's header as understood and its data rows."""

    sheet: str
    header_rows: tuple[int, ...]
    mapped: dict[str, Mapped]
    unknown: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1


class HeaderMatcher:
    """Matches header cells against a kind's columns."""

    def __init__(self, columns: Sequence[Column]):
        self.columns = columns
        self.by_name: dict[str, list[Column]] = {}
        for column in columns:
            for name in column.names():
                self.by_name.setdefault(name, []).append(column)

    def match(self, raw, parent=None) -> tuple[Column, str | None] | None:
        name, unit = split_header(raw)
        if not name:
            return None
        parent_name, parent_unit = split_header(parent) if parent is not None else ("", None)
        candidates = self.by_name.get(name, [])
        if parent_name:
            # Under a group: prefer the column of that group, then try "group+name" ("计划资金中央").
            grouped = [c for c in candidates if parent_name in {cells.key(g) for g in c.group}]
            if grouped:
                return grouped[0], unit or parent_unit
            joined = self.by_name.get(parent_name + name) or self.by_name.get(name + parent_name)
            if joined:
                return joined[0], unit or parent_unit
        ungrouped = [c for c in candidates if not c.group or not parent_name]
        if ungrouped:
            return ungrouped[0], unit or parent_unit
        return None


def _fill_groups(upper: Sequence, lower: Sequence) -> list:
    """Carry a merged group header (value only in its first cell) over the columns below it."""
    filled, current = [], None
    for index in range(max(len(upper), len(lower))):
        value = upper[index] if index < len(upper) else None
        below = lower[index] if index < len(lower) else None
        if not cells.is_empty(value):
            current = value if not cells.is_empty(below) else None
            filled.append(value)
        else:
            filled.append(current if not cells.is_empty(below) else None)
    return filled


def _map_row(matcher: HeaderMatcher, upper: Sequence, lower: Sequence | None):
    mapped: dict[str, Mapped] = {}
    unknown, duplicates = [], []
    filled = _fill_groups(upper, lower) if lower is not None else list(upper)
    width = max(len(upper), len(lower or ()))
    for index in range(width):
        top = upper[index] if index < len(upper) else None
        bottom = lower[index] if lower is not None and index < len(lower) else None
        attempts = []
        if not cells.is_empty(bottom):
            attempts.append((bottom, filled[index] if index < len(filled) else None))
        if not cells.is_empty(top):
            attempts.append((top, None))
        found = None
        for raw, parent in attempts:
            found = matcher.match(raw, parent)
            if found:
                header = f"{cells.text(parent)}/{cells.text(raw)}" if parent is not None else cells.text(raw)
                break
        if not found:
            if attempts:
                unknown.append(cells.text(attempts[0][0]))
            continue
        column, unit = found
        if column.key in mapped:
            duplicates.append((column.label, header))
            continue
        mapped[column.key] = Mapped(column, index, header, unit or column.unit)
    return mapped, unknown, duplicates


def find_header(sheet: str, preview: list[tuple[int, tuple]], columns: Sequence[Column], anchors: set[str]):
    """The header among the first rows: the first row (or pair of rows) naming an anchor column and at least
    one more column. Returns a Table or None."""
    matcher = HeaderMatcher(columns)
    for position, (number, row) in enumerate(preview):
        if sum(not cells.is_empty(value) for value in row) < 2:
            continue  # a title, a note or a blank row; a header names at least two columns
        single = _map_row(matcher, row, None)
        # A two-row header may name its anchor only in its lower row: try an incomplete row with the next.
        if (len(single[0]) < 2 or not anchors & set(single[0])) and position + 1 >= len(preview):
            continue
        rows: tuple[int, ...]
        best, rows = single, (number,)
        if position + 1 < len(preview):
            double = _map_row(matcher, row, preview[position + 1][1])
            if len(double[0]) > len(single[0]):
                best, rows = double, (number, preview[position + 1][0])
        mapped, unknown, duplicates = best
        if len(mapped) >= 2 and anchors & set(mapped):
            return Table(sheet, rows, mapped, unknown, duplicates)
    return None


def open_workbook(fileobj) -> xlsx.Workbook:
    """The workbook, streaming cell values (computed values, never formulas)."""
    fileobj.seek(0)
    return xlsx.Workbook(fileobj)


def iter_rows(worksheet) -> Iterator[tuple[int, tuple]]:
    return worksheet.iter_rows()


def data_sheets(workbook) -> Iterator:
    for worksheet in workbook.worksheets:
        if cells.key(worksheet.title) in NOTE_SHEETS:
            continue
        if getattr(worksheet, "sheet_state", "visible") != "visible":
            continue
        yield worksheet
