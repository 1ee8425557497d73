"""/healthz: what load balancers and operators see about the database and the Celery broker."""

import os

import pytest
from django.test import override_settings

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_healthz_is_ok_with_the_database_and_eager_tasks_without_redis(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["broker"]["ok"] is True
    assert body["broker"]["mode"] == "eager"


@pytest.mark.integration
@pytest.mark.django_db
def test_healthz_is_ok_when_redis_answers(client):
    with override_settings(REDIS_URL=REDIS_URL):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "mode": "redis"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["mode"] == "redis"
    assert body["broker"]["error"]


def test_healthz_is_503_when_the_database_is_down_and_needs_no_login(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr("minsheng.health._database_state", lambda: {"ok": False, "vendor": "postgresql"})

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"]["ok"] is False
    assert "未配置 REDIS_URL" in response.content.decode()  # Chinese as is, not \u-escaped
