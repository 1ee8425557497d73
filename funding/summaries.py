"""Money summaries computed in SQL: planned, arrived, disbursed, spent and their rates per project, unit,
region (with its sub-regions), source level, category and month, with 同比 against the same month last year.

Every function takes the user and sees only what `restrict(user)` lets them see. Each runs a fixed number
of queries whatever the number of projects or entries: the year's totals come from the running totals on
`FundingSource` (one GROUP BY); figures "as of" a date or month come from the entries (one more GROUP BY).
Money is Decimal yuan; `with_text(row)` adds the figures as bulletins print them (亿元/万元, percent).

Rates: arrival rate = arrived / planned; disbursement rate = disbursed / arrived; execution rate = spent /
arrived (DOMAIN.md). A rate with a zero denominator is None ("—").
"""

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Substr

from minsheng.errors import DomainError
from minsheng.formatting import money, percent
from org.models import Region, Unit
from projects.choices import Category
from projects.periods import Period, cumulative_label

from .choices import EntryKind, SourceLevel
from .errors import FundingErrorCode
from .models import Entry, FundingSource

FIGURES = ("planned", "arrived", "disbursed", "spent")
FLOWS = ("arrived", "disbursed", "spent")
FLOW_KIND = {"arrived": EntryKind.ARRIVAL, "disbursed": EntryKind.DISBURSEMENT, "spent": EntryKind.SPENDING}
DIMENSIONS = ("project", "unit", "region", "level", "category", "month")
PATH_STEP = 7  # "371300/": a 6-digit code and a slash per level of the region tree
ZERO = Decimal("0")


def rate(numerator, denominator) -> Decimal | None:
    """numerator / denominator as a Decimal fraction, None when there is nothing to divide by."""
    if not denominator:
        return None
    return Decimal(numerator or 0) / Decimal(denominator)


def with_rates(row: dict) -> dict:
    """Add arrival, disbursement and execution rates to a row holding planned/arrived/disbursed/spent."""
    row["arrival_rate"] = rate(row["arrived"], row["planned"])
    row["disbursement_rate"] = rate(row["disbursed"], row["arrived"])
    row["execution_rate"] = rate(row["spent"], row["arrived"])
    return row


def with_text(row: dict, unit: str = "auto") -> dict:
    """Add `<figure>_text` (亿元/万元 as bulletins print them) and `<rate>_text` (percent) to a row."""
    for name in FIGURES:
        if name in row:
            row[f"{name}_text"] = money(row[name], unit)
    for name in ("arrival_rate", "disbursement_rate", "execution_rate"):
        if name in row:
            row[f"{name}_text"] = percent(row[name])
    return row


def _region(value) -> Region | None:
    if value is None or isinstance(value, Region):
        return value
    region = Region.objects.filter(code=str(value)).first()
    if region is None:
        raise DomainError(f"未知的行政区划“{value}”。", code=FundingErrorCode.UNKNOWN_REGION, field="region")
    return region


def _filter(queryset, *, year=None, region=None, level=None, category=None, unit=None):
    """Filters shared by sources and entries (both have `project` and `level`)."""
    if year is not None:
        queryset = queryset.filter(project__plan__year=year)
    if region is not None:
        queryset = queryset.filter(project__plan__region__path__startswith=region.path)
    if level:
        if level not in SourceLevel.values:
            raise DomainError(
                f"未知的资金来源层级“{level}”。", code=FundingErrorCode.UNKNOWN_LEVEL, field="level"
            )
        queryset = queryset.filter(level=level)
    if category:
        queryset = queryset.filter(project__category=category)
    if unit is not None:
        queryset = queryset.filter(project__lead_unit=unit)
    return queryset


def _entry_sums() -> dict:
    return {name: Coalesce(Sum("amount", filter=Q(kind=kind)), ZERO) for name, kind in FLOW_KIND.items()}


def _group_key(by: str, parent: Region | None):
    """The SQL expression rows are grouped by, for sources and entries alike."""
    if by == "project":
        return F("project_id")
    if by == "unit":
        return F("project__lead_unit_id")
    if by == "level":
        return F("level")
    if by == "category":
        return F("project__category")
    if by == "region":
        path = F("project__plan__region__path")
        if parent is None:
            return Substr(path, 1, PATH_STEP, output_field=CharField())
        return Case(
            When(project__plan__region__path=parent.path, then=Value(parent.path)),
            default=Substr(path, 1, len(parent.path) + PATH_STEP),
            output_field=CharField(),
        )
    raise DomainError(f"不支持的汇总维度“{by}”。", code=FundingErrorCode.UNKNOWN_DIMENSION, field="by")


