"""Notifications to users (one per user and event) and the log of their delivery on each channel."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from org.access import Reach, RestrictedQuerySet

from .choices import Channel, DeliveryStatus


class NotificationQuerySet(RestrictedQuerySet):
    # Everyone reads their own inbox; a system administrator sees every notification.
    reach = Reach(owner="user")

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user about one event; the (user, event) key makes sending it twice impossible."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(
        "事件",
        max_length=200,
        help_text="事件键，如 filing:reminder:12:2026-05:before；同一接收人同一事件只通知一次。",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_user_event"),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryQuerySet(RestrictedQuerySet):
    reach = Reach(via="notification")


class Delivery(models.Model):
    """One attempt to deliver a notification on one channel, with its outcome (the delivery log)."""

    notification = models.ForeignKey(
        Notification, verbose_name="消息", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    error = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["notification", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="delivery_pending", condition=Q(status="pending")),
        ]

    def __str__(self):
        return f"{self.notification} · {self.get_channel_display()}"
