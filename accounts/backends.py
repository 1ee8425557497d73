"""The lockout check in front of every password check (AUTHENTICATION_BACKENDS' first entry)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check: a locked-out account name or address is refused before the password is tried.

    Every web login path (the login page, DRF basic auth) passes its request. A call without one (the test
    client's login(), a shell) has no address to count and is left to the next backend; axes itself would
    raise there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
