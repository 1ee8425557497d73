"""The second step after the password (/login/verify/), the SMS fallback, and enrolment (/account/2fa/)."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from workbench.navigation import home_url

from . import services
from .forms import CodeForm


def _next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure())
    return url if safe else home_url(request.user)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _verify_page(request, form, *, status=200, alert=""):
    context = {
        "form": form,
        "alert": alert,
        "next": _next(request),
        "sms": services.sms_enabled() and bool(request.user.phone),
        "nav": "",
    }
    return render(request, "twofactor/verify.html", context, status=status)


@never_cache
@login_required
def verify(request):
    """The second step: a code from the authenticator, a recovery code or (when switched on) an SMS code."""
    next_url = _next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not services.is_enrolled(request.user):
        return redirect(_with_next("twofactor:enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify(request, form.cleaned_data["code"])
        except services.SecondFactorError as exc:
            if exc.status == 401:  # signed out after too many wrong codes
                messages.error(request, exc.message)
                return redirect(_with_next("login", next_url))
            form.add_error("code", exc.message)
            return _verify_page(request, form, status=exc.status)
        return redirect(next_url)
    return _verify_page(request, form)


@never_cache
@login_required
@require_POST
def send_sms(request):
    """发送短信验证码: a code to the user's phone, then back to the second step (429 when sent too often)."""
    if request.user.is_verified():
        return redirect(_next(request))
    try:
        phone = services.send_sms_code(request)
    except services.SecondFactorError as exc:
        return _verify_page(request, CodeForm(), status=exc.status, alert=exc.message)
    messages.success(request, f"短信验证码已发送至 {phone}，5 分钟内有效。")
    return redirect(_with_next("twofactor:verify", _next(request)))


def _qr_svg(url: str) -> str:
    # segno's inline SVG carries presentation attributes only (no style, no script): CSP-safe.
    return segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _recovery_page(request, codes, next_url):
    response = render(request, "twofactor/recovery.html", {"codes": codes, "next": next_url, "nav": ""})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def enrol(request):
    """Enrolment: the authenticator's QR code and key, one code to confirm it, then the recovery codes
    (shown once). An enrolled user sees the state of their second factor here once verified."""
    user = request.user
    next_url = _next(request)
    if services.is_enrolled(user):
        if not user.is_verified():  # re-enrolling takes the second factor first
            return redirect(_with_next("twofactor:verify", next_url))
        context = {
            "device": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
            "recovery_left": StaticToken.objects.filter(device__user=user).count(),
            "nav": "",
        }
        return render(request, "twofactor/status.html", context)
    device = services.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_enrolment(request, device, form.cleaned_data["code"])
        except services.SecondFactorError as exc:
            form.add_error("code", exc.message)
            status = exc.status
        else:
            return _recovery_page(request, codes, next_url)
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "key": _grouped(key),
        "next": next_url,
        "nav": "",
    }
    return render(request, "twofactor/enrol.html", context, status=status)


@never_cache
@login_required
@require_POST
def new_recovery_codes(request):
    """Fresh recovery codes (the old ones stop working), for a verified, enrolled user."""
    if not (request.user.is_verified() and services.is_enrolled(request.user)):
        return redirect(_with_next("twofactor:enrol", reverse("twofactor:enrol")))
    codes = services.new_recovery_codes(request.user)
    return _recovery_page(request, codes, reverse("twofactor:enrol"))
