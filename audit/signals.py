"""What the security audit log listens to: minsheng.security_events and Django's login signals.

A failed write is logged (the server log keeps the event) and does not turn the user's request into a
500: a login or a 403 page must still answer when the log's database is briefly unavailable.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import request_finished
from django.db import DatabaseError
from django.dispatch import receiver

from minsheng.security_events import EventKind, Result, security_event

from . import services

logger = logging.getLogger(__name__)


def _record(kind, **kwargs) -> None:
    try:
        services.record(kind, **kwargs)
    except DatabaseError:
        logger.exception("安全审计日志写入失败：%s %s", kind, kwargs.get("target", ""))


@receiver(security_event, dispatch_uid="audit.security_event")
def on_security_event(
    sender, *, kind, request=None, user=None, target="", detail=None, result=Result.OK, **kw
):
    _record(kind, request=request, user=user, target=target, detail=detail, result=result)


@receiver(user_logged_in, dispatch_uid="audit.user_logged_in")
def on_logged_in(sender, *, request=None, user=None, **kwargs):
    _record(EventKind.LOGIN, request=request, user=user, target=f"user:{user.username}" if user else "")


@receiver(user_logged_out, dispatch_uid="audit.user_logged_out")
def on_logged_out(sender, *, request=None, user=None, **kwargs):
    if user is None:  # signing out without having signed in: nothing happened to any account
        return
    _record(EventKind.LOGOUT, request=request, user=user, target=f"user:{user.username}")


@receiver(user_login_failed, dispatch_uid="audit.user_login_failed")
def on_login_failed(sender, *, credentials=None, request=None, **kwargs):
    """The name tried (never the password, which Django has already masked), linked to the account when
    one has that name; the log is for auditors, the login page still says nothing about it."""
    User = get_user_model()
    tried = (credentials or {}).get(User.USERNAME_FIELD) or (credentials or {}).get("username") or ""
    tried = str(tried)
    account = (
        User.objects.filter(**{User.USERNAME_FIELD: tried}).first() if tried and "\x00" not in tried else None
    )
    _record(
        EventKind.LOGIN_FAILED,
        request=request,
        user=account,
        username=tried,
        target=f"user:{tried}"[:200],
        result=Result.FAILED,
    )


request_finished.connect(services.release_side_connection, dispatch_uid="audit.release_side_connection")
