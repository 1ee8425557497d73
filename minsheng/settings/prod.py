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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MINSHENG_NATIONAL_CRYPTO = env_bool("MINSHENG_NATIONAL_CRYPTO", True)

# Authentication (issue 15): production is production whatever the environment says (seed_demo refuses to
# run), and the API takes sessions only: no password guessing through basic auth.
MINSHENG_ENVIRONMENT = "production"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
