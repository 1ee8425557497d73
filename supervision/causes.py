"""The causes of alerts, as SQL over whole sets of projects (never a query per project).

Each cause kind is one SELECT giving rows (kind, cause key, project, responsible unit, milestone, month,
detail). The daily scan (services.scan_alerts) runs them all in one statement and compares them with the
open alerts; the supervision board runs the same definitions on the projects a user may see.

Which projects are scanned: those of the plans of the scan year (and, in January, of the year before, whose
December report is still being filed), unless suspended, withdrawn or completed.

- lagging: the project's light (projects.progress.with_progress) is yellow or red because its completion is
  behind 序时进度 by more than the plan's yellow margin (a red light from an overdue milestone alone is the
  milestone's alert, not this one).
- milestone: a milestone overdue by projects.progress.overdue_milestone_q.
- report: a month whose report was due (on the plan's due day of the next month: projects.periods) before
  the scan day and has no submitted or accepted report.
- funds: funds 滞留 as the funding app defines them (funding.checks.retained_funds: arrived and not passed
  on for more than MINSHENG_FUNDING_RETENTION_DAYS days).
"""

import datetime

from django.db.models import BigIntegerField, CharField, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from org.access import SYSTEM
from projects.choices import COUNTED_REPORT_STATUSES, INACTIVE_STATUSES, Light, ProjectStatus
from projects.models import Milestone, ProgressReport, Project
from projects.periods import DueDate, Period, due_date_sql, due_day_expression
from projects.progress import overdue_milestone_q

from .choices import AlertKind

COLUMNS = ["ck_kind", "ck_key", "ck_project", "ck_unit", "ck_milestone", "ck_month", "ck_detail"]
COLUMN_TYPES = ["varchar", "varchar", "bigint", "bigint", "bigint", "integer", "text"]
# The causes when no kind of cause applies (no report due yet, nothing else found): no rows.
NO_CAUSES = "SELECT {} WHERE false".format(
    ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in zip(COLUMNS, COLUMN_TYPES, strict=True))
)
NOT_SCANNED = (*INACTIVE_STATUSES, ProjectStatus.COMPLETED)


def scan_years(on: datetime.date) -> list[int]:
    return sorted({on.year, Period.filed_on(on).year})


def scanned_projects(on: datetime.date):
    return Project.objects.filter(plan__year__in=scan_years(on)).exclude(status__in=NOT_SCANNED)


def _text(value: str):
    return Value(value, output_field=CharField())


def _key(prefix: str, field: str):
    return Concat(_text(prefix), Cast(field, CharField()), output_field=CharField())


def _null(field_class):
    return Cast(Value(None), output_field=field_class())


def lagging(projects, on: datetime.date):
    """Projects behind 序时进度 beyond their plan's yellow margin (yellow or red light)."""
    # The light computes completion once; the lag is looked at again only for red lights that may come
    # from an overdue milestone alone.
    return (
        projects.with_progress(on=on)
        .filter(light__in=(Light.YELLOW, Light.RED))
        .filter(Q(has_overdue_milestone=False) | Q(lag__lt=-F("plan__lag_yellow")))
        .order_by()
    )


def overdue_milestones(projects, on: datetime.date):
    ids = projects.order_by().values("pk")
    return Milestone.objects.filter(overdue_milestone_q(on), project__in=ids).order_by()


def _select(qs, **columns) -> tuple[str, list]:
    sql, params = qs.values(**columns).query.sql_with_params()
    return f"SELECT {', '.join(COLUMNS)} FROM ({sql}) AS c", list(params)


def lagging_sql(projects, on) -> tuple[str, list]:
    return _select(
        lagging(projects, on),
        ck_kind=_text(AlertKind.LAGGING),
        ck_key=_key("lagging:", "pk"),
        ck_project=F("pk"),
        ck_unit=F("lead_unit_id"),
        ck_milestone=_null(BigIntegerField),
        ck_month=_null(IntegerField),
        ck_detail=Concat(_text("“"), "title", _text("”完成进度落后于序时进度"), output_field=CharField()),
    )


def milestone_sql(projects, on) -> tuple[str, list]:
    return _select(
        overdue_milestones(projects, on),
        ck_kind=_text(AlertKind.OVERDUE_MILESTONE),
        ck_key=_key("milestone:", "pk"),
        ck_project=F("project_id"),
        ck_unit=F("project__lead_unit_id"),
        ck_milestone=F("pk"),
        ck_month=_null(IntegerField),
        ck_detail=Concat(
            _text("“"),
            "project__title",
            _text("”节点“"),
            "name",
            _text("”计划"),
            Cast("planned_date", CharField()),
            _text("完成，已逾期"),
            output_field=CharField(),
        ),
    )


