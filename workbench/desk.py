"""The 民生办 workbench: what needs doing today in the user's region and below, from the querysets the
filing and supervision pages use (no rule is restated here)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from filing.status import DONE, period_projects, period_rows
from projects.choices import ReportStatus
from projects.models import ProgressReport
from projects.periods import Period
from supervision.causes import NOT_SCANNED
from supervision.models import Alert, SupervisionOrder

ROWS = 10


@dataclass
class Desk:
    on: datetime.date
    year: int
    month: int
    due: list = field(default_factory=list)
    due_count: int = 0
    alerts: list = field(default_factory=list)
    alerts_count: int = 0
    overdue_orders: list = field(default_factory=list)
    overdue_orders_count: int = 0
    waiting: list = field(default_factory=list)
    waiting_count: int = 0

    @property
    def period(self) -> str:
        """The filing page's `period` parameter for the month being filed."""
        return Period(self.year, self.month).param


def due_reports(user, year: int, month: int):
    """Projects still running whose report of (year, month) is not yet submitted or accepted."""
    return (
        period_projects(user, year, month)
        .exclude(status__in=NOT_SCANNED)
        .filter(Q(report_status__isnull=True) | ~Q(report_status__in=DONE))
    )


def overdue_orders(user):
    """Open 督办单 with a missed stage (escalated), as the supervision board counts them."""
    return SupervisionOrder.objects.restrict(user).overdue()


def waiting_reports(user):
    """Submitted reports waiting for the office's review, as the review list shows them."""
    return ProgressReport.objects.restrict(user).filter(status=ReportStatus.SUBMITTED)


def build_desk(user, on: datetime.date | None = None) -> Desk:
    """The workbench of `user` on `on` (today by default): the first rows of each list and their totals."""
    on = on or timezone.localdate()
    filed = Period.filed_on(on)
    year, month = filed.year, filed.month
    desk = Desk(on=on, year=year, month=month)

    due = due_reports(user, year, month)
    desk.due = period_rows(user, year, month, due[:ROWS])
    desk.due_count = due.count()

    alerts = Alert.objects.restrict(user).open()
    desk.alerts = list(alerts.select_related("project", "unit")[:ROWS])
    desk.alerts_count = alerts.count()

    orders = overdue_orders(user)
    desk.overdue_orders = list(orders.select_related("unit", "project").order_by("issued_at", "pk")[:ROWS])
    for order in desk.overdue_orders:  # the stage now late and its deadline, once, here
        stage = order.next_stage()
        order.late_stage = stage.label if stage else "待销号"
        order.late_due = order.due(stage) if stage else order.report_due
    desk.overdue_orders_count = orders.count()

    waiting = waiting_reports(user)
    desk.waiting = list(
        waiting.select_related("project__lead_unit", "project__plan").order_by("submitted_at", "pk")[:ROWS]
    )
    desk.waiting_count = waiting.count()
    return desk
