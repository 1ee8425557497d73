"""Production: everything from the environment, no insecure defaults."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, MINSHENG_FIELD_KEY_ID, MINSHENG_FIELD_KEYS, env_bool, password_hashers

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

# --- 商用密码 / national cryptography (issue 15, crypto part) ---
PASSWORD_HASHERS = password_hashers(MINSHENG_NATIONAL_CRYPTO)
# The contact fields are SM4-encrypted under these keys: no development key derived from SECRET_KEY here.
if not MINSHENG_FIELD_KEYS.strip():
    raise ImproperlyConfigured(
        "生产环境须设置 MINSHENG_FIELD_KEYS（联系人字段的SM4密钥，如 2026a:<32位十六进制>）/ "
        "production requires MINSHENG_FIELD_KEYS (SM4 keys of the contact fields, e.g. 2026a:<32 hex digits>)"
    )
from minsheng.crypto import parse_field_keys  # noqa: E402  (checks the keys now rather than at first use)

parse_field_keys(MINSHENG_FIELD_KEYS, MINSHENG_FIELD_KEY_ID)
# --- end 商用密码 ---

# Authentication (issue 15): production is production whatever the environment says (seed_demo refuses to
# run), and the API takes sessions only: no password guessing through basic auth.
MINSHENG_ENVIRONMENT = "production"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
