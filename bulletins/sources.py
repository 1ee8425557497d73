"""Figures a bulletin takes from other apps: money from funding/ (spending and its growth, funding gaps).

Kept apart from the generator so the generator does not depend on how funding/ computes its summaries:
`funding_figures()` returns plain values, or None while funding has nothing for the period.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class FundingGap:
    """A project whose funds arrived fall short of its plan."""

    project_id: int
    planned: Decimal
    arrived: Decimal

    @property
    def gap(self) -> Decimal:
        return self.planned - self.arrived


@dataclass
class FundingFigures:
    spent: Decimal | None = None
    spent_growth: Decimal | None = None  # against the same period of last year (同比), as a fraction
    gaps: list[FundingGap] = field(default_factory=list)


def funding_figures(region, year: int, month: int, project_ids: list[int]) -> FundingFigures | None:
    """The funding summary of a region's projects for 1-`month` of `year`, or None if funding has none."""
    try:
        from funding import summaries
    except ImportError:
        return None
    return summaries.bulletin_figures(region, year, month, project_ids)  # pragma: no cover
