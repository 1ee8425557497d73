"""Figures a bulletin takes from funding/: money spent with its growth (同比), and funding gaps.

Kept apart from the generator so the generator depends only on the plain values returned here, not on how
funding/ computes them. `funding_figures()` returns None while funding/ has no summaries module (or no money
for the period), and the bulletin then leaves those figures for staff to enter.

A bulletin is the office's own document for a whole region, so the summaries are read with full visibility
(the system actor, `org.access.SYSTEM`) and narrowed by region here; who may read the bulletin is decided
on the bulletin itself.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from org.access import SYSTEM


@dataclass
class FundingGap:
    """A project whose funds arrived lag behind 序时进度 (arrived < planned × expected share)."""

    project_id: int
    planned: Decimal
    arrived: Decimal

    @property
    def gap(self) -> Decimal:
        return self.planned - self.arrived

    @property
    def arrival_rate(self) -> Decimal | None:
        return self.arrived / self.planned if self.planned else None


@dataclass
class FundingFigures:
    spent: Decimal | None = None
    spent_growth: Decimal | None = None  # against the same period of last year (同比), as a fraction
    gaps: list[FundingGap] = field(default_factory=list)


def funding_figures(region, year: int, month: int, expected: dict[int, Decimal]) -> FundingFigures | None:
    """Spending of `region` (and below) for 1-`month` of `year` with 同比, and the projects among `expected`
    ({project id: 序时进度}) whose arrived funds fall short of their plan times their 序时进度."""
    try:
        from funding import summaries
    except ImportError:
        return None
    if not hasattr(summaries, "totals") or not hasattr(summaries, "summarize"):
        return None
    total = summaries.totals(SYSTEM, year=year, month=month, region=region)
    rows = summaries.summarize(SYSTEM, "project", year=year, region=region, month=month)
    if not total.get("planned") and not total.get("spent"):
        return None
    gaps = [
        FundingGap(row["key"], row["planned"], row["arrived"])
        for row in rows
        if row["key"] in expected
        and row["planned"]
        and row["arrived"] < row["planned"] * expected[row["key"]]
    ]
    return FundingFigures(spent=total.get("spent"), spent_growth=total.get("yoy_spent"), gaps=gaps)
