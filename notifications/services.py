"""Notify users of an event: record it once per user and event, deliver on commit through the channels."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .channels import get_channel
from .choices import Channel, DeliveryStatus
from .models import Delivery, Notification

ALL_CHANNELS = (Channel.INAPP, Channel.EMAIL, Channel.SMS)
BATCH = 200


def _users(users) -> list:
    """Distinct active users from an iterable of users (or a queryset), keeping their order."""
    seen, result = set(), []
    User = get_user_model()
    for user in users.filter(is_active=True) if hasattr(users, "filter") else users:
        if user is None or user.pk in seen or not getattr(user, "is_active", True):
            continue
        if not isinstance(user, User):
            raise TypeError("notify() takes users, not ids")
        seen.add(user.pk)
        result.append(user)
    return result


def _create_once(new: list[Notification]) -> list[Notification]:
    """Insert the notifications; one that another transaction recorded meanwhile is skipped."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(new)
    except IntegrityError:
        created = []
        for notification in new:
            try:
                with transaction.atomic():
                    notification.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(notification)
        return created


def notify(
    users: Iterable,
    *,
    event: str,
    title: str,
    body: str = "",
    url: str = "",
    channels: Iterable[str] = ALL_CHANNELS,
) -> list[Notification]:
    """Tell each user about `event` once: in-app at once, by e-mail and SMS after the transaction commits.

    Call it inside the transaction of the change it reports: if that rolls back, nothing is recorded or sent.
    A second call for the same (user, event) records and sends nothing. Returns the notifications created.
    """
    if not event:
        raise ValueError("notify() needs an event key")
    channels = list(dict.fromkeys([Channel.INAPP, *channels]))
    handlers = {name: get_channel(name) for name in channels}
    with transaction.atomic():
        recipients = _users(users)
        if not recipients:
            return []
        already = set(
            Notification.objects.filter(event=event, user__in=[u.pk for u in recipients]).values_list(
                "user_id", flat=True
            )
        )
        by_id = {u.pk: u for u in recipients if u.pk not in already}
        created = _create_once(
            [
                Notification(user=user, event=event[:200], title=title[:200], body=body, url=url)
                for user in by_id.values()
            ]
        )
        if not created:
            return []
        now = timezone.now()
        deliveries = []
        for notification in created:
            for name, handler in handlers.items():
                address = handler.address(by_id[notification.user_id])
                if handler.immediate:
                    status, sent_at, error = DeliveryStatus.SENT, now, ""
                elif address:
                    status, sent_at, error = DeliveryStatus.PENDING, None, ""
                else:
                    status, sent_at, error = DeliveryStatus.SKIPPED, None, "接收人未登记该渠道的联系方式。"
                deliveries.append(
                    Delivery(
                        notification=notification,
                        channel=name,
                        status=status,
                        sent_at=sent_at,
                        error=error,
                        attempts=1 if handler.immediate else 0,
                    )
                )
        Delivery.objects.bulk_create(deliveries)
        pending = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
        if pending:
            transaction.on_commit(lambda: _queue(pending))
    return created


def _queue(delivery_ids: list[int]) -> None:
    from minsheng.queue import QueueUnavailable, enqueue

    from .tasks import deliver_notifications_task

    for start in range(0, len(delivery_ids), BATCH):
        batch = delivery_ids[start : start + BATCH]
        try:
            enqueue(deliver_notifications_task, batch)
        except QueueUnavailable:
            # Redis down after the user's action committed: the action stands (no 500), the messages are
            # marked failed with the reason, and the admin's "重新发送" queues them again later.
            Delivery.objects.filter(pk__in=batch, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.FAILED,
                error="后台任务队列（Redis）无法连接，未发送；可在后台重新发送。",
            )


def deliver(delivery_ids: Iterable[int]) -> dict:
    """Send pending deliveries once each; a delivery already sent (or taken by another worker) is left.

    Each delivery is sent and marked in its own transaction, so a failure on one does not undo another.
    """
    counts = {"sent": 0, "failed": 0}
    handlers: dict = {}
    for delivery_id in delivery_ids:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("notification__user")
                .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
                .first()
            )
            if delivery is None:
                continue
            handler = handlers.setdefault(delivery.channel, get_channel(delivery.channel))
            delivery.attempts += 1
            try:
                address = handler.address(delivery.notification.user)
                if not address:
                    raise ValueError("接收人未登记该渠道的联系方式。")
                handler.send(delivery.notification, address)
            except Exception as exc:  # noqa: BLE001 - any channel failure is logged on the delivery
                delivery.status = DeliveryStatus.FAILED
                delivery.error = f"{type(exc).__name__}: {exc}"[:2000]
                counts["failed"] += 1
            else:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = timezone.now()
                delivery.error = ""
                counts["sent"] += 1
            delivery.save(update_fields=["status", "sent_at", "error", "attempts"])
    return counts


@transaction.atomic
def retry_deliveries(deliveries) -> int:
    """Put failed deliveries back in the queue (admin action); returns how many."""
    ids = list(deliveries.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING, error="")
    if ids:
        transaction.on_commit(lambda: _queue(ids))
    return len(ids)


def mark_read(user, notifications=None) -> int:
    """Mark the user's own notifications (all unread ones when none are given) as read."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if notifications is not None:
        queryset = queryset.filter(pk__in=[getattr(n, "pk", n) for n in notifications])
    return queryset.update(read_at=timezone.now())
