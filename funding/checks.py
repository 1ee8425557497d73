"""The warnings a 民生办 relies on, each a function of the user (visibility) returning rows to report.

- `over_plan`: arrived above the planned amount of a source level (到位超计划).
- `retained_funds`: money arrived and not passed on for more than N days (滞留); b2's supervision scan
  calls it. N is settings.MINSHENG_FUNDING_RETENTION_DAYS.
- `matching_overdue`: matching funds (配套资金) not in by their deadline.
- `investment_gaps`: investment completed in progress reports far from the money spent (share in
  settings.MINSHENG_FUNDING_INVESTMENT_GAP).
- `reconcile`: running totals that disagree with the entries (should never happen; for auditors).

The chain spent <= disbursed <= arrived itself is enforced (services and database), not reported.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from projects.choices import COUNTED_REPORT_STATUSES
from projects.models import ProgressReport, Project

from .choices import EntryKind
from .models import Entry, FundingSource, MatchingObligation
from .summaries import ZERO


def over_plan(user, *, year: int | None = None):
    """Source rows whose arrivals exceed the plan, with `excess` (arrived - planned), largest first."""
    rows = FundingSource.objects.restrict(user).filter(arrived__gt=F("planned"))
    if year is not None:
        rows = rows.filter(project__plan__year=year)
    return (
        rows.annotate(excess=F("arrived") - F("planned"))
        .select_related("project__plan__region", "project__lead_unit")
        .order_by("-excess", "project_id", "level")
    )


@dataclass(frozen=True)
class Retention:
    """Money of a project that arrived more than `days` ago and was not passed on (滞留)."""

    project: Project
    amount: Decimal  # arrived by the cut-off day and not disbursed by `as_of`
    since: datetime.date  # the oldest arrival not yet fully passed on
    days: int  # days from `since` to `as_of`

    @property
    def message(self) -> str:
        from minsheng.formatting import money

        return f"{self.project}：{money(self.amount)}资金到位{self.days}天未拨付（自{self.since:%Y-%m-%d}起）"


def retained_funds(
    user, *, as_of: datetime.date | None = None, days: int | None = None, year: int | None = None
) -> list[Retention]:
    """Per project, money arrived at least `days` days before `as_of` and not disbursed by `as_of`, oldest
    money first (disbursements pass on the earliest arrivals first). One query.

    `as_of` defaults to today, `days` to settings.MINSHENG_FUNDING_RETENTION_DAYS (30). Sorted by amount,
    largest first.
    """
    as_of = as_of or timezone.localdate()
    days = settings.MINSHENG_FUNDING_RETENTION_DAYS if days is None else days
    cutoff = as_of - datetime.timedelta(days=days)
    disbursed = (
        Entry.objects.active()
        .filter(project=OuterRef("project"), kind=EntryKind.DISBURSEMENT, date__lte=as_of)
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    arrivals = Entry.objects.active().restrict(user).filter(kind=EntryKind.ARRIVAL, date__lte=cutoff)
    if year is not None:
        arrivals = arrivals.filter(project__plan__year=year)
    rows = (
        arrivals.annotate(
            running=Window(
                Sum("amount"), partition_by=[F("project_id")], order_by=[F("date").asc(), F("pk").asc()]
            ),
            passed_on=Coalesce(Subquery(disbursed), ZERO),
        )
        .filter(running__gt=F("passed_on"))
        .select_related("project__plan__region", "project__lead_unit")
        .order_by("project_id", "date", "pk")
    )
    found: dict[int, Retention] = {}
    for row in rows:
        first = found.get(row.project_id)
        since = first.since if first else row.date
        found[row.project_id] = Retention(
            project=row.project, amount=row.running - row.passed_on, since=since, days=(as_of - since).days
        )
    return sorted(found.values(), key=lambda r: (-r.amount, r.project.pk))


def matching_overdue(user, *, as_of: datetime.date | None = None, year: int | None = None):
    """Matching-fund duties whose deadline passed before `as_of` (default today) with less arrived by the
    deadline than required. Annotated: arrived_by_due, arrived_to_date, shortfall (at the deadline)."""
    as_of = as_of or timezone.localdate()
    duties = MatchingObligation.objects.restrict(user).filter(due_date__lt=as_of)
    if year is not None:
        duties = duties.filter(project__plan__year=year)
    return (
        duties.with_arrived(as_of)
        .filter(arrived_by_due__lt=F("amount"))
        .select_related("project__plan__region", "project__lead_unit")
        .order_by("due_date", "project_id", "level")
    )


@dataclass(frozen=True)
class InvestmentGap:
    """A project whose reported investment completed is far from the money spent by the same month."""

    project: Project
    month: int
    reported: Decimal
    spent: Decimal

    @property
    def gap(self) -> Decimal:
        """|reported - spent| relative to the larger of the two."""
        return abs(self.reported - self.spent) / max(self.reported, self.spent)


def investment_gaps(
    user, *, year: int | None = None, threshold: Decimal | None = None
) -> list[InvestmentGap]:
    """Projects whose latest counted progress report states an investment completed that differs from the
    money spent up to the end of that month by more than `threshold` (share of the larger figure; default
    settings.MINSHENG_FUNDING_INVESTMENT_GAP). Only projects with both a reported figure and funding
    records (a plan or entries) are judged. One query."""
    threshold = settings.MINSHENG_FUNDING_INVESTMENT_GAP if threshold is None else Decimal(threshold)
    latest = ProgressReport.objects.filter(
        project=OuterRef("pk"), status__in=COUNTED_REPORT_STATUSES, investment_completed__isnull=False
    ).order_by("-month")
    spent = (
        Entry.objects.active()
        .filter(project=OuterRef("pk"), kind=EntryKind.SPENDING, date__month__lte=OuterRef("report_month"))
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    projects = Project.objects.restrict(user).filter(Q(funding_sources__isnull=False)).distinct()
    if year is not None:
        projects = projects.filter(plan__year=year)
    projects = (
        projects.annotate(
            report_month=Subquery(latest.values("month")[:1]),
            reported=Subquery(latest.values("investment_completed")[:1]),
        )
        .filter(report_month__isnull=False)
        .annotate(spent_to_month=Coalesce(Subquery(spent), ZERO))
        .select_related("plan__region", "lead_unit")
        .order_by("pk")
    )
    found = []
    for project in projects:
        gap = InvestmentGap(project, project.report_month, project.reported, project.spent_to_month)
        if max(gap.reported, gap.spent) > 0 and gap.gap > threshold:
            found.append(gap)
    return sorted(found, key=lambda g: (-g.gap, g.project.pk))


def reconcile(user) -> list[dict]:
    """Source rows whose running totals differ from the sum of their active entries (expected: none)."""

    def total(kind):
        entries = (
            Entry.objects.active()
            .filter(project=OuterRef("project"), level=OuterRef("level"), kind=kind)
            .values("project")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return Coalesce(Subquery(entries), ZERO)

    rows = FundingSource.objects.restrict(user).annotate(
        entry_arrived=total(EntryKind.ARRIVAL),
        entry_disbursed=total(EntryKind.DISBURSEMENT),
        entry_spent=total(EntryKind.SPENDING),
    )
    mismatched = rows.filter(
        ~Q(arrived=F("entry_arrived")) | ~Q(disbursed=F("entry_disbursed")) | ~Q(spent=F("entry_spent"))
    )
    return list(
        mismatched.values(
            "project_id",
            "level",
            "arrived",
            "entry_arrived",
            "disbursed",
            "entry_disbursed",
            "spent",
            "entry_spent",
        )
    )
