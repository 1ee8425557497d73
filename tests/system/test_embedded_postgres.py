"""The demo's default: without DATABASE_URL, the embedded PostgreSQL server (minsheng/embedded.py) is started
the way scripts/demo.sh starts it, migrated, seeded and served; no Redis (eager tasks)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO_USERS = [
    "xitong",
    "anquan",
    "shenjiguan",
    "minshengban",
    "shenhe",
    "lingdao",
    "shenji",
    "tianbao",
    "lanshan",
]
DEMO_PASSWORD = "Minsheng@2026"

REQUESTS = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")
out = {"healthz": client.get("/healthz").status_code, "login_page": client.get("/admin/login/").status_code}
out["health"] = json.loads(client.get("/healthz").content)
out["host"] = settings.DATABASES["default"]["HOST"]
PASSWORD = "Minsheng@2026"
out["authenticated"] = [u for u in sys.argv[1:] if authenticate(username=u, password=PASSWORD)]
client.login(username="lingdao", password=PASSWORD)
# The second step (issue 15): the demo authenticator's code (its key is public, fixtures/demo/twofactor.py).
from django_otp.oath import totp
from fixtures.demo.twofactor import demo_key
client.post("/login/verify/", {"code": f"{totp(bytes.fromhex(demo_key('lingdao'))):06d}"})
out["dashboard"] = {
    call: client.get(f"/api/v1/dashboard/{call}/").status_code
    for call in ["overview", "categories", "units", "projects", "lagging", "trend", "funds", "supervision"]
}
print(json.dumps(out))
"""


@pytest.fixture
def embedded_env(tmp_path):
    """The environment of a first run: no DATABASE_URL or REDIS_URL; the server's data in a temp directory
    (MINSHENG_PGDATA) so a developer's var/pgdata stays untouched. The server is stopped afterwards."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["MINSHENG_PGDATA"] = str(tmp_path / "pgdata")
    env["DJANGO_SETTINGS_MODULE"] = "minsheng.settings.dev"
    yield env
    subprocess.run([sys.executable, "-m", "minsheng.embedded", "stop"], cwd=REPO, env=env, timeout=120)


def run(env, *args, timeout=600):
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_embedded_default_starts_postgresql_migrates_seeds_and_serves(embedded_env, tmp_path):
    url = run(embedded_env, "-m", "minsheng.embedded", "start").strip()
    assert url.startswith("postgresql://postgres@/minsheng?host=")
    assert (tmp_path / "pgdata" / "PG_VERSION").exists()

    run(embedded_env, "manage.py", "migrate", "--noinput", "-v", "0")
    run(embedded_env, "manage.py", "seed_demo")
    second = run(embedded_env, "manage.py", "seed_demo")  # demo.sh started again: nothing breaks
    assert "演示数据" in second
    scan = run(embedded_env, "manage.py", "scan_alerts")
    assert "预警扫描完成" in scan

    result = json.loads(run(embedded_env, "-c", REQUESTS, *DEMO_USERS).strip().splitlines()[-1])

    assert result["healthz"] == 200
    # Anonymous callers learn the state only (issue 15: no host, name or error for the public).
    assert result["health"] == {"status": "ok"}
    assert result["host"] == str(tmp_path / "pgdata"), "the server listens on a socket in its data directory"
    assert result["login_page"] == 200
    assert result["authenticated"] == DEMO_USERS, "the demo logins printed by scripts/demo.sh must work"
    assert result["dashboard"] == dict.fromkeys(result["dashboard"], 200)

    stopped = run(embedded_env, "-m", "minsheng.embedded", "stop")
    assert "stopped" in stopped
    assert "未运行" in run(embedded_env, "-m", "minsheng.embedded", "status")


def test_a_url_that_is_not_postgresql_is_refused_with_a_chinese_message(tmp_path):
    env = {**os.environ, "DATABASE_URL": "sqlite:///" + str(tmp_path / "x.sqlite3")}
    env["DJANGO_SETTINGS_MODULE"] = "minsheng.settings.dev"
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "仅支持 PostgreSQL" in done.stderr
