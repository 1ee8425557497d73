"""Helpers shared by supervision's workflow steps: notifications, the users of a unit, permission checks."""

from minsheng.errors import CommonErrorCode, DomainError, PermissionDenied
from org import access
from org.models import User


def notify(users, *, event: str, title: str, body: str = "", url: str = "", channels=("inapp",)):
    """Send through the notifications app (one notification per user and event, sent on commit)."""
    from notifications.services import notify as send

    users = list(users)
    if users:
        send(users, event=event, title=title, body=body, url=url, channels=tuple(channels))


def unit_users(unit_ids) -> list[User]:
    """The active filers of the given units: the people who answer for a unit."""
    return list(access.unit_filers(unit_ids))


def require_staff(actor) -> None:
    access.require("edit", actor, message="只有民生办工作人员可以执行此操作。")


def require_visible(model, actor, obj) -> None:
    if obj is None:
        return
    access.require("see", actor, obj, message=f"{model._meta.verbose_name}“{obj}”不在您的管理范围内。")


def require_unit_user(actor, unit_id: int, what: str) -> None:
    if not (access.is_filer(actor) and access.in_unit(actor, unit_id)):
        raise PermissionDenied(f"只有承办单位的工作人员可以{what}。")


def require_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"请填写{label}。", code=CommonErrorCode.REQUIRED, field=label)
    return value
