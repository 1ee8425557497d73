"""The answer to a locked-out login, and the LOCKOUT / UNLOCK security events.

The same words whether the account name exists or not, and whether the password was right: the page tells
a guesser nothing about which accounts there are.
"""

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.shortcuts import render

from minsheng.net import client_ip
from minsheng.security_events import EventKind, Result, emit

from .errors import AccountsErrorCode

API_PREFIX = "/api/"


def client_address(request) -> str | None:
    """settings.AXES_CLIENT_IP_CALLABLE: minsheng.net.client_ip (the forwarded address only from trusted
    proxies), or None for a request without one (the test client's login(): axes stores addresses in an
    IP address column)."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def lockout_message(request=None) -> str:
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    wait = f"请 {minutes} 分钟后再试，" if minutes else "请"
    return f"登录失败次数过多，已暂时锁定。{wait}或联系安全管理员解除锁定。"


def lockout_response(request, original_response=None, credentials=None):
    """settings.AXES_LOCKOUT_CALLABLE: 429 with a Chinese page, or {code, detail} on the API."""
    message = lockout_message(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"code": AccountsErrorCode.LOCKED_OUT.value, "detail": message}, status=429)
    return render(request, "accounts/lockout.html", {"message": message}, status=429)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """axes' user_locked_out, as LOCKOUT: once, when the failure that reaches the limit is counted.

    axes sends the signal again for every attempt refused during the lockout; those attempts are not
    counted (request.axes_failures_since_start stays None) and are login failures, not new lockouts.
    """
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    failures = request.axes_failures_since_start
    # DRF basic auth passes its own Request, whose .user would start authenticating again: the Django request
    # underneath carries the same address and agent.
    request = getattr(request, "_request", request)
    emit(
        EventKind.LOCKOUT,
        request=request,
        target=f"user:{username or ''}",
        detail={
            "username": username or "",
            "ip": ip_address or "",
            "failures": failures,
        },
        result=Result.REFUSED,
    )


def unlock(attempts, *, request) -> int:
    """Delete the failure counters `attempts` (an AccessAttempt queryset), ending their lockouts; one UNLOCK
    event per counter."""
    count = 0
    for attempt in list(attempts):
        emit(
            EventKind.UNLOCK,
            request=request,
            target=f"user:{attempt.username or ''}",
            detail={"username": attempt.username or "", "ip": attempt.ip_address or ""},
        )
        attempt.delete()
        count += 1
    return count


def is_locked(request, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})
