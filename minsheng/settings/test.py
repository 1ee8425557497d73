"""The test suite: real PostgreSQL (DATABASE_URL, default the local server) and fast password hashing."""

import os
import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .base import postgres_database

DATABASES = {
    "default": postgres_database(
        dj_database_url.parse(
            os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minsheng"), conn_max_age=0
        )
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "minsheng.files.ProtectedFileStorage"},  # issue 15 (web): private file URLs
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests serve static files through the finders; there is no collected STATIC_ROOT to warn about.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Tasks run in-process unless a test sets up a broker and a worker itself (tests/fixtures/celery_worker.py),
# so a .delay() in a test never waits on a queue nobody reads.
CELERY_TASK_ALWAYS_EAGER = True
SMS_BACKEND = "minsheng.sms.LocmemBackend"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PHONE_HASH_KEY = "test-phone-hash-key"
# Tests that need Redis (rate limits, workers) build their own clients from REDIS_URL; the cache stays
# in-process so tests do not see each other's counters.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Authentication (issue 15): the suite is not a development machine (seed_demo's production refusal is tested
# by overriding this).
MINSHENG_ENVIRONMENT = "test"
# The audit log's archives and checkpoints: never the checkout's var/ (a demo's checkpoints there would not
# match the test database's chain); tests that write them point this at their own tmp_path.
MINSHENG_AUDIT_ARCHIVE_DIR = Path(tempfile.gettempdir()) / f"minsheng-test-audit-{os.getpid()}"
