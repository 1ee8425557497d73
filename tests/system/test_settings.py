"""Settings from the environment, read in a fresh interpreter so this process's settings do not leak in."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Everything the settings read; each test starts from none of them and sets what it is about.
SETTINGS_VARIABLES = {
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "MINSHENG_LAG_YELLOW", "MINSHENG_LAG_RED", "DJANGO_SETTINGS_MODULE", "DB_CONN_MAX_AGE", "MEDIA_ROOT",
    "MINSHENG_NATIONAL_CRYPTO", "MINSHENG_FIELD_KEYS", "MINSHENG_FIELD_KEY_ID",
}  # fmt: skip
# Production refuses to start without SM4 field keys (商用密码); tests about other settings give it one.
FIELD_KEYS = "k1:00112233445566778899aabbccddeeff"

# A server URL for the tests about other settings: without DATABASE_URL, dev would start the embedded server
# (tests/system/test_embedded_postgres.py is about that).
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/minsheng"

PRINT_SETTINGS = """
import importlib, json, sys
s = importlib.import_module(sys.argv[1])
db = s.DATABASES.get("default", {"ENGINE": "", "NAME": ""})
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "eager": s.CELERY_TASK_ALWAYS_EAGER, "broker": s.CELERY_BROKER_URL, "backend": s.CELERY_RESULT_BACKEND,
    "language": s.LANGUAGE_CODE, "time_zone": s.TIME_ZONE, "use_tz": s.USE_TZ, "debug": s.DEBUG,
    "allowed_hosts": s.ALLOWED_HOSTS, "secret_key": s.SECRET_KEY,
    "lag_yellow": str(s.MINSHENG_LAG_YELLOW), "lag_red": str(s.MINSHENG_LAG_RED),
    "national_crypto": s.MINSHENG_NATIONAL_CRYPTO, "first_hasher": s.PASSWORD_HASHERS[0],
}))
"""


def read_settings(module: str = "minsheng.settings.dev", **env: str) -> dict:
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    clean["DATABASE_URL"] = LOCAL_DATABASE_URL
    done = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS, module],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout)


def test_minsheng_runs_on_postgresql_only():
    with pytest.raises(RuntimeError, match="仅支持 PostgreSQL"):
        read_settings(DATABASE_URL="sqlite:///var/minsheng.sqlite3")
    with pytest.raises(RuntimeError, match="仅支持 PostgreSQL"):
        read_settings("minsheng.settings.test", DATABASE_URL="mysql://root@127.0.0.1/minsheng")


def test_prod_refuses_to_start_without_a_database_url():
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        read_settings("minsheng.settings.prod", SECRET_KEY="from-the-environment", DATABASE_URL="")


def test_postgresql_runs_without_jit():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from minsheng.settings import dev; print(dev.DATABASES['default']['OPTIONS'])",
        ],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": LOCAL_DATABASE_URL},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "jit=off" in done.stdout, done.stderr


def test_without_redis_url_tasks_run_eagerly_in_process():
    values = read_settings()

    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["backend"] is None


def test_language_and_time_zone_are_chinese_and_aware():
    values = read_settings()

    assert values["language"] == "zh-hans"
    assert values["time_zone"] == "Asia/Shanghai"
    assert values["use_tz"] is True


def test_database_url_and_redis_url_switch_to_postgresql_and_the_redis_broker():
    values = read_settings(
        DATABASE_URL="postgres://minsheng:secret@db.example:5432/minsheng",
        REDIS_URL="redis://cache.example:6379/0",
    )

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["host"] == "db.example"
    assert values["eager"] is False
    assert values["broker"] == values["backend"] == "redis://cache.example:6379/0"


def test_deployment_values_come_from_the_environment():
    values = read_settings(
        "minsheng.settings.base",
        DEBUG="true",
        ALLOWED_HOSTS="minsheng.example.gov.cn, 10.0.0.5",
        MINSHENG_LAG_YELLOW="0.05",
        MINSHENG_LAG_RED="0.2",
    )

    assert values["debug"] is True
    assert values["allowed_hosts"] == ["minsheng.example.gov.cn", "10.0.0.5"]
    assert (values["lag_yellow"], values["lag_red"]) == ("0.05", "0.2")


def test_dev_turns_debug_on_and_base_keeps_it_off_by_default():
    assert read_settings("minsheng.settings.dev")["debug"] is True
    assert read_settings("minsheng.settings.base")["debug"] is False


def test_prod_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        read_settings("minsheng.settings.prod")

    values = read_settings(
        "minsheng.settings.prod",
        SECRET_KEY="from-the-environment",
        DEBUG="true",
        MINSHENG_FIELD_KEYS=FIELD_KEYS,
    )
    assert values["secret_key"] == "from-the-environment"
    assert values["debug"] is False


def test_prod_refuses_to_start_without_sm4_field_keys():
    with pytest.raises(RuntimeError, match="生产环境须设置 MINSHENG_FIELD_KEYS"):
        read_settings("minsheng.settings.prod", SECRET_KEY="from-the-environment")
    with pytest.raises(RuntimeError, match="应为16字节"):
        read_settings("minsheng.settings.prod", SECRET_KEY="s", MINSHENG_FIELD_KEYS="k1:0011")


def test_prod_hashes_passwords_with_sm3_unless_national_cryptography_is_switched_off():
    values = read_settings("minsheng.settings.prod", SECRET_KEY="s", MINSHENG_FIELD_KEYS=FIELD_KEYS)
    assert values["national_crypto"] is True
    assert values["first_hasher"] == "minsheng.hashers.PBKDF2SM3PasswordHasher"

    off = read_settings(
        "minsheng.settings.prod", SECRET_KEY="s", MINSHENG_FIELD_KEYS=FIELD_KEYS, MINSHENG_NATIONAL_CRYPTO="0"
    )
    assert off["first_hasher"] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert read_settings("minsheng.settings.dev")["national_crypto"] is False


def test_the_test_settings_default_to_the_local_postgresql():
    values = read_settings("minsheng.settings.test")

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "minsheng"
