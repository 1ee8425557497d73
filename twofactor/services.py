"""The second factor: who must use it, enrolment, verification (TOTP, recovery codes, SMS) and reset."""

import re

from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng import sms
from minsheng.security_events import EventKind, Result, emit
from org import access

from .models import SmsDevice

RECOVERY_CODES = 10
# Wrong codes in one session before it is signed out (django-otp's throttling slows each device meanwhile).
MAX_FAILURES = 5
FAILURES_KEY = "twofactor_failures"
SMS_VALID_SECONDS = 300
SMS_SENDS_PER_WINDOW = 3
SMS_WINDOW_SECONDS = 600
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
SMS_NAME = "短信验证码"


class SecondFactorError(Exception):
    """A step refused, with the Chinese message the user reads and the HTTP status of the page."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# Whether a signed-in account must pass the second factor (the access policy decides, from the roles listed
# in MINSHENG_OTP_REQUIRED_ROLES).
required_for = access.needs_second_factor


def sms_enabled() -> bool:
    return bool(settings.MINSHENG_OTP_SMS)


def is_enrolled(user) -> bool:
    """Has a confirmed authenticator (recovery codes and SMS are fallbacks, not an enrolment)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (its key is shown until a code confirms it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODES fresh ones, each good once; returned to be
    shown once (only their rows remain)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _clean(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


def _complete(request, device: Device, method: str) -> None:
    otp_login(request, device)
    request.session.pop(FAILURES_KEY, None)
    emit(
        EventKind.OTP_VERIFIED,
        request=request,
        target=f"user:{request.user.username}",
        detail={"method": method},
    )


def _wait_message(locked_until) -> str:
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return f"尝试过于频繁，请在 {seconds} 秒后再试。"


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the pending authenticator with a code from the app; the session is verified with it and the
    recovery codes (to show once) are returned."""
    token = _clean(token)
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise SecondFactorError(_wait_message(data["locked_until"]), status=429)
    if not token.isdigit() or not device.verify_token(token):
        raise SecondFactorError("验证码不正确，请核对手机上身份验证器显示的 6 位数字后重试。")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = new_recovery_codes(device.user)
    emit(EventKind.OTP_ENROLLED, request=request, target=f"user:{device.user.username}")
    _complete(request, device, "totp")
    return codes


def _candidates(user, token: str):
    """The devices a token can belong to: six digits are an authenticator's or an SMS code, anything else a
    recovery code."""
    kinds = (TOTPDevice, SmsDevice) if token.isdigit() and len(token) == 6 else (StaticDevice,)
    return [d for d in devices_for_user(user, for_verify=True) if isinstance(d, kinds)]


METHODS = {TOTPDevice: "totp", SmsDevice: "sms", StaticDevice: "recovery"}


def verify(request, token: str) -> Device:
    """Check a code of the signed-in user against their devices; the session is verified on success.

    A wrong code raises SecondFactorError; the MAX_FAILURES-th wrong code of a session signs it out (the error
    then has status 401). A device still cooling down after wrong codes (django-otp's throttling) is refused
    with how long to wait, without counting.
    """
    user = request.user
    token = _clean(token)
    if not token:
        raise SecondFactorError("请输入验证码。")
    waits = []
    with transaction.atomic():
        for device in _candidates(user, token):
            allowed, data = device.verify_is_allowed()
            if not allowed:
                if data and data.get("locked_until"):
                    waits.append(data["locked_until"])
                continue
            if device.verify_token(token):
                break
        else:
            device = None
    if device is not None:
        _complete(request, device, METHODS[type(device)])
        return device
    if waits:
        raise SecondFactorError(_wait_message(min(waits)), status=429)
    failures = request.session.get(FAILURES_KEY, 0) + 1
    request.session[FAILURES_KEY] = failures
    emit(
        EventKind.OTP_FAILED,
        request=request,
        target=f"user:{user.username}",
        detail={"failures": failures},
        result=Result.FAILED,
    )
    if failures >= MAX_FAILURES:
        logout(request)
        raise SecondFactorError("验证码错误次数过多，已退出登录，请重新登录。", status=401)
    raise SecondFactorError(f"验证码不正确，还可以再试 {MAX_FAILURES - failures} 次。")


def send_sms_code(request) -> str:
    """Send a code valid SMS_VALID_SECONDS to the signed-in user's phone; the masked phone it went to.

    At most SMS_SENDS_PER_WINDOW sends per user per SMS_WINDOW_SECONDS (status 429 beyond)."""
    user = request.user
    if not sms_enabled():
        raise SecondFactorError("本系统未开通短信验证码，请使用身份验证器或恢复码。", status=404)
    if not user.phone:
        raise SecondFactorError("您的账号未登记手机号，无法接收短信验证码，请使用身份验证器或恢复码。")
    key = f"twofactor:sms:{user.pk}"
    cache.add(key, 0, SMS_WINDOW_SECONDS)
    if cache.incr(key) > SMS_SENDS_PER_WINDOW:
        raise SecondFactorError("短信验证码发送过于频繁，请 10 分钟后再试。", status=429)
    device, _ = SmsDevice.objects.get_or_create(user=user, defaults={"name": SMS_NAME, "confirmed": True})
    device.generate_token(valid_secs=SMS_VALID_SECONDS)
    minutes = SMS_VALID_SECONDS // 60
    text = (
        f"【民生实事管理系统】您的登录验证码为 {device.token}，{minutes} 分钟内有效。"
        "如非本人操作，请忽略并联系本级民生办。"
    )
    sms.send_sms(user.phone, text)  # now: the code is saved (no transaction around this step to wait for)
    return sms.masked(user.phone)


def reset_second_factor(user, *, actor, request=None) -> int:
    """Remove every second-factor device of `user` (security administrators only): their sessions lose the
    verification, and they enrol again at their next sign-in. The number of devices removed."""
    access.require("manage_security", actor, message="只有安全管理员可以重置双因素认证。")
    with transaction.atomic():
        removed = 0
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
            removed += 1
    emit(
        EventKind.OTP_RESET,
        request=request,
        user=actor,
        target=f"user:{user.username}",
        detail={"devices": removed},
    )
    return removed
