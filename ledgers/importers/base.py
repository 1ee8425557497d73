"""What every ledger importer shares: reading the sheets, typing the cells, collecting every problem with
its sheet, row and column, the dry-run report, and the all-or-nothing write."""

import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, overload
from xml.parsers import expat

from defusedxml import DefusedXmlException
from django.db import DatabaseError, IntegrityError, transaction

from minsheng.errors import CommonErrorCode, DomainError
from org import access
from org.models import Region, Unit
from projects.models import Plan

from .. import cells, reader, safety, xlsx
from ..errors import LedgersErrorCode
from ..reader import Column, Mapped, Table

DETAIL_LIMIT = 2000
PROGRESS_EVERY = 2000
SUBTOTAL = re.compile(r"^(?:[总合小]计|合计数|全[市省县区]合计|.{0,12}(?:合计|小计))$")
SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[类部分])"
)
EXAMPLE = {"示例", "例", "样例", "填写示例"}
YEAR_IN_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年")

UNSAFE_XML = "文件中含有XML实体声明（DTD），可能是恶意构造的文件，拒绝解析。"
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
ACTION_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "无变化"}


@dataclass
class Problem:
    """One error, placed exactly: sheet, Excel row number, column letter and header."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.column}列" + (f"（{self.header}）" if self.header else ""))
        return " ".join(parts)

    def __str__(self):
        where = self.where()
        return f"{where}：{self.message}" if where else self.message


@dataclass
class RowResult:
    sheet: str
    row: int
    action: str
    label: str
    changes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The outcome of an import or its dry run: counts, row details, and every problem."""

    kind: str
    filename: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    rows: list[RowResult] = field(default_factory=list)
    skipped: int = 0
    written: bool = False
    notes: list[str] = field(default_factory=list)
    # The run did not finish (worker lost, time limit, queue down): nothing written, it may be run again.
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    def add_row(self, result: RowResult) -> None:
        self.counts[result.action] += 1
        if len(self.rows) < DETAIL_LIMIT and (result.action != UNCHANGED or len(self.rows) < 200):
            self.rows.append(result)

    def summary(self) -> str:
        counts = "，".join(
            f"{ACTION_LABELS[a]} {self.counts.get(a, 0)} 行" for a in (NEW, CHANGED, UNCHANGED)
        )
        head = f"{self.filename}：共 {self.total_rows} 行数据（{counts}），跳过空行/合计行 {self.skipped} 行"
        if self.problems:
            return f"{head}；发现 {len(self.problems)} 个错误，未写入任何数据。"
        if self.dry_run:
            return f"{head}；预检通过（未写入）。"
        return f"{head}；已导入。" if self.written else f"{head}；没有需要写入的变化。"

    def lines(self) -> list[str]:
        lines = [self.summary(), *self.notes]
        lines += [f"  错误：{problem}" for problem in self.problems]
        return lines

    def to_dict(self) -> dict:
        data = asdict(self)
        data["counts"] = dict(self.counts)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        data = dict(data)
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        data["rows"] = [RowResult(**r) for r in data.get("rows", [])]
        data["counts"] = Counter(data.get("counts", {}))
        return cls(**data)


