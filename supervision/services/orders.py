"""督办单: issue, respond stage by stage, escalate when overdue, close."""

import datetime

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from org import access
from org.models import Region, Unit, User
from projects.models import Project

from .. import conf
from ..choices import STATUS_AFTER, OrderStatus, Stage
from ..errors import SupervisionErrorCode
from ..models import STAGE_FIELDS, Alert, Escalation, OrderResponse, Problem, SupervisionOrder
from .common import notify, require_staff, require_text, require_unit_user, require_visible, unit_users


def stage_dues(issued_at: datetime.datetime, days: dict | None = None) -> dict[str, datetime.datetime]:
    """Each stage's deadline: `days` (default: SUPERVISION_ORDER_STAGE_DAYS, "13710") after issuing."""
    merged = conf.stage_days()
    for stage, value in (days or {}).items():
        if str(stage) not in merged:
            raise DomainError(f"未知的督办阶段“{stage}”。", code=SupervisionErrorCode.INVALID_STAGE)
        try:
            merged[str(stage)] = int(value)
        except (TypeError, ValueError, OverflowError):
            raise DomainError(
                f"督办阶段“{stage}”的时限须为整数天数。", code=SupervisionErrorCode.INVALID_STAGE_DAYS
            ) from None
    if any(days > conf.MAX_STAGE_DAYS for days in merged.values()):
        raise DomainError(
            f"各阶段时限不能超过{conf.MAX_STAGE_DAYS}天。", code=SupervisionErrorCode.INVALID_STAGE_DAYS
        )
    previous = 0
    for stage in Stage:
        if merged[stage] < previous or merged[stage] < 0:
            raise DomainError(
                "各阶段时限（天数）须依次不小于前一阶段。", code=SupervisionErrorCode.INVALID_STAGE_DAYS
            )
        previous = merged[stage]
    return {STAGE_FIELDS[stage][0]: issued_at + datetime.timedelta(days=merged[stage]) for stage in Stage}


@transaction.atomic
def issue_order(
    *,
    actor,
    unit: Unit,
    title: str,
    requirement: str,
    project: Project | None = None,
    problem: Problem | None = None,
    alert: Alert | None = None,
    stage_days: dict | None = None,
) -> SupervisionOrder:
    """Issue a 督办单 to a unit about a project or a problem; the unit's filers are told."""
    require_staff(actor)
    require_visible(Unit, actor, unit)
    require_visible(Project, actor, project)
    require_visible(Problem, actor, problem)
    title = require_text(title, "督办事项")
    requirement = require_text(requirement, "督办要求")
    # The issuing office's region (a superuser without a unit issues in the unit's region).
    region = actor.unit.region if actor.unit_id else unit.region
    Region.objects.select_for_update().get(pk=region.pk)  # serial numbers per region and year
    now = timezone.now()
    year = timezone.localdate(now).year
    last = SupervisionOrder.objects.filter(region=region, year=year).order_by("-serial").first()
    order = SupervisionOrder.objects.create(
        region=region,
        year=year,
        serial=(last.serial + 1) if last else 1,
        unit=unit,
        project=project,
        problem=problem,
        alert=alert,
        title=title,
        requirement=requirement,
        issued_by=actor,
        issued_at=now,
        **stage_dues(now, stage_days),
    )
    notify(
        unit_users([unit.pk]),
        event=f"supervision.order:{order.pk}:issued",
        title=f"督办单 {order.number}：{order.title}",
        body=f"请于{timezone.localtime(order.acknowledge_due):%Y-%m-%d %H:%M}前签收部署，"
        f"{timezone.localtime(order.report_due):%Y-%m-%d %H:%M}前报告办理结果。",
        url=f"/supervision/orders/{order.pk}/",
        channels=conf.escalation_channels(),
    )
    return order


def _locked_order(order) -> SupervisionOrder:
    return SupervisionOrder.objects.select_for_update().select_related("unit").get(pk=order.pk)


