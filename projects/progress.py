"""The progress computations, in one place and in SQL: completion, 序时进度, lag and the light.

Definitions (see DOMAIN.md):
- as-of month m: the explicit month asked for; else the plan's 统计截至月份; else, by today's date, the
  previous month for the current year, 12 for past years and 0 for future years.
- value of a target at month m: the cumulative value in the latest submitted or accepted report of month <= m
  (drafts and returned reports are not figures of record).
- completion of a target = value / annual target (may exceed 1: "完成全年任务的112%").
- completion of a project = weighted mean over its targets of min(completion, 1), so that one target done
  twice over cannot hide another that is behind; a project without quantified targets (e.g. a fund
  programme) is judged by its investment instead: min(investment completed / planned investment, 1).
- 序时进度 at month m = m/12, or, for projects planned by milestones, the largest planned progress of the
  milestones due by the end of month m.
- lag = completion − 序时进度. Light: red when a milestone is overdue (due before today, not done) or lag <
  −plan.lag_red; yellow when lag < −plan.lag_yellow; green otherwise; none for suspended or withdrawn
  projects and for projects with neither targets nor milestones to judge by.

Every expression here is a correlated subquery or a CASE over joined columns, so a page of projects with
their lights is one query whatever the number of projects, targets and months.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, NullIf
from django.utils import timezone

from minsheng.bases import QuerySetMixinBase

from .choices import COUNTED_REPORT_STATUSES, INACTIVE_STATUSES, Light, ScheduleBasis

RATE = DecimalField(max_digits=20, decimal_places=6)


class AsRate(Cast):
    """Cast to the exact numeric rates are computed in."""

    def __init__(self, expression):
        super().__init__(expression, output_field=RATE)


ZERO = Value(Decimal("0"), output_field=RATE)
ONE = Value(Decimal("1"), output_field=RATE)


def today() -> datetime.date:
    return timezone.localdate()


def default_as_of_month(
    year: int, reporting_month: int | None = None, on: datetime.date | None = None
) -> int:
    """The month up to which progress is judged, by the same rule as `_as_of_month_expression`."""
    if reporting_month:
        return reporting_month
    on = on or today()
    if year < on.year:
        return 12
    if year == on.year:
        return on.month - 1
    return 0


def _as_of_month_expression(p: str, month: int | None, on: datetime.date):
    """SQL for the as-of month; `p` is the path from the queried model to the project ("" or "project__")."""
    if month is not None:
        return Value(month, output_field=IntegerField())
    return Case(
        When(**{f"{p}plan__reporting_month__isnull": False}, then=F(f"{p}plan__reporting_month")),
        When(**{f"{p}plan__year__lt": on.year}, then=Value(12)),
        When(**{f"{p}plan__year": on.year}, then=Value(on.month - 1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _counted_values(target_ref, month_ref, project_ref):
    from .models import ProgressValue

    return (
        ProgressValue.objects.filter(
            target=target_ref,
            # Always true (a value's report and target share the project), but it lets PostgreSQL walk
            # the report's (project, month) unique index backwards and stop at the first counted month.
            report__project=project_ref,
            report__status__in=COUNTED_REPORT_STATUSES,
            report__month__lte=month_ref,
        )
        .order_by("-report__month")
        .values("value")[:1]
    )


def _expected_expression(p: str, project_ref: str):
    """序时进度 as a fraction, for rows already annotated with `as_of_month`."""
    from .models import Milestone

    linear = ExpressionWrapper(AsRate(F("as_of_month")) / Value(Decimal("12"), output_field=RATE), RATE)
    planned = Milestone.objects.filter(project=OuterRef(project_ref), planned_progress__isnull=False)
    due = planned.filter(
        Q(planned_date__year__lt=OuterRef(f"{p}plan__year"))
        | Q(planned_date__year=OuterRef(f"{p}plan__year"), planned_date__month__lte=OuterRef("as_of_month"))
    )
    by_milestones = Coalesce(
        Subquery(due.order_by().values("project").annotate(m=Max("planned_progress")).values("m")[:1]),
        ZERO,
        output_field=RATE,
    )
    return Case(
        When(Q(**{f"{p}schedule_basis": ScheduleBasis.MILESTONES}) & Exists(planned), then=by_milestones),
        default=linear,
        output_field=RATE,
    )


def overdue_milestone_q(on: datetime.date) -> Q:
    """A milestone is overdue when it was due before `on` and is not done."""
    return Q(actual_date__isnull=True, planned_date__lt=on)


def _overdue_expression(project_ref: str, on: datetime.date):
    from .models import Milestone

    return Exists(Milestone.objects.filter(overdue_milestone_q(on), project=OuterRef(project_ref)))


class Bound(Expression):
    """`(SELECT <sql> FROM (SELECT <expression> AS <name>, ...) AS bound)`: each named expression is computed
    once, however often `sql` refers to `bound.<name>`.

    Django inlines an annotation wherever it is referenced, so a CASE over `completion` would run its
    subquery once per WHEN. OFFSET 0 stops PostgreSQL from pulling the derived table up into the CASE,
    which would inline it again.
    """

    def __init__(self, sql: str, params: list, output_field, **expressions):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, list(params)
        self.names, self.expressions = list(expressions), list(expressions.values())

    def get_source_expressions(self):
        return self.expressions

    def set_source_expressions(self, expressions):
        self.expressions = list(expressions)

    def as_sql(self, compiler, connection, fence=""):
        columns, params = [], list(self.params)
        for name, expression in zip(self.names, self.expressions, strict=True):
            sql, expression_params = compiler.compile(expression)
            columns.append(f"{sql} AS {name}")
            params.extend(expression_params)
        return f"(SELECT {self.sql} FROM (SELECT {', '.join(columns)}{fence}) AS bound)", params

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, fence=" OFFSET 0")


def _light_expression(p: str):
    judged = Bound(
        "CASE WHEN bound.completion IS NULL THEN %s"
        " WHEN bound.completion - bound.expected >= -bound.lag_yellow THEN %s"
        " WHEN bound.completion - bound.expected >= -bound.lag_red THEN %s ELSE %s END",
        [Light.NONE, Light.GREEN, Light.YELLOW, Light.RED],
        models.CharField(),
        completion=F("completion"),
        expected=F("expected"),
        lag_yellow=F(f"{p}plan__lag_yellow"),
        lag_red=F(f"{p}plan__lag_red"),
    )
    return Case(
        When(Q(**{f"{p}status__in": INACTIVE_STATUSES}), then=Value(Light.NONE)),
        When(has_overdue_milestone=True, then=Value(Light.RED)),
        default=judged,
        output_field=models.CharField(),
    )


class ProjectProgressMixin(QuerySetMixinBase):
    """Queryset methods for projects: `with_progress()` annotates every computed figure."""

    def with_progress(self, month: int | None = None, on: datetime.date | None = None):
        """Annotate as_of_month, completion, expected (序时进度), lag, has_overdue_milestone, light,
        latest_month and latest_investment (of the latest counted report), investment_rate."""
        from .models import ProgressReport, Target

        on = on or today()
        qs = self.annotate(as_of_month=_as_of_month_expression("", month, on))
        value = Coalesce(
            Subquery(
                _counted_values(OuterRef("pk"), OuterRef(OuterRef("as_of_month")), OuterRef(OuterRef("pk")))
            ),
            ZERO,
            output_field=RATE,
        )
        weighted = (
            Target.objects.filter(project=OuterRef("pk"), annual_target__gt=0)
            .annotate(
                weighted_rate=ExpressionWrapper(
                    Least(AsRate(value) / F("annual_target"), ONE) * F("weight"), RATE
                )
            )
            .order_by()
            .values("project")
            .annotate(rate=ExpressionWrapper(Sum("weighted_rate") / Sum("weight"), RATE))
            .values("rate")[:1]
        )
        latest = ProgressReport.objects.filter(
            project=OuterRef("pk"), status__in=COUNTED_REPORT_STATUSES, month__lte=OuterRef("as_of_month")
        ).order_by("-month")
        qs = (
            qs.alias(target_completion=Subquery(weighted, output_field=RATE))
            .annotate(
                expected=_expected_expression("", "pk"),
                has_overdue_milestone=_overdue_expression("pk", on),
                latest_month=Subquery(latest.values("month")[:1]),
                latest_investment=Subquery(latest.values("investment_completed")[:1]),
            )
            .annotate(
                investment_rate=ExpressionWrapper(
                    AsRate(F("latest_investment")) / NullIf(F("planned_investment"), ZERO), RATE
                ),
            )
        )
        qs = qs.annotate(
            # PostgreSQL's LEAST skips NULLs (LEAST(NULL, 1) = 1), hence the explicit CASE.
            completion=Coalesce(
                F("target_completion"),
                Case(
                    When(investment_rate__isnull=False, then=Least(F("investment_rate"), ONE)),
                    output_field=RATE,
                ),
                output_field=RATE,
            )
        )
        return qs.annotate(lag=ExpressionWrapper(F("completion") - F("expected"), RATE)).annotate(
            light=_light_expression("")
        )


class TargetProgressMixin(QuerySetMixinBase):
    """Queryset methods for targets: `with_progress()` annotates each indicator's figures."""

    def with_progress(self, month: int | None = None, on: datetime.date | None = None):
        """Annotate as_of_month, value (cumulative), completion (may exceed 1), expected, lag."""
        on = on or today()
        qs = self.annotate(as_of_month=_as_of_month_expression("project__", month, on))
        qs = qs.annotate(
            value=Subquery(
                _counted_values(OuterRef("pk"), OuterRef("as_of_month"), OuterRef("project_id")),
                output_field=RATE,
            ),
            expected=_expected_expression("project__", "project_id"),
        )
        return qs.annotate(
            completion=ExpressionWrapper(
                AsRate(Coalesce(F("value"), ZERO)) / NullIf(F("annual_target"), ZERO), RATE
            ),
        ).annotate(lag=ExpressionWrapper(F("completion") - F("expected"), RATE))
