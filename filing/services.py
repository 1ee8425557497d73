"""Filing reminders: before the due date and after it, to the filers of units whose report is not in."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from notifications.services import notify
from org import access
from projects.choices import COUNTED_REPORT_STATUSES, INACTIVE_STATUSES
from projects.models import Plan, ProgressReport, Project, ReportContribution
from projects.periods import Period

from .periods import Window, windows

BEFORE, OVERDUE = "before", "overdue"


def reminder_kind(on: datetime.date, due: datetime.date, window: Window) -> str | None:
    """Which reminder is due on a day: from N days before the due date up to it, or from M days after.

    A range rather than one day, so a day the beat missed is made up the next day; the event key of each
    reminder makes sure it still goes out only once.
    """
    if window.remind_before_days and due - datetime.timedelta(days=window.remind_before_days) <= on <= due:
        return BEFORE
    if window.remind_after_days and on >= due + datetime.timedelta(days=window.remind_after_days):
        return OVERDUE
    return None


def send_reminders(on: datetime.date | None = None) -> dict:
    """Remind the units of projects whose report of the period being filed is not submitted yet: the lead
    unit, and cooperating units that have not added their part.

    One message per unit, plan, period and kind (the event key), listing its projects still missing:
    running this twice on a day, or every day of the window, sends each reminder once.
    """
    on = on or timezone.localdate()
    period = Period.filed_on(on)
    plans = list(Plan.objects.filter(year=period.year).values_list("pk", flat=True))
    counts = {BEFORE: 0, OVERDUE: 0}
    for plan_id, window in windows(plans).items():
        due = window.due_date(period)
        kind = reminder_kind(on, due, window)
        if kind is None:
            continue
        by_unit = _missing_by_unit(plan_id, period.month)
        filers = defaultdict(list)
        for user in access.unit_filers(by_unit):
            filers[user.unit_id].append(user)
        for unit_id, titles in by_unit.items():
            if not filers[unit_id]:
                continue
            with transaction.atomic():
                sent = notify(
                    filers[unit_id],
                    event=f"filing:{kind}:plan{plan_id}:unit{unit_id}:{period.param}",
                    **_message(kind, period, due, titles),
                )
            counts[kind] += len(sent)
    return counts


def _missing_by_unit(plan_id: int, month: int) -> dict[int, list[str]]:
    """Per unit, the projects of the plan whose report of `month` is not in: the lead unit's report, and a
    cooperating unit's part while the report is still open (two queries)."""
    filed = ProgressReport.objects.filter(
        project=OuterRef("pk"), month=month, status__in=COUNTED_REPORT_STATUSES
    )
    unfiled = (
        Project.objects.filter(plan_id=plan_id).exclude(status__in=INACTIVE_STATUSES).exclude(Exists(filed))
    )
    by_unit = defaultdict(list)
    for unit_id, title in unfiled.order_by("sequence", "code").values_list("lead_unit_id", "title"):
        by_unit[unit_id].append(title)
    part_in = ReportContribution.objects.filter(
        report__project=OuterRef("project_id"), report__month=month, unit=OuterRef("unit_id")
    )
    parts = (
        Project.cooperating_units.through.objects.filter(project__in=unfiled)
        .exclude(Exists(part_in))
        .order_by("project__sequence", "project__code")
        .values_list("unit_id", "project__title")
    )
    for unit_id, title in parts:
        by_unit[unit_id].append(f"{title}（配合单位部分）")
    return by_unit


def _message(kind: str, period: Period, due: datetime.date, titles: list[str]) -> dict:
    names = "、".join(titles[:5]) + (f"等{len(titles)}个项目" if len(titles) > 5 else "")
    if kind == BEFORE:
        title = f"请于{due.month}月{due.day}日前报送{period.full_label}进展"
        body = f"尚未报送：{names}。"
    else:
        title = f"{period.full_label}进展已逾期未报送（截止{due.month}月{due.day}日）"
        body = f"逾期未报送：{names}。请尽快报送，逾期情况将纳入年度考核。"
    return {"title": title, "body": body, "url": f"/filing/?period={period.param}"}