def _labels(by: str, keys, parent: Region | None) -> dict:
    """Display names for group keys (one query for projects, units and regions)."""
    if by == "level":
        return dict(SourceLevel.choices)
    if by == "category":
        return dict(Category.choices)
    if by == "unit":
        return {u.pk: str(u) for u in Unit.objects.filter(pk__in=keys)}
    if by == "project":
        from projects.models import Project

        return {p.pk: str(p) for p in Project.objects.filter(pk__in=keys).only("code", "title")}
    labels = {r.path: r.name for r in Region.objects.filter(path__in=keys).only("path", "name")}
    if parent is not None and parent.path in labels:
        labels[parent.path] = f"{parent.name}本级"
    return labels


def _region_codes(key: str) -> str:
    return key.rstrip("/").rsplit("/", 1)[-1]


def summarize(
    user,
    by: str,
    *,
    year: int | None = None,
    region=None,
    level: str | None = None,
    category: str | None = None,
    unit=None,
    month: int | None = None,
    as_of: datetime.date | None = None,
) -> list[dict]:
    """Planned, arrived, disbursed, spent and the three rates per group, largest planned first.

    `by`: "project", "unit" (lead unit), "region", "level", "category" or "month" (see `monthly`).
    For "region", rows are the sub-regions one level below `region` (each with everything beneath it) plus
    "<region>本级" for the region's own projects; without `region`, the top-level regions the user can see.
    `month` (with `year`) or `as_of` count entries dated up to that day instead of the running totals.
    Queries: 2 (plus 1 when `as_of`/`month` is given, plus 1 to look up `region` given as a code).
    Each row: key, label, planned, arrived, disbursed, spent, arrival_rate, disbursement_rate,
    execution_rate (and `code` for regions).
    """
    if by == "month":
        if year is None:
            raise DomainError("按月汇总须指定年度。", code=FundingErrorCode.YEAR_REQUIRED, field="year")
        return monthly(user, year=year, region=region, level=level, category=category, unit=unit)
    if month is not None:
        if year is None or not 1 <= int(month) <= 12:
            raise DomainError("按月统计须指定年度，月份应在1到12之间。", code="invalid_month", field="month")
        as_of = Period(int(year), int(month)).last_day
    parent = _region(region)
    filters = {"year": year, "region": parent, "level": level, "category": category, "unit": unit}
    key = _group_key(by, parent)
    sources = _filter(FundingSource.objects.restrict(user), **filters).annotate(key=key).values("key")
    if as_of is None:
        rows = {r["key"]: r for r in sources.annotate(**{name: Sum(name) for name in FIGURES}).order_by()}
    else:
        rows = {
            r["key"]: {**r, **dict.fromkeys(FLOWS, ZERO)}
            for r in sources.annotate(planned=Sum("planned")).order_by()
        }
        entries = (
            _filter(Entry.objects.active().restrict(user), **filters)
            .filter(date__lte=as_of)
            .annotate(key=key)
            .values("key")
            .annotate(**_entry_sums())
            .order_by()
        )
        for row in entries:
            rows.setdefault(row["key"], {"key": row["key"], "planned": ZERO}).update(row)
    labels = _labels(by, list(rows), parent)
    result = []
    for row in rows.values():
        row["label"] = labels.get(row["key"], row["key"])
        if by == "region":
            row["code"] = _region_codes(row["key"])
        result.append(with_rates(row))
    result.sort(key=lambda r: (-r["planned"], str(r["label"])))
    return result


def totals(user, *, year: int, as_of: datetime.date | None = None, **filters) -> dict:
    """The year's totals (one row) in yuan, with rates and text as bulletins print them (亿元/万元, %).

    With `as_of` (or `month`), entries up to that day; also then `last_year`: the same figures at the same
    day of the year before, and `yoy_arrived`/`yoy_spent` (同比 growth, None without last year's money).
    """
    month = filters.pop("month", None)
    if month is not None:
        as_of = Period(int(year), int(month)).last_day
    row = _one_row(user, year=year, as_of=as_of, **filters)
    if as_of is not None:
        last = _one_row(user, year=year - 1, as_of=_same_day_last_year(as_of), **filters)
        row["last_year"] = with_text(last)
        row["yoy_arrived"] = _growth(row["arrived"], last["arrived"])
        row["yoy_spent"] = _growth(row["spent"], last["spent"])
    return with_text(row)


def _same_day_last_year(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))


def _growth(now, before) -> Decimal | None:
    return None if not before else Decimal(now) / Decimal(before) - 1


def _one_row(user, *, year, as_of=None, **filters) -> dict:
    parent = _region(filters.pop("region", None))
    filters = {**filters, "year": year, "region": parent}
    sources = _filter(FundingSource.objects.restrict(user), **filters)
    if as_of is None:
        row = sources.aggregate(**{name: Coalesce(Sum(name), ZERO) for name in FIGURES})
    else:
        row = sources.aggregate(planned=Coalesce(Sum("planned"), ZERO))
        entries = _filter(Entry.objects.active().restrict(user), **filters).filter(date__lte=as_of)
        row.update(entries.aggregate(**_entry_sums()))
    row["year"] = year
    row["as_of"] = as_of
    return with_rates(row)


