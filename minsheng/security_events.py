"""Security events: what the security audit log records (等保 2.0: logins, refusals, exports, changes).

Code that sees an event calls `emit(kind, ...)`; the audit app listens (its receiver writes the append-only,
hash-chained record), so a module that raises an event does not depend on how it is kept.
"""

from django.db import models
from django.dispatch import Signal


class EventKind(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    OTP_VERIFIED = "otp_verified", "双因素验证通过"
    OTP_FAILED = "otp_failed", "双因素验证失败"
    OTP_ENROLLED = "otp_enrolled", "绑定双因素"
    OTP_RESET = "otp_reset", "重置双因素"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    SESSION_ENDED = "session_ended", "结束会话"
    REFUSED = "refused", "越权访问被拒绝"
    EXPORT = "export", "导出数据"
    DOWNLOAD = "download", "下载文件"
    ROLE_CHANGED = "role_changed", "角色或权限变更"
    SETTINGS_CHANGED = "settings_changed", "安全设置变更"


class Result(models.TextChoices):
    OK = "ok", "成功"
    FAILED = "failed", "失败"
    REFUSED = "refused", "拒绝"


# Sent with sender=EventKind, and kwargs: request (or None), user (or None), target (str), detail (dict of
# JSON values), result (Result).
security_event = Signal()


def emit(
    kind: EventKind,
    *,
    request=None,
    user=None,
    target: str = "",
    detail: dict | None = None,
    result: Result = Result.OK,
) -> None:
    """Record a security event. `user` defaults to the request's signed-in user; `target` names what was
    acted on ("bulletin:12", "user:alice"); `detail` holds JSON-able facts (file name, rows, reason)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    security_event.send(
        sender=kind, kind=kind, request=request, user=user, target=target, detail=detail or {}, result=result
    )
