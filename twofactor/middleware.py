"""The second factor on every request: who verified the session (OTPMiddleware, cached), and the refusal of
unverified sessions of accounts that must use it (SecondFactorMiddleware)."""

from urllib.parse import urlencode

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from rest_framework.permissions import AllowAny

from . import devices, services

# Pages open to a signed-in account that has not passed the second factor yet: signing in and out, the
# second step itself, the public site, the health check. Static files never reach the URL resolver.
OPEN_NAMESPACES = frozenset({"twofactor", "publicity"})
OPEN_VIEW_NAMES = frozenset({"healthz", "admin:logout"})
OPEN_VIEW_CLASSES = (auth_views.LoginView, auth_views.LogoutView)
API_PREFIX = "/api/"
API_REFUSAL = {
    "code": "second_factor_required",
    "detail": "请先在登录页完成双因素验证（动态验证码）后再访问接口。",
}


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware (request.user.otp_device, request.user.is_verified()), reading the verified
    device from the cache instead of the database (twofactor/devices.py): a verified request costs no
    query."""

    def _device_from_persistent_id(self, persistent_id: str):
        return devices.session_device(self._normalize_persistent_id(persistent_id))


def _is_open(request, view_func) -> bool:
    match = request.resolver_match
    if match is not None and (match.namespace in OPEN_NAMESPACES or match.view_name in OPEN_VIEW_NAMES):
        return True
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    if view_class is None:
        return False
    if issubclass(view_class, OPEN_VIEW_CLASSES):
        return True
    # Public API endpoints (anyone, and no authentication: the same answer for all) stay as open as the pages.
    public = any(p is AllowAny for p in getattr(view_class, "permission_classes", ()))
    return public and not getattr(view_class, "authentication_classes", True)


class SecondFactorMiddleware:
    """Accounts that must use the second factor (services.required_for) and have not passed it in this
    session: pages and the admin are sent to the second step (or to enrolment first), keeping `next`; the API
    answers 403 with {code, detail}.

    Runs in every settings module. API calls with HTTP basic auth are not signed in at this point (DRF
    authenticates them in the view): they are machine access without a second factor, allowed where basic
    auth is (development and tests; production turns basic auth off).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_open(request, view_func):  # before request.user: public pages load no session for this
            return None
        user = request.user
        if not services.required_for(user) or user.is_verified():
            return None
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse(API_REFUSAL, status=403, json_dumps_params={"ensure_ascii": False})
        step = "twofactor:verify" if services.is_enrolled(user) else "twofactor:enrol"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
