"""The reporting period (a month of a plan's year) and when its report is due, in one place.

- A Period is (year, month); its figures are cumulative for the year, so its label is "1-5月" ("1月" for
  January), in bulletins and notices "1-5月份".
- The month being filed on a day is the month before it (January files December of last year).
- The as-of month of a plan on a day (up to which its progress is judged): the plan's 统计截至月份 when set;
  else the previous month in the plan's own year, December for past years, none for future years (the SQL
  twin is projects.progress._as_of_month_expression).
- The report of month m is due on day N of month m+1: N from the plan's filing window (filing.FilingWindow,
  reached by the `filing_window` relation, so this module imports nothing from filing), else the setting
  SUPERVISION_REPORT_DUE_DAY (default 5). A report is overdue from the day after its due date.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import DateField, F, Func, IntegerField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

DEFAULT_DUE_DAY = 5


def cumulative_label(month: int, suffix: str = "月") -> str:
    """ "1-5月" for the figures of January to May; "1月" for January alone. `suffix="月份"` gives the
    bulletins' "1-5月份"."""
    return f"1-{month}{suffix}" if month > 1 else f"1{suffix}"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting month of a year; ordered in time."""

    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, not {self.month}")

    @classmethod
    def of(cls, day: datetime.date) -> "Period":
        """The month `day` falls in."""
        return cls(day.year, day.month)

    @classmethod
    def filed_on(cls, on: datetime.date | None = None) -> "Period":
        """The month being filed on a day: the month before it (January files December of last year)."""
        return cls.of(on or timezone.localdate()).previous()

    @classmethod
    def parse(cls, text: str | None) -> "Period | None":
        """ "2026-05" → Period(2026, 5); anything else (or a year outside 2000-2100) → None."""
        try:
            year, month = (int(part) for part in (text or "").split("-"))
        except ValueError:
            return None
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return cls(year, month)
        return None

    @classmethod
    def as_of(cls, plan, on: datetime.date | None = None) -> "Period | None":
        """The month up to which `plan`'s progress is judged on `on` (None: no month of its year yet)."""
        month = as_of_month(plan.year, plan.reporting_month, on)
        return cls(plan.year, month) if month else None

    def previous(self) -> "Period":
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def next(self) -> "Period":
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    @property
    def param(self) -> str:
        """ "2026-05", as the filing pages' `period` parameter and event keys write it."""
        return f"{self.year}-{self.month:02d}"

    @property
    def month_label(self) -> str:
        """ "2026年5月"."""
        return f"{self.year}年{self.month}月"

    @property
    def cumulative_label(self) -> str:
        """ "1-5月" ("1月" for January)."""
        return cumulative_label(self.month)

    @property
    def bulletin_label(self) -> str:
        """ "1-5月份" ("1月份"), as bulletins and their titles write the period."""
        return cumulative_label(self.month, "月份")

    @property
    def full_label(self) -> str:
        """ "2026年1-5月" ("2026年1月")."""
        return f"{self.year}年{self.cumulative_label}"

    def due_date(self, due_day: int) -> datetime.date:
        """The day the report of this month is due, given the day of the next month it is due on."""
        return self.next().first_day.replace(day=due_day)

    def __str__(self):
        return self.full_label


def as_of_month(year: int, reporting_month: int | None = None, on: datetime.date | None = None) -> int:
    """The as-of month of a plan of `year` with `reporting_month` (its 统计截至月份) on `on`; 0 for none."""
    if reporting_month:
        return reporting_month
    on = on or timezone.localdate()
    if year < on.year:
        return 12
    if year == on.year:
        return on.month - 1
    return 0


def default_due_day() -> int:
    """The day of the next month a report is due when the plan has no filing window of its own."""
    return int(getattr(settings, "SUPERVISION_REPORT_DUE_DAY", DEFAULT_DUE_DAY))


def due_day(plan) -> int:
    """The day of the next month `plan`'s monthly reports are due (its filing window's, else the default)."""
    try:
        return plan.filing_window.due_day
    except ObjectDoesNotExist:
        return default_due_day()


def due_date(plan, period: Period) -> datetime.date:
    """The day `plan`'s report of `period` is due."""
    return period.due_date(due_day(plan))


def due_day_expression(plan_path: str = "plan"):
    """SQL for the due day of the plan at `plan_path` (from the queried model): its window's, else the
    default."""
    return Coalesce(
        F(f"{plan_path}__filing_window__due_day"),
        Value(default_due_day()),
        output_field=IntegerField(),
    )


class DueDate(Func):
    """SQL for Period(year, month).due_date(due_day), from three integer expressions (PostgreSQL)."""

    arity = 3
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        year, month, day = (compiler.compile(e) for e in self.get_source_expressions())
        return due_date_sql(year[0], month[0], day[0]), (*year[1], *month[1], *day[1])


def due_date_sql(year_sql: str, month_sql: str, due_day_sql: str) -> str:
    """Period(year, month).due_date(due_day) in SQL over column expressions (for hand-written statements):
    the first of the next month plus the due day less one."""
    return f"(CAST(MAKE_DATE({year_sql}, {month_sql}, 1) + INTERVAL '1 month' AS DATE) + ({due_day_sql} - 1))"
