"""The zero-setup default keeps working: SQLite, no Redis, eager tasks, from migrate to a served page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO_USERS = ["admin", "minshengban", "lingdao", "shenji", "tianbao", "lanshan"]
DEMO_PASSWORD = "minsheng2026"

REQUESTS = """
import json, sys
import django
django.setup()
from django.contrib.auth import authenticate
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")
seeded = json.loads(sys.argv[1])
out = {"healthz": client.get("/healthz").status_code, "login_page": client.get("/admin/login/").status_code}
out["health"] = json.loads(client.get("/healthz").content)
if seeded:
    password = seeded["password"]
    out["authenticated"] = [u for u in seeded["users"] if authenticate(username=u, password=password)]
    client.login(username="admin", password=seeded["password"])
    out["admin_index"] = client.get("/admin/").status_code
print(json.dumps(out))
"""


def has_seed_demo() -> bool:
    return (REPO / "projects" / "management" / "commands" / "seed_demo.py").exists()


@pytest.fixture
def embedded_env(tmp_path):
    """The environment of a first run: no DATABASE_URL or REDIS_URL set by the user; SQLite in a temp dir."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    # The default's engine (var/minsheng.sqlite3), in a file of our own: a developer's data stays untouched.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'minsheng.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "minsheng.settings.dev"
    return env


def run(env, *args, timeout=300):
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_embedded_default_migrates_seeds_and_serves_pages(embedded_env):
    run(embedded_env, "manage.py", "migrate", "--noinput", "-v", "0")
    seeded = has_seed_demo()
    if seeded:
        run(embedded_env, "manage.py", "seed_demo")
        run(embedded_env, "manage.py", "seed_demo")  # a second run (demo.sh started twice) must not fail
    run(embedded_env, "manage.py", "check")

    seed = {"users": DEMO_USERS, "password": DEMO_PASSWORD} if seeded else None
    result = json.loads(run(embedded_env, "-c", REQUESTS, json.dumps(seed)).strip().splitlines()[-1])

    assert result["healthz"] == 200
    assert result["health"]["database"]["vendor"] == "sqlite"
    assert result["health"]["broker"]["mode"] == "eager"
    assert result["login_page"] == 200
    if seeded:
        assert result["authenticated"] == DEMO_USERS, "the demo logins printed by scripts/demo.sh must work"
        assert result["admin_index"] == 200
