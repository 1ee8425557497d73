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
import re
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
from .periods import as_of_month

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
    """The month up to which progress is judged (projects.periods), by the same rule as
    `_as_of_month_expression`."""
    return as_of_month(year, reporting_month, on or today())


def _as_of_month_expression(p: str, month: int | None, on: datetime.date):
    """SQL for the as-of month (projects.periods.as_of_month); `p` is the path from the queried model to the
    project ("" or "project__")."""
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


# -- the month grid -------------------------------------------------------------------------------------
#
# The same rules as `with_progress`, for every project at every month 1..last in one statement (the
# dashboard's trend): instead of one "latest counted value" lookup per project, target and month, each
# counted value is carried forward from its month until the next value of the same target (LEAD +
# generate_series). tests/dashboard/test_api.py checks the grid against with_progress(month=m) at every
# month, so the two forms cannot drift.

_GRID_SQL = """
WITH p AS MATERIALIZED (SELECT * FROM {projects}),
months AS (SELECT generate_series(1, %(last)s) AS month),
-- LATERAL lookups through the indexes on project and report, so only the year's rows are read; OFFSET 0
-- keeps PostgreSQL from flattening them into hash joins over whole tables (every year's rows)
targets AS MATERIALIZED (
    SELECT t.id, t.project_id, t.annual_target, t.weight
    FROM p CROSS JOIN LATERAL (
        SELECT id, project_id, annual_target, weight FROM projects_target
        WHERE project_id = p.pid AND annual_target > 0 OFFSET 0
    ) t
),
weights AS (SELECT project_id, SUM(weight) AS weight FROM targets GROUP BY project_id),
counted AS MATERIALIZED (
    SELECT r.id, r.project_id, r.month, r.investment_completed
    FROM p CROSS JOIN LATERAL (
        SELECT id, project_id, month, investment_completed FROM projects_progressreport
        WHERE project_id = p.pid AND status = ANY(%(counted)s) AND month <= %(last)s OFFSET 0
    ) r
),
firsts AS (SELECT project_id, MIN(month) AS first FROM counted GROUP BY project_id),
vals AS (
    -- a value counts from its report's month until the next counted value of the same target
    SELECT c.project_id, c.month,
        LEAST(v.value / t.annual_target, 1) * t.weight AS weighted,
        LEAD(c.month) OVER (PARTITION BY v.target_id ORDER BY c.month) AS until
    FROM counted c
    CROSS JOIN LATERAL (
        SELECT target_id, value FROM projects_progressvalue WHERE report_id = c.id OFFSET 0
    ) v
    JOIN targets t ON t.id = v.target_id
),
done AS (
    SELECT vals.project_id, m.month, SUM(vals.weighted) AS weighted
    FROM vals CROSS JOIN LATERAL generate_series(vals.month, COALESCE(vals.until - 1, %(last)s)) AS m(month)
    GROUP BY vals.project_id, m.month
),
spent AS (
    SELECT inv.project_id, m.month, inv.investment_completed
    FROM (
        SELECT c.project_id, c.month, c.investment_completed,
            LEAD(c.month) OVER (PARTITION BY c.project_id ORDER BY c.month) AS until
        FROM counted c
    ) inv CROSS JOIN LATERAL generate_series(inv.month, COALESCE(inv.until - 1, %(last)s)) AS m(month)
),
planned AS (
    SELECT m.project_id, m.planned_progress,
        EXTRACT(YEAR FROM m.planned_date) * 100 + EXTRACT(MONTH FROM m.planned_date) AS due
    FROM p CROSS JOIN LATERAL (
        SELECT project_id, planned_progress, planned_date FROM projects_milestone
        WHERE project_id = p.pid AND planned_progress IS NOT NULL OFFSET 0
    ) m
    WHERE p.basis = %(milestones)s
),
by_plan AS (
    SELECT p.pid, months.month, COALESCE(MAX(planned.planned_progress)
        FILTER (WHERE planned.due <= p.year * 100 + months.month), 0) AS expected
    FROM p JOIN planned ON planned.project_id = p.pid CROSS JOIN months
    GROUP BY p.pid, months.month
),
grid AS (
    SELECT p.pid, p.planned, months.month,
        -- PostgreSQL's LEAST skips NULLs, hence the explicit WHEN (as in projects/progress.py)
        CASE WHEN weights.weight IS NOT NULL THEN COALESCE(done.weighted, 0) / weights.weight
             WHEN spent.investment_completed IS NOT NULL
             THEN LEAST(spent.investment_completed / NULLIF(p.planned, 0), 1) END AS completion,
        COALESCE(by_plan.expected, months.month / 12.0) AS expected,
        spent.investment_completed,
        firsts.first <= months.month AS reported
    FROM p CROSS JOIN months
    LEFT JOIN firsts ON firsts.project_id = p.pid
    LEFT JOIN weights ON weights.project_id = p.pid
    LEFT JOIN done ON done.project_id = p.pid AND done.month = months.month
    LEFT JOIN spent ON spent.project_id = p.pid AND spent.month = months.month
    LEFT JOIN by_plan ON by_plan.pid = p.pid AND by_plan.month = months.month
)
"""

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def monthly_grid(projects, last: int) -> tuple[str, list]:
    """SQL (a WITH clause ending in the CTE `grid`) and its parameters: one row per project in `projects`
    and month 1..`last` with `completion` (None before the project's first counted report), `expected`
    (序时进度), `investment_completed` and `reported` (whether it had reported by then), judged by the
    rules of this module. A caller appends its own SELECT … FROM grid."""
    projects_sql, params = projects.values(
        pid=F("id"), planned=F("planned_investment"), basis=F("schedule_basis"), year=F("plan__year")
    ).query.sql_with_params()
    sql = _GRID_SQL.format(projects=f"({projects_sql}) AS q")
    values = {
        "last": last,
        "counted": [str(status) for status in COUNTED_REPORT_STATUSES],
        "milestones": str(ScheduleBasis.MILESTONES),
    }
    names = _PLACEHOLDER.findall(sql)
    return _PLACEHOLDER.sub("%s", sql), [*params, *(values[name] for name in names)]
