"""A plan's filing window (its due day and reminder days) and the period a filing page was asked for.

The periods themselves and every due date come from projects.periods: the report of month m is due on day N
of month m+1, N from the plan's FilingWindow, else settings.SUPERVISION_REPORT_DUE_DAY (default 5)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from projects.periods import Period, default_due_day

from .models import FilingWindow, default_remind_after, default_remind_before


@dataclass(frozen=True)
class Window:
    due_day: int
    remind_before_days: int
    remind_after_days: int

    def due_date(self, period: Period) -> datetime.date:
        """The day the report of `period` is due in this window."""
        return period.due_date(self.due_day)


def default_window() -> Window:
    return Window(default_due_day(), default_remind_before(), default_remind_after())


def windows(plan_ids) -> dict[int, Window]:
    """Each plan's window (the default where a plan has none), in one query."""
    found = {
        w.plan_id: Window(w.due_day, w.remind_before_days, w.remind_after_days)
        for w in FilingWindow.objects.filter(plan_id__in=list(plan_ids))
    }
    default = default_window()
    return {plan_id: found.get(plan_id, default) for plan_id in plan_ids}


def chosen_period(params, on: datetime.date | None = None) -> Period:
    """The period a page was asked for by its year and month picker (GET `year` and `month`, or the older
    `period=2026-05`); the month being filed when nothing valid is asked, and never a month still to come."""
    on = on or timezone.localdate()
    latest = Period.filed_on(on)
    try:
        asked = (int(params.get("year", "")), int(params.get("month", "")))
    except ValueError:
        parsed = Period.parse(params.get("period")) or latest
        asked = (parsed.year, parsed.month)
    if not (2000 <= asked[0] <= 2100 and 1 <= asked[1] <= 12):
        return latest
    period = Period(*asked)
    return period if period <= Period.of(on) else latest


def picker_years(year: int, on: datetime.date | None = None) -> list[int]:
    """The years a period picker offers: the last five up to this year, and the one shown."""
    on = on or timezone.localdate()
    return sorted({*range(on.year - 4, on.year + 1), year}, reverse=True)
