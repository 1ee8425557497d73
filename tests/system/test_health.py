"""/healthz: load balancers learn whether the system is up; only system administrators learn what is down
and why (the database's host, name and error stay private; issue 15)."""

import os

import pytest
from django.db import OperationalError
from django.test import override_settings

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
DATABASE_ERROR = (
    'connection to server at "db.internal" (10.0.0.5), port 5432 failed: database "minsheng_prod"'
)


@pytest.fixture
def database_down(monkeypatch):
    """The database refuses connections with the message PostgreSQL gives (host, address, name)."""

    def refuse(*args, **kwargs):
        raise OperationalError(DATABASE_ERROR)

    monkeypatch.setattr("minsheng.health.connection.cursor", refuse)


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_healthz_is_ok_with_the_database_and_eager_tasks_without_redis(client, org):
    client.force_login(org.admin)
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["broker"]["ok"] is True
    assert body["broker"]["mode"] == "eager"


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_anonymous_callers_learn_only_the_status(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.integration
@pytest.mark.django_db
def test_healthz_is_ok_when_redis_answers(client, org):
    client.force_login(org.admin)
    with override_settings(REDIS_URL=REDIS_URL):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "mode": "redis"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, org):
    client.force_login(org.admin)
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["mode"] == "redis"
    assert body["broker"]["error"]


@pytest.mark.django_db
def test_a_broker_down_is_only_an_error_status_for_anonymous_callers(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_a_database_down_shows_anonymous_callers_no_host_name_or_error(client, settings, database_down):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error"}
    text = response.content.decode()
    for secret in ("db.internal", "10.0.0.5", "minsheng_prod", "postgresql", "5432"):
        assert secret not in text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "leader", "auditor"])
def test_business_users_are_not_shown_the_details_either(client, org, settings, role):
    settings.REDIS_URL = ""
    client.force_login(getattr(org, role))

    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_administrators_see_which_part_is_down_and_why(client, org, settings):
    settings.REDIS_URL = ""
    client.force_login(org.admin)

    down = {"ok": False, "vendor": "postgresql", "error": DATABASE_ERROR}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("minsheng.health._database_state", lambda: down)
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == down
    assert "未配置 REDIS_URL" in response.content.decode()  # Chinese as is, not \u-escaped
