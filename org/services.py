"""Account administration under 三员分立: the 安全管理员 gives roles and (de)activates accounts, the
console makes the three administrators' accounts; every change of an account's powers is a security
event (ROLE_CHANGED) with the powers before and after."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from minsheng.errors import PermissionDenied
from minsheng.security_events import EventKind, emit

from . import access
from .models import User

# What decides what an account may do: its role, the unit (and so the region) it works for, whether it may
# sign in at all, and the break-glass flag.
POWER_FIELDS = ("role", "unit", "is_active", access.BREAK_GLASS_FIELD)


def powers(account: User) -> dict:
    """The account's powers as JSON values (the unit by id and name), to compare before and after."""
    values = {name: getattr(account, name) for name in POWER_FIELDS if name != "unit"}
    values["unit"] = str(account.unit) if account.unit_id else None
    values["unit_id"] = account.unit_id
    return values


def record_power_change(account: User, before: dict, *, actor, request=None) -> bool:
    """Emit ROLE_CHANGED (on commit) when the account's powers differ from `before`; whether they did."""
    after = powers(account)
    changed = sorted(name for name in after if before.get(name) != after[name])
    if not changed:
        return False
    detail = {
        "changed": changed,
        "before": {name: before.get(name) for name in changed},
        "after": {name: after[name] for name in changed},
    }
    target = f"user:{account.username}"
    transaction.on_commit(
        lambda: emit(
            EventKind.ROLE_CHANGED, request=request, user=access.as_user(actor), target=target, detail=detail
        )
    )
    return True


def set_powers(account: User, *, role: str, is_active: bool, actor, request=None) -> User:
    """安全管理员: give a business account its role, activate or deactivate any account but one's own.

    An administrator's role (and a superuser's) is set on the console only (`create_administrator`): the
    web never makes anyone one of the three."""
    access.require("manage_security", actor, message="只有安全管理员可以分配角色或启用、停用账号。")
    with transaction.atomic():
        account = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=account.pk)
        if account.pk == getattr(actor, "pk", None):
            raise PermissionDenied("不能更改自己账号的角色或启用状态，请由另一位安全管理员办理。")
        if role != account.role:
            if access.is_administrator_account(account) or access.is_administrator_role(role):
                raise PermissionDenied(
                    "管理员账号的角色只能在服务器控制台上设置（manage.py create_administrator）。"
                )
            if role not in dict(access.grantable_roles()) and role != "":
                raise ValidationError({"role": "请选择有效的角色。"})
        before = powers(account)
        account.role = role
        account.is_active = is_active
        account.clean()
        account.save(update_fields=["role", "is_active", "is_staff"])
        record_power_change(account, before, actor=actor, request=request)
    return account


def create_administrator(
    username: str, *, role: str, password: str, first_name: str = "", actor=access.SYSTEM
) -> User:
    """The console's act (`manage.py create_administrator`): an account for one of the three administrators,
    with no unit and no other power. Refuses a username that exists: an account never becomes an
    administrator after the fact (it would carry what it had)."""
    if not access.is_administrator_role(role):
        raise ValidationError({"role": "只能创建系统管理员、安全管理员或审计管理员账号。"})
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError({"username": f"用户名 {username} 已存在。"})
        account = User(username=username, first_name=first_name, is_active=True)
        before = powers(account)
        before["role"] = None  # a new account: every power is a change
        access.make_administrator(account, role)
        password_validation.validate_password(password, account)
        account.set_password(password)
        account.full_clean()
        account.save()
        record_power_change(account, before, actor=actor)
    return account
