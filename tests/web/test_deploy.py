"""Production transport settings: `manage.py check --deploy` clean, HSTS and the HTTPS redirect (issue 15)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

REPO = Path(__file__).resolve().parents[2]


def run_prod(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="minsheng.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minsheng"),
        ALLOWED_HOSTS="minsheng.example.gov.cn",
        MINSHENG_FIELD_KEYS="k1:00112233445566778899aabbccddeeff",  # production refuses to start without
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings():
    done = run_prod("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


PRINT = (
    "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, s.SECURE_REDIRECT_EXEMPT, s.SECURE_PROXY_SSL_HEADER[0])"
)


def test_production_sends_hsts_for_a_year_and_redirects_to_https():
    done = run_prod("shell", "--no-imports", "-c", PRINT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-6:] == [
        str(365 * 24 * 3600), "True", "True", "True", "['^healthz$']", "HTTP_X_FORWARDED_PROTO",
    ]  # fmt: skip


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"], SECURE_HSTS_SECONDS=31536000
)
def test_plain_http_is_redirected_except_the_health_probe(client, db):
    page = client.get("/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")
    assert client.get("/healthz").status_code in (200, 503)
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cookies_are_out_of_reach_of_scripts(client, db):
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    response = client.get("/login/")
    assert response.cookies["csrftoken"]["httponly"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
