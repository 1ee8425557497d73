"""Local development and the demo: DEBUG on unless the environment says otherwise; without DATABASE_URL,
the embedded PostgreSQL server in var/pgdata (minsheng/embedded.py), started on first use."""

from .base import *  # noqa: F403
from .base import CONN_MAX_AGE, DATABASES, env_bool, postgres_database

DEBUG = env_bool("DEBUG", True)

if not DATABASES:
    from minsheng.embedded import database_settings

    DATABASES = {"default": postgres_database({**database_settings(), "CONN_MAX_AGE": CONN_MAX_AGE})}

# Second factor: the demo offers SMS codes too (the console SMS backend prints them).
MINSHENG_OTP_SMS = env_bool("MINSHENG_OTP_SMS", True)
