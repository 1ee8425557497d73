"""The supervision board (督查看板): what needs chasing among the projects a user may see, computed live
with the same definitions as the daily scan (supervision.causes), a fixed number of queries per board."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from minsheng.formatting import percent
from projects.choices import Light
from projects.models import Project

from . import causes
from .choices import AlertStatus
from .models import Alert, Problem, SupervisionOrder

ROWS = 50


@dataclass
class Board:
    on: datetime.date
    lagging: list = field(default_factory=list)
    lagging_count: int = 0
    milestones: list = field(default_factory=list)
    milestones_count: int = 0
    missing_reports: list = field(default_factory=list)
    missing_reports_count: int = 0
    late_reports_count: int = 0
    funds: list = field(default_factory=list)
    funds_count: int = 0
    open_alerts: int = 0
    open_orders: int = 0
    overdue_orders: int = 0
    open_problems: int = 0
    last_scan: datetime.datetime | None = None


def _rows(sql: str, params: list) -> tuple[list[dict], int]:
    """The first ROWS rows of a cause SELECT and their total, in one query."""
    if not sql:
        return [], 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ck_project, ck_unit, ck_month, ck_detail, COUNT(*) OVER () FROM ({sql}) AS c"
            f" ORDER BY ck_project, ck_month LIMIT {ROWS}",
            params,
        )
        rows = cursor.fetchall()
    total = rows[0][4] if rows else 0
    return [{"project_id": r[0], "unit_id": r[1], "month": r[2], "detail": r[3]} for r in rows], total


def build_board(user, on: datetime.date | None = None) -> Board:
    """The board for `user`, judged on `on` (today by default)."""
    now = timezone.now()
    on = on or timezone.localdate(now)
    visible = Project.objects.restrict(user).order_by().values("pk")
    projects = causes.scanned_projects(on).filter(pk__in=visible)
    board = Board(on=on)
    lagging = causes.lagging(projects, on).select_related("plan", "lead_unit").order_by("lag", "pk")
    board.lagging = list(lagging[:ROWS])
    for project in board.lagging:  # figures as text once, here, not in the template
        project.completion_text = percent(project.completion)
        project.expected_text = percent(project.expected)
        project.light_label = Light(project.light).label
    board.lagging_count = causes.lagging(projects, on).count()
    milestones = causes.overdue_milestones(projects, on)
    board.milestones = list(
        milestones.select_related("project__lead_unit").order_by("planned_date", "pk")[:ROWS]
    )
    board.milestones_count = milestones.count()
    board.missing_reports, board.missing_reports_count = _rows(*causes.missing_report_sql(projects, on))
    board.funds, board.funds_count = _rows(*causes.funds_sql(projects, on))
    alerts = Alert.objects.restrict(user)
    # Reports filed after the scan had found them overdue (past the plan's due date): late (迟报), this year.
    board.late_reports_count = (
        causes.overdue_report_alerts(alerts)
        .filter(status=AlertStatus.CLOSED, project__plan__year=on.year)
        .count()
    )
    board.open_alerts = alerts.open().count()
    board.last_scan = Alert.objects.order_by("-raised_at").values_list("raised_at", flat=True).first()
    orders = SupervisionOrder.objects.restrict(user).open()
    board.open_orders = orders.count()
    board.overdue_orders = orders.overdue().count()
    board.open_problems = Problem.objects.restrict(user).open().count()
    return board
