"""The leader dashboard's figures, each computed in one SQL statement over the projects in scope.

`Scope` is the user's visible projects of one year, narrowed by the filters (region with the regions below
it, category, lead unit). Per-project figures come from `with_progress()` (projects/progress.py);
the aggregates here wrap that query as a derived table (`FROM (<with_progress SQL>) AS p`), so each
project's completion, 序时进度 and light are computed once per statement, whatever is grouped on top.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from funding import summaries as funding_summaries
from minsheng.errors import CommonErrorCode, DomainError
from org.filtersets import IntegerFilter, RegionCodeFilter
from projects.choices import Category
from projects.models import Plan, Project, ProjectQuerySet
from projects.progress import default_as_of_month, monthly_grid, today
from supervision.choices import Severity, Stage
from supervision.models import STAGE_FIELDS, Problem, SupervisionOrder

from .errors import DashboardErrorCode

# Rows listed by the lagging panel when the client does not say, and by the supervision panel.
LAGGING_LIMIT = 20
SUPERVISION_LIMIT = 20


class DashboardFilterSet(django_filters.FilterSet):
    """The dashboard's filters besides the year: region (and below), category, lead unit (the filters
    funding.summaries takes too, so the money panel covers exactly the same projects)."""

    region = RegionCodeFilter(field_name="plan__region__path")
    category = django_filters.ChoiceFilter(choices=Category.choices, label="领域类别")
    unit = IntegerFilter(field_name="lead_unit__id", label="牵头单位ID")

    class Meta:
        model = Project
        fields: list[str] = []


YEAR_FIELD = forms.IntegerField(min_value=2000, max_value=2100, required=False)


@dataclass
class Scope:
    """The projects a dashboard call is about, and the year and day they are judged at."""

    year: int | None
    projects: ProjectQuerySet
    on: datetime.date
    user: object = None

    def progress(self) -> QuerySet:
        return self.projects.with_progress(on=self.on)


def default_year(user, on: datetime.date | None = None) -> int | None:
    """The latest year, not after this one, with a plan the user may see (else the earliest ahead)."""
    on = on or today()
    years = Plan.objects.restrict(user).values_list("year", flat=True)
    return years.filter(year__lte=on.year).order_by("-year").first() or years.order_by("year").first()


def visible_years(user) -> list[int]:
    return list(Plan.objects.restrict(user).order_by("-year").values_list("year", flat=True).distinct())


def scope(user, params) -> Scope:
    """The user's visible projects of the year in `params` (default: `default_year`), filtered."""
    try:
        year = YEAR_FIELD.clean(params.get("year"))
    except forms.ValidationError as error:
        raise DomainError(
            "年度参数（year）应为2000到2100之间的整数。", code=CommonErrorCode.INVALID_YEAR, field="year"
        ) from error
    year = year or default_year(user)
    filterset = DashboardFilterSet(params, queryset=Project.objects.restrict(user).filter(plan__year=year))
    if not filterset.is_valid():
        field, errors = next(iter(filterset.errors.items()))
        raise DomainError(
            f"筛选条件有误（{field}）：{errors[0]}", code=DashboardErrorCode.INVALID_FILTER, field=field
        )
    return Scope(year=year, projects=filterset.qs.order_by(), on=today(), user=user)


