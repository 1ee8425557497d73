"""What production refuses: seeding demo accounts, and API basic auth (sessions only there)."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from org.models import User
from tests.system.test_settings import LOCAL_DATABASE_URL, REPO, SETTINGS_VARIABLES

READ = (
    "import importlib, json, sys; s = importlib.import_module(sys.argv[1]); "
    "print(json.dumps([s.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'], s.MINSHENG_ENVIRONMENT]))"
)


@pytest.mark.django_db
@override_settings(MINSHENG_ENVIRONMENT="production")
def test_seed_demo_refuses_to_run_in_production():
    with pytest.raises(CommandError, match="生产环境不能载入演示数据"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
@override_settings(SETTINGS_MODULE="minsheng.settings.prod")
def test_seed_demo_refuses_under_the_production_settings_module():
    with pytest.raises(CommandError, match="生产环境不能载入演示数据"):
        call_command("seed_demo")
    assert not User.objects.exists()


def read(module: str) -> list:
    """The API's authentication classes and MINSHENG_ENVIRONMENT of a settings module, read in a fresh
    interpreter."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        DATABASE_URL=LOCAL_DATABASE_URL,
        SECRET_KEY="x" * 50,
        MINSHENG_ENVIRONMENT="development",
        MINSHENG_FIELD_KEYS="k1:00112233445566778899aabbccddeeff",  # production refuses to start without
    )
    done = subprocess.run(
        [sys.executable, "-c", READ, module], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_api_basic_auth_is_off_in_production_whatever_the_environment_says():
    assert read("minsheng.settings.prod") == [
        ["rest_framework.authentication.SessionAuthentication"],
        "production",
    ]


def test_api_basic_auth_stays_behind_the_lockout_in_dev_and_test():
    for module in ["minsheng.settings.dev", "minsheng.settings.test"]:
        classes, environment = read(module)
        assert "accounts.api.LockoutBasicAuthentication" in classes
        assert "rest_framework.authentication.BasicAuthentication" not in classes
        assert environment != "production"