def show(value) -> str:
    """A value as the preview prints it."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


class Abort(Exception):
    """Stops an import whose problems are already recorded; nothing is written."""


@dataclass
class Row:
    """A data row typed by its columns; `values` holds only the columns the sheet has and the cell filled."""

    sheet: str
    number: int
    values: dict
    invalid: set = field(default_factory=set)  # columns whose cell was filled but could not be read

    def get(self, name, default=None):
        return self.values.get(name, default)

    def missing(self, name) -> bool:
        """Not filled at all (a filled but unreadable cell is already reported)."""
        return name not in self.values and name not in self.invalid


def change_reason(filename: str) -> str:
    """history_change_reason (at most 100 characters): which file an imported change came from."""
    name = Path(filename or "").name
    return f"台账导入：{name}"[:100]


class LedgerImporter:
    """Base of the three importers. Subclasses define `kind`, `columns`, `anchors`, `resolve` and `write`."""

    kind = ""
    label = ""
    columns: list[Column] = []
    anchors: set[str] = set()
    # Whether a dry run also performs the writes (then rolls them back): for kinds written through other
    # apps' services, whose rules (and their errors) only show when the service runs.
    rehearse_writes = False
    # Whether the rehearsal also runs when reading found problems (the rows it can write still meet the
    # services' rules, so the report lists those errors too).
    rehearse_with_problems = False

    def __init__(
        self,
        *,
        region: Region | None = None,
        year: int | None = None,
        actor=None,
        filename: str = "",
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.region, self.year, self.actor = region, year, actor
        self.filename = filename or "台账.xlsx"
        self.reason = change_reason(self.filename)
        self.progress = progress or (lambda stage, done, total: None)
        self.report = Report(kind=self.kind, filename=Path(self.filename).name, dry_run=True)
        self.tables: list[Table] = []

    # -- problems -------------------------------------------------------------------------------------------
    def problem(self, message: str, row: Row | None = None, column: str | None = None, *, sheet: str = ""):
        """Record a problem at a row and (by column key) the cell it came from."""
        where = Problem(message, sheet=sheet or (row.sheet if row else ""), row=row.number if row else None)
        if row is not None and column:
            row.invalid.add(column)
        table = self._table_of.get(where.sheet) if hasattr(self, "_table_of") else None
        if column and table and column in table.mapped:
            mapped = table.mapped[column]
            where.column, where.header = mapped.letter, mapped.header
        elif column:
            where.header = self.column_label(column)
        self.report.problems.append(where)

    def change(self, name: str, old, new) -> str:
        """A line of the preview: "年度目标：90000 → 95000"."""
        return f"{self.column_label(name)}：{show(old)} → {show(new)}"

    def column_label(self, key: str) -> str:
        return next((c.label for c in self.columns if c.key == key), key)

    # -- the run --------------------------------------------------------------------------------------------
    def run(self, fileobj, *, dry_run: bool = True, size: int | None = None) -> Report:
        """Check, read, resolve and (unless a dry run or any problem) write, all or nothing."""
        self.report.dry_run = dry_run
        try:
            safety.check_workbook(fileobj, size=size)
            rows = self.read(fileobj)
            self.scope()
            self.resolve(rows)
            if self.report.problems and not (self.rehearse_writes and self.rehearse_with_problems):
                return self.report
            if dry_run and not self.rehearse_writes:
                return self.report
            self.progress("write", 0, 1)
            with transaction.atomic():
                self.write()
                if self.report.problems or dry_run:  # a rule found while writing, or a rehearsal: undo all
                    transaction.set_rollback(True)
                    return self.report
            self.report.written = bool(self.report.counts.get(NEW) or self.report.counts.get(CHANGED))
        except DomainError as error:
            self.report.problems.append(Problem(error.message))
        except (IntegrityError, DatabaseError) as error:
            self.report.problems.append(Problem(f"写入数据库时出错，已全部撤销：{error}"))
        except Abort:
            pass
        return self.report

    def read(self, fileobj) -> list[Row]:
        try:
            workbook = reader.open_workbook(fileobj)
        except (DefusedXmlException, xlsx.UnsafeXml):
            raise DomainError(UNSAFE_XML, code=LedgersErrorCode.UNSAFE_XML) from None
        except Exception as error:  # openpyxl raises many types for corrupt files; all mean "cannot read"
            if isinstance(error.__context__, DefusedXmlException):
                raise DomainError(UNSAFE_XML, code=LedgersErrorCode.UNSAFE_XML) from None
            raise DomainError(f"无法读取该Excel文件：{type(error).__name__}") from None
        rows: list[Row] = []
        self._table_of: dict[str, Table] = {}
        try:
            for worksheet in reader.data_sheets(workbook):
                rows.extend(self.read_sheet(worksheet))
        except DomainError:
            raise
        except (DefusedXmlException, xlsx.UnsafeXml):
            raise DomainError(UNSAFE_XML, code=LedgersErrorCode.UNSAFE_XML) from None
        except (
            ValueError,
            KeyError,
            TypeError,
            OSError,
            IndexError,
            expat.ExpatError,
            zipfile.BadZipFile,
        ) as error:
            raise DomainError(f"读取Excel文件时出错：{error}") from None
        finally:
            workbook.close()
        if not self.tables:
            names = "、".join(sorted(next(iter(c.names())) for c in self.columns if c.key in self.anchors))
            raise DomainError(
                f"没有找到{self.label}的表头：前{reader.HEADER_SCAN_ROWS}行中应有“{names}”等列。"
                f"请使用{self.label}模板，或检查所选的台账类型。",
                code=LedgersErrorCode.NO_HEADER,
            )
        return rows

    def read_sheet(self, worksheet) -> list[Row]:
        title = worksheet.title
        stream = reader.iter_rows(worksheet)
        preview = []
        for number, values in stream:
            preview.append((number, values))
            if len(preview) >= reader.HEADER_SCAN_ROWS:
                break
        table = reader.find_header(title, preview, self.columns, self.anchors)
        if table is None:
            if any(any(not cells.is_empty(v) for v in values) for _, values in preview):
                self.report.notes.append(f"工作表“{title}”中没有找到{self.label}表头，已跳过。")
            return []
        self.tables.append(table)
        self._table_of[title] = table
        self.check_header(table)
        if self.year is None:
            self.year = self.year_from_titles(preview, table)
        rows = []
        numbered = [(number, values) for number, values in preview if number >= table.first_data_row]
        for number, values in itertools.chain(numbered, stream):
            row = self.type_row(table, number, values)
            if row is not None:
                rows.append(row)
                if len(rows) % PROGRESS_EVERY == 0:
                    self.progress("read", len(rows), 0)
        return rows

    def check_header(self, table: Table) -> None:
        for label, header in table.duplicates:
            self.problem(f"“{header}”与另一列同为“{label}”，请删除重复的列", sheet=table.sheet)
        for column in self.columns:
            if column.required and column.key not in table.mapped:
                self.report.problems.append(
                    Problem(
                        f"缺少必填列“{column.label}”",
                        sheet=table.sheet,
                        row=table.header_rows[-1],
                        header=column.label,
                    )
                )

    def year_from_titles(self, preview, table: Table) -> int | None:
        for number, values in preview:
            if number >= table.header_rows[0]:
                break
            for value in values:
                match = YEAR_IN_TITLE.search(cells.text(value)) if isinstance(value, str) else None
                if match:
                    return int(match.group(1))
        return None

    def type_row(self, table: Table, number: int, values: tuple) -> Row | None:
        filled = 0
        texts: list[str] = []  # the first few texts tell a total, example or heading row
        for value in values:
            if not cells.is_empty(value):
                filled += 1
                if isinstance(value, str) and len(texts) < 3:
                    texts.append(cells.key(value))
        if not filled:
            self.report.skipped += 1
            return None
        if any(SUBTOTAL.match(t) for t in texts) or (texts and texts[0] in EXAMPLE):
            self.report.skipped += 1
            return None
        if filled == 1 and texts and SECTION.match(texts[0]):
            self.report.skipped += 1  # a section heading such as "一、就业创业"
            return None
        row = Row(table.sheet, number, {})
        for key, mapped in table.mapped.items():
            raw = values[mapped.index] if mapped.index < len(values) else None
            if cells.is_empty(raw):
                continue
            try:
                row.values[key] = self.convert(mapped, raw)
            except cells.CellError as error:
                self.problem(str(error), row, key)
        return row

    def convert(self, mapped: Mapped, raw):
        kind = mapped.column.type
        if kind == "money":
            return cells.money(raw, mapped.unit)
        if kind == "figure":
            return cells.decimal(raw)
        if kind == "int":
            return cells.integer(raw)
        if kind == "date":
            return cells.date(raw, default_year=self.year)
        if kind == "month":
            return cells.month(raw)
        if kind == "code":
            return cells.code(raw)
        if kind == "names":
            return cells.names(raw)
        if kind == "rate":
            return cells.rate(raw)
        return cells.text(raw)

    # -- scope ----------------------------------------------------------------------------------------------
    def scope(self) -> None:
        """The region and year the ledger belongs to, and whether the actor may write there."""
        if self.region is None and self.actor is not None and getattr(self.actor, "unit_id", None):
            self.region = self.actor.unit.region
        if self.region is None:
            raise DomainError(
                "请指定台账所属区划（--region 区划代码）。", code=CommonErrorCode.REGION_REQUIRED
            )
        if self.year is None:
            raise DomainError("无法确定台账年度：请指定年度（--year），或在表头上方的标题中写明“20XX年”。")
        if self.actor is not None:
            access.require(
                "manage",
                self.actor,
                self.region,
                message="只有民生办工作人员可以导入台账。",
                outside=f"您无权导入{self.region.name}的台账。",
            )

    @property
    def place(self) -> Region:
        """The ledger's region, once `scope()` has settled it."""
        if self.region is None:
            raise RuntimeError("scope() settles the region first")
        return self.region

    @property
    def ledger_year(self) -> int:
        """The ledger's year, once `scope()` has settled it."""
        if self.year is None:
            raise RuntimeError("scope() settles the year first")
        return self.year

    @overload
    def plan(self, *, create: Literal[True]) -> Plan: ...
    @overload
    def plan(self, *, create: Literal[False]) -> Plan | None: ...
    def plan(self, *, create: bool) -> Plan | None:
        region, year = self.place, self.ledger_year
        plan = Plan.objects.filter(region=region, year=year).first()
        if plan is None and create:
            plan = Plan(region=region, year=year, name=f"{year}年{region.name}民生实事")
        return plan

    def units(self) -> "UnitIndex":
        return UnitIndex(self.place)

    # -- to be defined by each kind -------------------------------------------------------------------------
    def resolve(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError


class UnitIndex:
    """Units a ledger may name: the region's line (above and below), by credit code, name or short name."""

    def __init__(self, region: Region):
        ancestors = [code for code in region.path.split("/") if code]
        units = Unit.objects.filter(region__code__in=ancestors) | Unit.objects.filter(
            region__path__startswith=region.path
        )
        self.by_key: dict[str, list[Unit]] = {}
        for unit in units.select_related("region").distinct():
            for name in {unit.credit_code or "", unit.name, unit.short_name}:
                if name:
                    self.by_key.setdefault(cells.key(name), []).append(unit)
        self.region = region

    def find(self, name: str) -> tuple[Unit | None, str | None]:
        found = self.by_key.get(cells.key(name), [])
        if len(found) > 1:
            # The same name in two regions: the ledger's own region wins, else it is ambiguous.
            own = [unit for unit in found if unit.region_id == self.region.pk]
            if len(own) == 1:
                return own[0], None
            return None, f"单位“{name}”有多个同名单位，请填写统一社会信用代码"
        if not found:
            return None, f"找不到单位“{name}”（应为本区划或上下级区划已登记的单位）"
        return found[0], None


def stamp_reason(models, since, reason: str, user) -> None:
    """Mark the history rows that other apps' services wrote during this import with the file's name
    (those services save without a change reason)."""
    for model in models:
        model.history.filter(
            history_date__gte=since,
            history_user_id=getattr(user, "pk", None),
            history_change_reason__isnull=True,
        ).update(history_change_reason=reason)