@transaction.atomic
def respond_to_order(order: SupervisionOrder, *, actor, stage: str, text: str) -> OrderResponse:
    """The unit answers the next stage of its 督办单 (签收部署, 反馈进展, 办理落实, 报告结果), in order."""
    order = _locked_order(order)
    require_unit_user(actor, order.unit_id, "答复督办单")
    if order.status == OrderStatus.CLOSED:
        raise InvalidTransition("督办单已办结销号，不能再答复。")
    try:
        stage = Stage(stage)
    except ValueError:
        raise DomainError(
            f"未知的督办阶段“{stage}”。", code=SupervisionErrorCode.INVALID_STAGE, field="stage"
        ) from None
    expected = order.next_stage()
    if stage != expected:
        raise InvalidTransition(
            f"当前应办理“{expected.label}”，不能直接“{stage.label}”。"
            if expected
            else "四个阶段均已答复，等待民生办销号。"
        )
    text = require_text(text, "办理情况")
    now = timezone.now()
    response = OrderResponse.objects.create(order=order, stage=stage, text=text, author=actor, created_at=now)
    setattr(order, STAGE_FIELDS[stage][1], now)
    order.status = STATUS_AFTER[stage]
    order.save(update_fields=[STAGE_FIELDS[stage][1], "status"])
    notify(
        [order.issued_by],
        event=f"supervision.order:{order.pk}:{stage}",
        title=f"{order.unit}已{stage.label}：{order.number}",
        body=text[:200],
        url=f"/admin/supervision/supervisionorder/{order.pk}/change/",
    )
    return response


@transaction.atomic
def close_order(order: SupervisionOrder, *, actor, note: str) -> SupervisionOrder:
    """Staff close (销号) an order once the unit has reported the result."""
    require_staff(actor)
    require_visible(SupervisionOrder, actor, order)
    order = _locked_order(order)
    if order.status != OrderStatus.REPORTED:
        raise InvalidTransition("承办单位报告办理结果后方可销号。")
    if actor.unit_id == order.unit_id:
        raise PermissionDenied("不能为本单位承办的督办单销号。")
    access.require("review", actor, order, message="不能为自己办理过的督办单销号。")
    order.status = OrderStatus.CLOSED
    order.closed_by = actor
    order.closed_at = timezone.now()
    order.closing_note = require_text(note, "办结意见")
    order.save(update_fields=["status", "closed_by", "closed_at", "closing_note"])
    notify(
        unit_users([order.unit_id]),
        event=f"supervision.order:{order.pk}:closed",
        title=f"督办单 {order.number} 已办结销号",
        body=order.closing_note[:200],
        url=f"/supervision/orders/{order.pk}/",
    )
    return order


def escalate_overdue_orders(now=None) -> list[int]:
    """Record each missed stage of an open 督办单 once (an Escalation, unique per order and stage), raise the
    order's escalation level and tell the unit and the issuer. Set-based; safe to run any number of times."""
    now = now or timezone.now()
    selects, params = [], []
    for stage, (due, done) in STAGE_FIELDS.items():
        selects.append(
            f"SELECT id, %s, {due} FROM supervision_supervisionorder"
            f" WHERE status <> %s AND {done} IS NULL AND {due} < %s"
        )
        params += [stage.value, OrderStatus.CLOSED, now]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO supervision_escalation (order_id, stage, due_at, escalated_at)
            SELECT c.*, %s FROM ({" UNION ALL ".join(selects)}) AS c
            WHERE true
            ON CONFLICT (order_id, stage) DO NOTHING
            RETURNING id
            """,
            [now, *params],
        )
        new_ids = [row[0] for row in cursor.fetchall()]
        if not new_ids:
            return []
        escalations = list(Escalation.objects.filter(pk__in=new_ids).select_related("order__issued_by"))
        orders = {e.order_id for e in escalations}
        counts = Escalation.objects.filter(order=OuterRef("pk")).values("order").annotate(n=Count("pk"))
        SupervisionOrder.objects.filter(pk__in=orders).update(escalation_level=Subquery(counts.values("n")))
        users_by_unit: dict[int | None, list[User]] = {}
        for user in unit_users({e.order.unit_id for e in escalations}):
            users_by_unit.setdefault(user.unit_id, []).append(user)
        for escalation in escalations:
            order = escalation.order
            notify(
                [*users_by_unit.get(order.unit_id, []), order.issued_by],
                event=f"supervision.escalation:{escalation.pk}",
                title=f"督办超期：{order.number}“{escalation.get_stage_display()}”未按时办理",
                body=f"{order.title}。时限为{timezone.localtime(escalation.due_at):%Y-%m-%d %H:%M}，"
                "请立即办理。",
                url=f"/supervision/orders/{order.pk}/",
                channels=conf.escalation_channels(),
            )
    return new_ids
