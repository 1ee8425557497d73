"""督办单: staged deadlines ("13710"), the unit's answers in order, escalation of missed stages (once, with
notifications), closure by staff; with controlled time."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from notifications.models import Notification
from supervision import services
from supervision.choices import OrderStatus, Stage
from supervision.models import Escalation, OrderResponse, SupervisionOrder
from supervision.tasks import escalate_orders_task

ISSUED = datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def order(org, make_project, time_machine):
    time_machine.move_to(ISSUED, tick=False)
    project = make_project("01", year=2026, targets={"指标": 100})
    return services.issue_order(
        actor=org.staff, unit=org.hrss, project=project, title="加快进度", requirement="一周内赶上序时进度"
    )


def at(days, hours=0):
    return ISSUED + datetime.timedelta(days=days, hours=hours)


@pytest.mark.django_db
def test_an_order_gets_the_13710_deadlines_and_a_number(order, org):
    assert (order.acknowledge_due, order.feedback_due, order.settle_due, order.report_due) == (
        at(1),
        at(3),
        at(7),
        at(10),
    )
    assert order.number == "督办〔2026〕1号"
    assert order.region == org.city
    assert order.status == OrderStatus.ISSUED
    second = services.issue_order(actor=org.staff, unit=org.edu, title="另一事项", requirement="办理")
    assert second.serial == 2
    # The unit's filer hears of it.
    assert Notification.objects.filter(user=org.filer, event=f"supervision.order:{order.pk}:issued").exists()


@pytest.mark.django_db
def test_stage_days_are_configurable_in_settings_and_per_order(org, settings, time_machine):
    time_machine.move_to(ISSUED, tick=False)
    settings.SUPERVISION_ORDER_STAGE_DAYS = {"acknowledge": 2, "feedback": 5, "settle": 10, "report": 15}
    order = services.issue_order(actor=org.staff, unit=org.hrss, title="事项", requirement="要求")
    assert order.report_due == at(15)
    assert order.acknowledge_due == at(2)
    own = services.issue_order(
        actor=org.staff, unit=org.hrss, title="事项", requirement="要求", stage_days={"report": 20}
    )
    assert own.report_due == at(20)
    assert own.settle_due == at(10)
    with pytest.raises(DomainError, match="依次不小于"):
        services.issue_order(
            actor=org.staff, unit=org.hrss, title="事项", requirement="要求", stage_days={"feedback": 1}
        )
    assert SupervisionOrder.objects.count() == 2


@pytest.mark.django_db
def test_only_staff_issue_orders_and_only_within_their_region(org):
    for user in (org.leader, org.auditor, org.filer):
        with pytest.raises(PermissionDenied):
            services.issue_order(actor=user, unit=org.hrss, title="事项", requirement="要求")
    with pytest.raises(PermissionDenied):
        services.issue_order(actor=org.county_staff, unit=org.hrss, title="事项", requirement="要求")
    with pytest.raises(PermissionDenied):
        services.issue_order(actor=org.staff, unit=org.jinan_office, title="事项", requirement="要求")
    assert not SupervisionOrder.objects.exists()


@pytest.mark.django_db
def test_the_unit_answers_the_stages_in_order_and_staff_close(order, org, time_machine):
    with pytest.raises(InvalidTransition, match="签收部署"):
        services.respond_to_order(order, actor=org.filer, stage=Stage.FEEDBACK, text="已部署")
    with pytest.raises(PermissionDenied):
        services.respond_to_order(order, actor=org.staff, stage=Stage.ACKNOWLEDGE, text="代签")
    with pytest.raises(InvalidTransition, match="报告办理结果后"):
        services.close_order(order, actor=org.staff, note="办结")
    for days, stage in ((0.5, Stage.ACKNOWLEDGE), (2, Stage.FEEDBACK), (6, Stage.SETTLE), (9, Stage.REPORT)):
        time_machine.move_to(at(days), tick=False)
        services.respond_to_order(order, actor=org.filer, stage=stage, text=f"{stage.label}情况")
    order.refresh_from_db()
    assert order.status == OrderStatus.REPORTED
    assert order.acknowledged_at == at(0.5)
    assert order.reported_at == at(9)
    assert OrderResponse.objects.filter(order=order).count() == 4
    with pytest.raises(InvalidTransition, match="四个阶段均已答复"):
        services.respond_to_order(order, actor=org.filer, stage=Stage.REPORT, text="再报")
    with pytest.raises(PermissionDenied):
        services.close_order(order, actor=org.leader, note="办结")
    services.close_order(order, actor=org.staff, note="整改到位，同意销号")
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert order.closed_by == org.staff
    with pytest.raises(InvalidTransition):
        services.respond_to_order(order, actor=org.filer, stage=Stage.REPORT, text="再报")
    # Every stage met its deadline: the escalation task finds nothing even much later.
    time_machine.move_to(at(30), tick=False)
    assert services.escalate_overdue_orders() == []


@pytest.mark.django_db
def test_a_missed_stage_is_escalated_once_and_notified(order, org, time_machine):
    time_machine.move_to(at(1, -1), tick=False)
    assert escalate_orders_task.delay().get() == 0  # not yet due
    time_machine.move_to(at(1, 1), tick=False)
    assert escalate_orders_task.delay().get() == 1
    assert escalate_orders_task.delay().get() == 0  # twice: nothing new
    escalation = Escalation.objects.get()
    assert (escalation.stage, escalation.due_at) == (Stage.ACKNOWLEDGE, at(1))
    order.refresh_from_db()
    assert order.escalation_level == 1
    event = f"supervision.escalation:{escalation.pk}"
    assert set(Notification.objects.filter(event=event).values_list("user__username", flat=True)) == {
        "filer",
        "staff",
    }

    # Acknowledged late; the feedback deadline (day 3) is then missed too.
    services.respond_to_order(order, actor=org.filer, stage=Stage.ACKNOWLEDGE, text="已签收")
    time_machine.move_to(at(3, 1), tick=False)
    assert escalate_orders_task.delay().get() == 1
    # At day 11 the settle and report stages are both missed.
    time_machine.move_to(at(11), tick=False)
    assert escalate_orders_task.delay().get() == 2
    order.refresh_from_db()
    assert order.escalation_level == 4
    assert Notification.objects.filter(event__startswith="supervision.escalation:").count() == 8
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(order=order, stage=Stage.REPORT, due_at=at(10), escalated_at=at(11))


@pytest.mark.django_db
def test_closed_orders_are_not_escalated(order, org, time_machine):
    SupervisionOrder.objects.filter(pk=order.pk).update(status=OrderStatus.CLOSED, closed_at=at(0))
    time_machine.move_to(at(20), tick=False)
    assert services.escalate_overdue_orders() == []


@pytest.mark.django_db
@pytest.mark.parametrize("days", [10**9, 366, "abc", 10**30])
def test_stage_days_beyond_a_year_or_not_a_number_are_refused_not_a_crash(org, days):
    with pytest.raises(DomainError) as refused:
        services.issue_order(
            actor=org.staff, unit=org.hrss, title="事项", requirement="要求", stage_days={"report": days}
        )
    assert refused.value.code == "invalid_stage_days"
    assert SupervisionOrder.objects.count() == 0


@pytest.mark.django_db
def test_a_year_is_the_longest_stage(org):
    order = services.issue_order(
        actor=org.staff, unit=org.hrss, title="事项", requirement="要求", stage_days={"report": 365}
    )
    assert order.report_due - order.issued_at == datetime.timedelta(days=365)
