"""Which month is being filed, and when it is due: the report of month m is due on day N of month m+1
(N from the plan's FilingWindow, else settings.MINSHENG_FILING_DUE_DAY, default 5)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import FilingWindow, default_due_day, default_remind_after, default_remind_before


@dataclass(frozen=True)
class Window:
    due_day: int
    remind_before_days: int
    remind_after_days: int


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


def window_for(plan_id: int) -> Window:
    return windows([plan_id])[plan_id]


def current_period(on: datetime.date | None = None) -> tuple[int, int]:
    """(year, month) being filed on a day: the month before (January files December of last year)."""
    on = on or timezone.localdate()
    first = on.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def due_date(year: int, month: int, window: Window) -> datetime.date:
    """The day the report of (year, month) is due: day N of the next month."""
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return next_month.replace(day=window.due_day)


def parse_period(text: str | None) -> tuple[int, int] | None:
    """ "2026-05" → (2026, 5); anything else → None."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
    except ValueError:
        return None
    if 2000 <= year <= 2100 and 1 <= month <= 12:
        return year, month
    return None


def chosen_period(params, on: datetime.date | None = None) -> tuple[int, int]:
    """The (year, month) a page was asked for by its year and month picker (GET `year` and `month`, or
    the older `period=2026-05`); current_period() when nothing valid is asked, and never a month still
    to come."""
    on = on or timezone.localdate()
    latest = current_period(on)
    try:
        asked = (int(params.get("year", "")), int(params.get("month", "")))
    except ValueError:
        asked = parse_period(params.get("period")) or latest
    if not (2000 <= asked[0] <= 2100 and 1 <= asked[1] <= 12):
        asked = latest
    return asked if asked <= (on.year, on.month) else latest


def picker_years(year: int, on: datetime.date | None = None) -> list[int]:
    """The years a period picker offers: the last five up to this year, and the one shown."""
    on = on or timezone.localdate()
    return sorted({*range(on.year - 4, on.year + 1), year}, reverse=True)