def _rows(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _progress_table(s: Scope) -> tuple[str, list]:
    """`(<with_progress SQL>) AS p`: one row per project with its figures, fenced with OFFSET 0.

    Without the fence PostgreSQL pulls the derived table up into the outer query and inlines each column
    wherever it is used (the light in four FILTERs, completion in AVG and in the lag ...), running the
    per-project subqueries once per use; fenced, each is computed once per project. The lag is worked out
    outside (completion − expected) for the same reason.
    """
    qs = s.progress().values(
        "id",
        "code",
        "title",
        "status",
        "completion",
        "expected",
        "light",
        "has_overdue_milestone",
        "as_of_month",
        "latest_month",
        "latest_investment",
        unit_id=F("lead_unit_id"),
        category_key=F("category"),
        level_key=F("level"),
        planned=F("planned_investment"),
        region=F("plan__region__name"),
        region_path=F("plan__region__path"),
        seq=F("sequence"),
    )
    sql, params = qs.query.sql_with_params()
    return f"(SELECT *, completion - expected AS lag FROM ({sql} OFFSET 0) AS inner_p) AS p", list(params)


LIGHT_COUNTS = """
    COUNT(*) AS projects,
    COUNT(*) FILTER (WHERE p.light = 'green') AS green,
    COUNT(*) FILTER (WHERE p.light = 'yellow') AS yellow,
    COUNT(*) FILTER (WHERE p.light = 'red') AS red,
    COUNT(*) FILTER (WHERE p.light = 'none') AS none,
    AVG(p.completion) AS completion,
    AVG(p.expected) FILTER (WHERE p.completion IS NOT NULL) AS expected
"""


def overview(s: Scope) -> dict:
    """Counts by light, mean completion against mean 序时进度, investment planned and completed."""
    table, params = _progress_table(s)
    return _rows(
        f"""SELECT {LIGHT_COUNTS}, MAX(p.as_of_month) AS as_of_month,
            SUM(p.planned) AS planned_investment, SUM(p.latest_investment) AS investment_completed
            FROM {table}""",
        params,
    )[0]


def by_category(s: Scope) -> list[dict]:
    """Per category: projects, lights, mean completion against mean 序时进度."""
    table, params = _progress_table(s)
    rows = _rows(
        f"SELECT p.category_key AS category, {LIGHT_COUNTS} FROM {table} GROUP BY p.category_key", params
    )
    labels = dict(Category.choices)
    order = list(labels)
    for row in rows:
        row["label"] = labels.get(row["category"], row["category"])
    return sorted(rows, key=lambda row: order.index(row["category"]) if row["category"] in order else 99)


def unit_ranking(s: Scope) -> list[dict]:
    """Lead units ranked by mean lag (completion − 序时进度), best first; units with no figures last."""
    table, params = _progress_table(s)
    return _rows(
        f"""SELECT u.id AS unit, COALESCE(NULLIF(u.short_name, ''), u.name) AS name, {LIGHT_COUNTS},
            AVG(p.lag) AS lag, RANK() OVER (ORDER BY AVG(p.lag) DESC NULLS LAST) AS rank
            FROM {table} JOIN org_unit u ON u.id = p.unit_id
            GROUP BY u.id, u.name, u.short_name
            ORDER BY AVG(p.lag) DESC NULLS LAST, u.name""",
        params,
    )


PROJECT_COLUMNS = """p.id, p.code, p.title, p.category_key AS category, p.level_key AS level, p.status,
    p.light, p.completion, p.expected, p.lag, p.as_of_month, p.latest_month,
    p.planned AS planned_investment, p.latest_investment, p.region,
    u.name AS unit, u.short_name AS unit_short"""


def project_rows(s: Scope) -> list[dict]:
    """Every project in scope with its figures, in plan order (one query)."""
    table, params = _progress_table(s)
    return _rows(
        f"""SELECT {PROJECT_COLUMNS} FROM {table} JOIN org_unit u ON u.id = p.unit_id
            ORDER BY p.region_path, p.seq, p.code""",
        params,
    )


def lagging(s: Scope, limit: int = LAGGING_LIMIT) -> list[dict]:
    """Red and yellow projects, furthest behind first (overdue milestones count as red)."""
    table, params = _progress_table(s)
    return _rows(
        f"""SELECT {PROJECT_COLUMNS}, p.has_overdue_milestone FROM {table} JOIN org_unit u ON u.id = p.unit_id
            WHERE p.light IN ('red', 'yellow') ORDER BY p.lag ASC NULLS LAST, p.code LIMIT %s""",
        [*params, limit],
    )


def as_of_month(s: Scope) -> int:
    """The latest as-of month among the plans in scope (the trend's last month)."""
    plans = Plan.objects.filter(pk__in=s.projects.values("plan_id")).values_list("year", "reporting_month")
    return max((default_as_of_month(year, month, s.on) for year, month in plans), default=0)


# The trend: the month grid of projects/progress.py (each project judged at each month as with_progress
# would), averaged per month.
TREND_SQL = """
-- a month up to which no project in scope had reported is a gap (NULL), not zero; 序时进度 is still drawn
SELECT month, CASE WHEN BOOL_OR(reported) THEN AVG(completion) END AS completion,
    AVG(expected) FILTER (WHERE completion IS NOT NULL) AS expected,
    SUM(investment_completed) AS investment_completed,
    COUNT(investment_completed) AS reporting
FROM grid GROUP BY month ORDER BY month
"""


def trend(s: Scope) -> dict:
    """Month by month up to the as-of month: mean completion and mean 序时进度 (as `with_progress` would
    judge each month), cumulative investment completed, and how many projects had reported by then.
    Months before any project in scope reported have no completion (None: a gap in the chart, not 0%)."""
    last = as_of_month(s)
    if last == 0:
        return {"as_of_month": 0, "months": []}
    grid_sql, params = monthly_grid(s.projects, last)
    rows = _rows(grid_sql + TREND_SQL, params)
    return {"as_of_month": last, "months": rows}


def funds(s: Scope, params) -> dict:
    """Money of the projects in scope from funding.summaries: by source level (planned, arrived, disbursed,
    spent and the three rates) and month by month (in the month and cumulative, with 同比)."""
    filters: dict[str, Any] = {
        "year": s.year,
        "region": params.get("region") or None,
        "category": params.get("category") or None,
        "unit": int(params["unit"]) if params.get("unit") else None,
    }
    return {
        "levels": funding_summaries.summarize(s.user, "level", **filters),
        "months": funding_summaries.monthly(s.user, **filters),
    }


def _overdue_stage_q(now) -> Q:
    """An open 督办单 whose current stage (the first not answered) is past its deadline."""
    condition = Q()
    answered: dict[str, bool] = {}
    for stage in Stage:
        due, done = STAGE_FIELDS[stage]
        condition |= Q(**answered, **{f"{done}__isnull": True, f"{due}__lt": now})
        answered[f"{done}__isnull"] = False
    return condition


def supervision(s: Scope, limit: int = SUPERVISION_LIMIT) -> dict:
    """Open problems (问题清单) and open 督办单 on the projects in scope: counts and the latest of each."""
    now = timezone.now()
    problems = Problem.objects.restrict(s.user).open().filter(project__in=s.projects)
    orders = SupervisionOrder.objects.restrict(s.user).open().filter(project__in=s.projects)
    problem_counts = problems.aggregate(
        open_problems=Count("pk"),
        **{f"problems_{value}": Count("pk", filter=Q(severity=value)) for value in Severity.values},
    )
    order_counts = orders.aggregate(
        open_orders=Count("pk"), overdue_orders=Count("pk", filter=_overdue_stage_q(now))
    )
    problem_rows = [
        {
            "id": problem.pk,
            "project": f"{problem.project.code} {problem.project.title}",
            "unit": str(problem.unit),
            "severity": problem.get_severity_display(),
            "status": problem.get_status_display(),
            "found_on": problem.found_on,
            "description": problem.description[:80],
        }
        for problem in problems.select_related("project", "unit").order_by("-found_on", "-pk")[:limit]
    ]
    order_rows = []
    for order in orders.select_related("project", "unit").order_by("report_due", "pk")[:limit]:
        stage = order.next_stage()
        due = order.due(stage) if stage else None
        order_rows.append(
            {
                "id": order.pk,
                "number": order.number,
                "title": order.title,
                "project": f"{order.project.code} {order.project.title}",
                "unit": str(order.unit),
                "status": order.get_status_display(),
                "stage": stage.label if stage else "",
                "due": due,
                "overdue": bool(due and due < now),
            }
        )
    return {**problem_counts, **order_counts, "problems": problem_rows, "orders": order_rows}