def monthly(user, *, year: int, **filters) -> list[dict]:
    """Twelve rows for the year: money in each month and cumulative 1-m月, with last year's cumulative
    figures at the same month and 同比 growth. Three queries whatever the data.

    Row keys: month, label ("1-9月"), arrived/disbursed/spent (in the month), cum_arrived/cum_disbursed/
    cum_spent, planned (the year's), arrival_rate and execution_rate (cumulative), last_cum_arrived,
    last_cum_spent, yoy_arrived, yoy_spent.
    """
    parent = _region(filters.pop("region", None))
    filters = {**filters, "region": parent}
    planned = _filter(FundingSource.objects.restrict(user), year=year, **filters).aggregate(
        planned=Coalesce(Sum("planned"), ZERO)
    )["planned"]
    entries = (
        _filter(Entry.objects.active().restrict(user), **filters)
        .filter(project__plan__year__in=(year, year - 1))
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m")
        .annotate(**_entry_sums())
        .order_by()
    )
    by_month = {(r["y"], r["m"]): r for r in entries}
    rows = []
    cum = dict.fromkeys(FLOWS, ZERO)
    last = dict.fromkeys(FLOWS, ZERO)
    for m in range(1, 13):
        now = by_month.get((year, m), {})
        before = by_month.get((year - 1, m), {})
        row = {"month": m, "label": cumulative_label(m), "planned": planned}
        for name in FLOWS:
            row[name] = now.get(name, ZERO)
            cum[name] += row[name]
            last[name] += before.get(name, ZERO)
            row[f"cum_{name}"] = cum[name]
            row[f"last_cum_{name}"] = last[name]
        row["arrival_rate"] = rate(cum["arrived"], planned)
        row["execution_rate"] = rate(cum["spent"], cum["arrived"])
        row["yoy_arrived"] = _growth(cum["arrived"], last["arrived"])
        row["yoy_spent"] = _growth(cum["spent"], last["spent"])
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Shortfall:
    """A project whose money arrived lags behind its 序时进度 (资金到位滞后), as a bulletin names it."""

    project_id: int
    planned: Decimal
    arrived: Decimal

    @property
    def gap(self) -> Decimal:
        return self.planned - self.arrived

    @property
    def arrival_rate(self) -> Decimal | None:
        return rate(self.arrived, self.planned)


def falls_short(planned: Decimal, arrived: Decimal, expected: Decimal) -> bool:
    """The funding-gap rule: money arrived below the plan times the share of the year due (序时进度)."""
    return bool(planned) and arrived < planned * expected


@dataclass(frozen=True)
class PeriodFigures:
    """Money of a bulletin's period (1-m月): spent, its 同比 growth, and projects short of funds."""

    spent: Decimal
    spent_growth: Decimal | None
    gaps: list[Shortfall]


def bulletin_figures(region, year: int, month: int, expected: Mapping[int, Decimal]) -> PeriodFigures | None:
    """For bulletins: spending of the projects in `expected` ({project id: 序时进度 as a fraction}) up to the
    end of `month`, its growth against the same period of last year (the region's projects of last year,
    with sub-regions), and the projects whose arrivals fall short of their plan times their 序时进度
    (`falls_short`), largest gap first. None when the projects have no funding records. Three queries; not
    scoped to a user (a bulletin is the office's own document)."""
    project_ids = list(expected)
    as_of = Period(year, month).last_day
    sources = FundingSource.objects.filter(project_id__in=project_ids)
    planned = dict(
        sources.values("project_id").annotate(total=Sum("planned")).values_list("project_id", "total")
    )
    if not planned:
        return None
    flows = {
        r["project_id"]: r
        for r in Entry.objects.active()
        .filter(project_id__in=project_ids, date__lte=as_of)
        .values("project_id")
        .annotate(**_entry_sums())
        .order_by()
    }
    place = _region(region)
    if place is None:
        raise ValueError("a bulletin's figures are those of a region")
    before = (
        Entry.objects.active()
        .filter(
            project__plan__year=year - 1,
            project__plan__region__path__startswith=place.path,
            kind=EntryKind.SPENDING,
            date__lte=_same_day_last_year(as_of),
        )
        .aggregate(total=Sum("amount"))["total"]
    )
    spent = sum((r["spent"] for r in flows.values()), ZERO)
    arrived = {pid: flows.get(pid, {}).get("arrived", ZERO) for pid in planned}
    gaps = [
        Shortfall(pid, total, arrived[pid])
        for pid, total in planned.items()
        if falls_short(total, arrived[pid], expected[pid])
    ]
    gaps.sort(key=lambda g: (-g.gap, g.project_id))
    return PeriodFigures(spent=spent, spent_growth=_growth(spent, before), gaps=gaps)
