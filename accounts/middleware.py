"""Session limits (idle timeout, absolute lifetime) and password expiry, checked on every request."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from . import sessions
from .errors import AccountsErrorCode
from .passwords import password_set_at

API_PREFIX = "/api/"
IDLE_NOTE = "长时间未操作，已自动退出，请重新登录。"
LIFETIME_NOTE = "登录时间已超过上限，已自动退出，请重新登录。"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _to_login(request, note: str):
    messages.info(request, note, fail_silently=True)
    url = reverse("login")
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


class SessionLimitsMiddleware:
    """Signs out a session idle longer than MINSHENG_SESSION_IDLE_SECONDS or older than
    MINSHENG_SESSION_MAX_SECONDS: pages go to the login with a note, the API answers 401 {code, detail}."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The session alone tells (no user query): pages that never read the user stay as cheap as before.
        session = getattr(request, "session", None)
        if session is not None and sessions.STARTED in session and SESSION_KEY in session:
            refused = self.check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def check(self, request):
        session = request.session
        now = timezone.now().timestamp()
        if now - session.get(sessions.SEEN, now) > settings.MINSHENG_SESSION_IDLE_SECONDS:
            return self.expire(request, sessions.EndReason.IDLE, IDLE_NOTE)
        if now - session[sessions.STARTED] > settings.MINSHENG_SESSION_MAX_SECONDS:
            return self.expire(request, sessions.EndReason.LIFETIME, LIFETIME_NOTE)
        sessions.touch(request, now)
        return None

    def expire(self, request, reason: str, note: str):
        sessions.close_current(request, reason=reason)
        request.session.flush()
        request.user = AnonymousUser()
        if _is_api(request):
            body = {"code": AccountsErrorCode.SESSION_EXPIRED.value, "detail": note}
            return JsonResponse(body, status=401)
        return _to_login(request, note)


# Pages a user whose password has expired may still open: the change itself, signing in and out (and the
# second step of signing in, /login/...), static files.
EXPIRY_OPEN_PREFIXES = ("/login/", "/logout/", "/account/password/", "/filing/logout/")


class PasswordExpiryMiddleware:
    """Sends a user whose password is older than MINSHENG_PASSWORD_MAX_AGE_DAYS to the change-password page
    before anything else (the API answers 403 {code, detail})."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            settings.MINSHENG_PASSWORD_MAX_AGE_DAYS
            and session is not None
            and SESSION_KEY in session
            and not request.path.startswith((*EXPIRY_OPEN_PREFIXES, settings.STATIC_URL))
            and self.expired(request)
        ):
            if _is_api(request):
                body = {
                    "code": AccountsErrorCode.PASSWORD_EXPIRED.value,
                    "detail": "密码已过期，请先修改密码。",
                }
                return JsonResponse(body, status=403)
            return redirect(reverse("accounts:password_change") + "?" + urlencode({"expired": "1"}))
        return self.get_response(request)

    @staticmethod
    def expired(request) -> bool:
        """From the time the session keeps (read once per session: no query on every request)."""
        session = request.session
        if sessions.PASSWORD_SET not in session:
            user = request.user
            set_at = password_set_at(user) if user.is_authenticated and user.has_usable_password() else None
            session[sessions.PASSWORD_SET] = set_at.timestamp() if set_at else None
        set_at_ts = session[sessions.PASSWORD_SET]
        if set_at_ts is None:
            return False
        age = timezone.now().timestamp() - set_at_ts
        return age > settings.MINSHENG_PASSWORD_MAX_AGE_DAYS * 86400
