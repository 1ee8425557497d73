"""The filer's view of a period: which projects, what the user is to them, and each report's status."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from org import access
from projects.choices import ReportStatus
from projects.models import ProgressReport, Project
from projects.periods import Period

from .periods import windows

STATUS_LABELS = {
    None: "未开始",
    ReportStatus.DRAFT: "草稿",
    ReportStatus.SUBMITTED: "已提交",
    ReportStatus.RETURNED: "已退回",
    ReportStatus.ACCEPTED: "已采纳",
}
DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
ROLE_LABELS = {"lead": "牵头单位", "part": "配合单位", "staff": "民生办", "viewer": "只读"}


def status_label(status) -> str:
    return STATUS_LABELS.get(status, STATUS_LABELS[None])


def role_on(user, project: Project) -> str:
    """lead / part (cooperating unit) / staff / viewer; the project is already one the user may see."""
    return access.project_role(user, project)


@dataclass
class Row:
    """One project in the period's list."""

    project: Project
    status: str | None
    due: datetime.date
    role: str

    @property
    def label(self) -> str:
        return status_label(self.status)

    @property
    def overdue(self) -> bool:
        return self.status not in DONE and timezone.localdate() > self.due


def period_projects(user, year: int, month: int):
    """The projects the user may see in `year`, annotated with the status of month's report."""
    status = ProgressReport.objects.filter(project=OuterRef("pk"), month=month).values("status")[:1]
    return (
        Project.objects.restrict(user)
        .filter(plan__year=year)
        .annotate(report_status=Subquery(status))
        .select_related("plan", "lead_unit")
        .order_by("plan__region__path", "sequence", "code")
    )


def period_rows(user, year: int, month: int, projects=None) -> list[Row]:
    """Rows for the projects (a page of period_projects, else all of them) with their due dates; two
    queries whatever the number of projects."""
    projects = list(period_projects(user, year, month) if projects is None else projects)
    plan_windows = windows({p.plan_id for p in projects})
    period = Period(year, month)
    return [
        Row(p, p.report_status, plan_windows[p.plan_id].due_date(period), role_on(user, p)) for p in projects
    ]
