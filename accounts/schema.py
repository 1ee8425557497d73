"""The OpenAPI schema's name for the lockout-guarded basic auth: HTTP basic, as DRF's own."""

from drf_spectacular.authentication import BasicScheme


class LockoutBasicScheme(BasicScheme):
    target_class = "accounts.api.LockoutBasicAuthentication"
