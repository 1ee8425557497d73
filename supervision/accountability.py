"""The accountability record (问责) per unit and year, in SQL: one query for a whole list of units.

For year Y and each unit:
- orders: 督办单 issued to the unit in Y;
- missed_stages: stages of those orders answered after their deadline, or still unanswered past it;
- reports_overdue: (project, month) reports of Y's plans that the daily scan found overdue, past the plan's
  due date (open or since filed late: the alert stays as the record; causes.overdue_report_alerts);
- returned_reports: reports of Y's plans led by the unit that were ever returned (from the report history);
- problems_found / open_problems / overdue_rectifications: problems found in Y, those not yet closed,
  and those past their rectification deadline.
"""

import datetime

from django.db.models import Count, Expression, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from projects.choices import ReportStatus
from projects.models import ProgressReport

from .causes import overdue_report_alerts
from .choices import OPEN_PROBLEM_STATUSES
from .models import STAGE_FIELDS, Alert, Problem, SupervisionOrder

FIGURES = [
    "orders",
    "missed_stages",
    "reports_overdue",
    "returned_reports",
    "problems_found",
    "open_problems",
    "overdue_rectifications",
]


def _per_unit(qs, unit_field: str, aggregate):
    grouped = qs.filter(**{unit_field: OuterRef("pk")}).order_by().values(unit_field).annotate(n=aggregate)
    return Coalesce(Subquery(grouped.values("n")[:1]), Value(0), output_field=IntegerField())


def with_accountability(units, year: int, now: datetime.datetime | None = None):
    """Annotate each unit with the figures above for `year`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    orders = SupervisionOrder.objects.filter(year=year)
    missed: Expression = Value(0, output_field=IntegerField())
    for due, done in STAGE_FIELDS.values():
        late = Q(**{f"{done}__gt": F(due)}) | Q(**{f"{done}__isnull": True, f"{due}__lt": now})
        missed = missed + Count("pk", filter=late)
    history = ProgressReport.history.model.objects.filter(
        status=ReportStatus.RETURNED, project__plan__year=year
    )
    problems = Problem.objects.filter(found_on__year=year)
    open_problems = problems.filter(status__in=OPEN_PROBLEM_STATUSES)
    return units.annotate(
        orders=_per_unit(orders, "unit", Count("pk")),
        missed_stages=_per_unit(orders, "unit", missed),
        reports_overdue=_per_unit(
            overdue_report_alerts(Alert.objects.filter(project__plan__year=year)),
            "unit",
            Count("cause_key", distinct=True),
        ),
        returned_reports=_per_unit(history, "project__lead_unit", Count("id", distinct=True)),
        problems_found=_per_unit(problems, "unit", Count("pk")),
        open_problems=_per_unit(open_problems, "unit", Count("pk")),
        overdue_rectifications=_per_unit(
            open_problems.filter(rectification__deadline__lt=today), "unit", Count("pk")
        ),
    )
