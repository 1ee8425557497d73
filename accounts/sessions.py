"""Login sessions: recorded at sign-in, one per account by default, ended by timeouts, a newer sign-in or the
user; the previous sign-in's time and place for the last-login notice."""

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from minsheng.net import client_ip
from minsheng.security_events import EventKind, emit

from .models import LoginSession
from .passwords import password_set_at

# What the session itself carries (read on every request without a query): when it began, when it was last
# used, its LoginSession row, and when the password was set (expiry).
STARTED = "minsheng_login_at"
SEEN = "minsheng_seen_at"
RECORD = "minsheng_login_session"
PASSWORD_SET = "minsheng_password_set_at"
# last_seen is written at most this often (seconds): the idle timeout needs minutes, not every request.
TOUCH_EVERY = 60
# Ended sessions kept per account (the list shows the active ones; the audit log keeps the rest).
KEEP_ENDED = 20


class EndReason:
    NEW_LOGIN = "new_login"
    BY_USER = "by_user"
    IDLE = "idle"
    LIFETIME = "lifetime"
    LOGOUT = "logout"


END_REASON_LABELS = {
    EndReason.NEW_LOGIN: "账号在别处登录",
    EndReason.BY_USER: "用户结束",
    EndReason.IDLE: "长时间未操作",
    EndReason.LIFETIME: "超过最长登录时间",
    EndReason.LOGOUT: "退出登录",
}


def _store(session_key: str) -> SessionBase:
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key=session_key)


def login_notice(previous: LoginSession) -> str:
    """上次登录：2026年12月3日 09:12，来自 10.1.2.3"""
    at = timezone.localtime(previous.created)
    return f"上次登录：{at.year}年{at.month}月{at.day}日 {at:%H:%M}，来自 {previous.ip or '未知地址'}"


@transaction.atomic
def start_session(request, user) -> LoginSession:
    """On a successful sign-in: record the session, end the account's others (unless several are allowed)
    and leave the last-login notice for the next page."""
    now = timezone.now()
    previous = LoginSession.objects.filter(user=user).order_by("-created", "-pk").first()
    session = request.session
    record = LoginSession.objects.create(
        user=user,
        session_key=session.session_key or "",
        ip=client_ip(request)[:64],
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        created=now,
        last_seen=now,
    )
    session[STARTED] = session[SEEN] = now.timestamp()
    session[RECORD] = record.pk
    # Read here, once, so the expiry check on every request costs no query.
    set_at = password_set_at(user) if user.has_usable_password() else None
    session[PASSWORD_SET] = set_at.timestamp() if set_at else None
    others = LoginSession.objects.active().filter(user=user).exclude(pk=record.pk)
    # Signing in again within the same session (Django keeps the key for the same user): the earlier record
    # is superseded, its session is the one in use.
    others.filter(session_key=record.session_key).update(ended=now, end_reason=EndReason.NEW_LOGIN)
    if not settings.MINSHENG_SESSION_ALLOW_MULTIPLE:
        for other in others.exclude(session_key=record.session_key).select_for_update():
            end_session(other, reason=EndReason.NEW_LOGIN, request=request)
    ended = LoginSession.objects.filter(user=user, ended__isnull=False).values_list("pk", flat=True)
    LoginSession.objects.filter(pk__in=list(ended[KEEP_ENDED:])).delete()
    if previous is not None:
        messages.info(request, login_notice(previous), fail_silently=True)
    return record


def end_session(record: LoginSession, *, reason: str, request=None, emit_event: bool = True) -> None:
    """End one login session: its server-side session is deleted (the browser holding it is signed out on
    its next request) and SESSION_ENDED is recorded."""
    if record.session_key:
        _store(record.session_key).delete()
    record.ended = timezone.now()
    record.end_reason = reason
    record.save(update_fields=["ended", "end_reason"])
    if emit_event:
        emit(
            EventKind.SESSION_ENDED,
            request=request,
            user=record.user,
            target=f"session:{record.pk}",
            detail={"reason": reason, "ip": record.ip, "started": record.created.isoformat()},
        )


def close_current(request, *, reason: str) -> None:
    """Mark the request's own login session ended (its session is flushed by the caller)."""
    pk = request.session.get(RECORD)
    if pk is None:
        return
    record = LoginSession.objects.filter(pk=pk, ended__isnull=True).select_related("user").first()
    if record is None:
        return
    record.session_key = ""  # the caller flushes it
    end_session(record, reason=reason, request=request, emit_event=reason != EndReason.LOGOUT)


def touch(request, now: float) -> None:
    """Note activity on the request's session (at most every TOUCH_EVERY seconds)."""
    session = request.session
    if now - session.get(SEEN, 0) < TOUCH_EVERY:
        return
    session[SEEN] = now
    pk = session.get(RECORD)
    if pk is not None:
        LoginSession.objects.filter(pk=pk).update(last_seen=timezone.now())
