"""DRF basic auth behind the login lockout (dev and test; production takes sessions only)."""

from rest_framework import exceptions, status
from rest_framework.authentication import BasicAuthentication

from .errors import AccountsErrorCode
from .lockout import lockout_message
from .passwords import password_expired


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = AccountsErrorCode.LOCKED_OUT.value
    default_detail = "登录失败次数过多，已暂时锁定。"


class PasswordExpired(exceptions.PermissionDenied):
    default_code = AccountsErrorCode.PASSWORD_EXPIRED.value
    default_detail = "密码已过期，请先登录网页修改密码。"


class LockoutBasicAuthentication(BasicAuthentication):
    """Basic auth whose password check goes through django-axes (settings.AUTHENTICATION_BACKENDS, the
    request passed along): failures count like the login page's, a lockout answers 429 {code, detail}."""

    def authenticate_credentials(self, userid, password, request=None):
        try:
            user, auth = super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                raise LockedOut(lockout_message(request)) from None
            raise
        if password_expired(user):
            raise PasswordExpired()
        return user, auth