def missing_report_sql(projects, on) -> tuple[str, list]:
    """(project, month) pairs whose report is overdue: its due date (by the plan's due day) is before `on`
    and no report of the month is submitted or accepted. The months are a constant list joined to projects."""
    years = scan_years(on)
    # No plan's report can be due before the first of the month after January of the earliest scanned year.
    if Period(years[0], 1).due_date(1) >= on:
        return "", []
    months = " UNION ALL ".join(f"SELECT {m} AS month" for m in range(1, 13))
    # The projects' own query as the source of rows (not `id IN (...)` after the anti-join, whose row count
    # the planner underestimates a hundredfold and then probes project by project).
    project_sql, params = (
        projects.order_by()
        .values(
            p_id=F("pk"),
            p_unit=F("lead_unit_id"),
            p_title=F("title"),
            p_year=F("plan__year"),
            p_due_day=due_day_expression("plan"),
        )
        .query.sql_with_params()
    )
    statuses = ", ".join(["%s"] * len(COUNTED_REPORT_STATUSES))
    sql = f"""
        SELECT %s AS ck_kind,
               'report:' || CAST(p.p_id AS TEXT) || ':' || CAST(m.month AS TEXT) AS ck_key,
               p.p_id AS ck_project, p.p_unit AS ck_unit, CAST(NULL AS BIGINT) AS ck_milestone,
               m.month AS ck_month,
               '“' || p.p_title || '”' || CAST(p.p_year AS TEXT) || '年' || CAST(m.month AS TEXT)
                   || '月进展报告逾期未报' AS ck_detail
        FROM ({project_sql}) AS p
        JOIN ({months}) AS m ON {due_date_sql("p.p_year", "m.month", "p.p_due_day")} < %s
        WHERE NOT EXISTS (
              SELECT 1 FROM projects_progressreport r
              WHERE r.project_id = p.p_id AND r.month = m.month AND r.status IN ({statuses}))
    """
    return sql, [AlertKind.MISSING_REPORT, *params, on, *COUNTED_REPORT_STATUSES]


def overdue_report_alerts(alerts):
    """The missing-report alerts among `alerts` that stand for a report really overdue: not one whose report
    was in (submitted or accepted) by its due date, as an alert raised by an earlier, wrong due date was."""
    on_time = ProgressReport.objects.filter(
        project=OuterRef("project_id"),
        month=OuterRef("month"),
        status__in=COUNTED_REPORT_STATUSES,
        submitted_at__date__lte=DueDate(
            F("project__plan__year"), F("month"), due_day_expression("project__plan")
        ),
    )
    return alerts.filter(kind=AlertKind.MISSING_REPORT).exclude(Exists(on_time))


def funds_sql(projects, on) -> tuple[str, list]:
    """Funds 滞留 by funding.checks.retained_funds (arrived more than MINSHENG_FUNDING_RETENTION_DAYS ago and
    not passed on), one cause per project. That check is one query; its rows come back here as constants."""
    from funding.checks import retained_funds

    found = retained_funds(SYSTEM, as_of=on)  # the scan looks at every region
    if not found:
        return "", []
    rows = " UNION ALL ".join(["SELECT CAST(%s AS BIGINT) AS pid, %s AS detail"] * len(found))
    project_sql, project_params = projects.order_by().values("pk").query.sql_with_params()
    sql = f"""
        SELECT %s AS ck_kind, 'funds:' || CAST(p.id AS TEXT) AS ck_key, p.id AS ck_project,
               p.lead_unit_id AS ck_unit, CAST(NULL AS BIGINT) AS ck_milestone,
               CAST(NULL AS INTEGER) AS ck_month, v.detail AS ck_detail
        FROM ({rows}) AS v JOIN projects_project p ON p.id = v.pid
        WHERE p.id IN ({project_sql})
    """
    params: list[object] = [AlertKind.FUNDS_IDLE]
    for retention in found:
        params += [retention.project.pk, retention.message]
    return sql, [*params, *project_params]


CAUSES = [lagging_sql, milestone_sql, missing_report_sql, funds_sql]


def all_causes_sql(projects, on: datetime.date) -> tuple[str, list]:
    """One SELECT (a UNION ALL) of every cause found among `projects` on `on` (of no rows when no kind of
    cause applies)."""
    parts, params = [], []
    for cause in CAUSES:
        sql, cause_params = cause(projects, on)
        if sql:
            parts.append(sql)
            params.extend(cause_params)
    if not parts:
        return NO_CAUSES, []
    return " UNION ALL ".join(f"({part})" for part in parts), params
