"""Delivery channels: in-app (the Notification row itself), e-mail (Django's mail backends), SMS
(minsheng.sms). A deployment swaps or adds one through settings.NOTIFICATION_CHANNELS
({"email": "dotted.path.Class", ...}); a channel is a class with `address(user)` and `send(...)`."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from minsheng.sms import send_sms

from .choices import Channel

SMS_MAX_CHARS = 200


def absolute_url(url: str) -> str:
    """Links in e-mail and SMS need the site's address (settings.MINSHENG_SITE_URL) before a path."""
    if not url or "://" in url:
        return url
    return getattr(settings, "MINSHENG_SITE_URL", "").rstrip("/") + url


class BaseChannel:
    """Delivers a notification to one user; raises to report a failure (logged on the Delivery)."""

    name = ""
    # In-app delivery is done by recording the notification; no worker is needed.
    immediate = False

    def address(self, user) -> str:
        """Where to deliver for this user; empty when the user has no such address."""
        raise NotImplementedError

    def send(self, notification, address: str) -> None:
        raise NotImplementedError


class InAppChannel(BaseChannel):
    name = Channel.INAPP
    immediate = True

    def address(self, user):
        return "inbox"

    def send(self, notification, address):
        return None


class EmailChannel(BaseChannel):
    name = Channel.EMAIL

    def address(self, user):
        return (user.email or "").strip()

    def send(self, notification, address):
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{absolute_url(notification.url)}".strip()
        send_mail(
            f"【民生实事】{notification.title}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=False,
        )


class SmsChannel(BaseChannel):
    name = Channel.SMS

    def address(self, user):
        return (getattr(user, "phone", "") or "").strip()

    def send(self, notification, address):
        text = f"【民生实事】{notification.title}"
        if notification.body:
            text = f"{text}：{notification.body}"
        if len(text) > SMS_MAX_CHARS:
            text = text[: SMS_MAX_CHARS - 1] + "…"
        if send_sms(address, text) < 1:
            raise RuntimeError("短信网关未接受该消息。")


DEFAULT_CHANNELS: dict[str, type[BaseChannel]] = {
    Channel.INAPP: InAppChannel,
    Channel.EMAIL: EmailChannel,
    Channel.SMS: SmsChannel,
}


def get_channel(name: str) -> BaseChannel:
    configured = getattr(settings, "NOTIFICATION_CHANNELS", {}) or {}
    if name in configured:
        return import_string(configured[name])()
    if name not in DEFAULT_CHANNELS:
        raise ValueError(f"Unknown notification channel {name!r}")
    return DEFAULT_CHANNELS[name]()
