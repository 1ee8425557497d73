"""Production: everything from the environment, no insecure defaults."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env_bool

if not DATABASES:
    raise ImproperlyConfigured("请设置 DATABASE_URL（PostgreSQL）/ set DATABASE_URL to the PostgreSQL server")

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# --- issue 15 (web): HTTPS only. The proxy terminates TLS and says so in X-Forwarded-Proto (above); plain
# HTTP is redirected, except /healthz, which the load balancer and container probes call over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# --- end issue 15 (web) ---
STORAGES = {
    "default": {"BACKEND": "minsheng.files.ProtectedFileStorage"},  # issue 15 (web): private file URLs
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MINSHENG_NATIONAL_CRYPTO = env_bool("MINSHENG_NATIONAL_CRYPTO", True)
