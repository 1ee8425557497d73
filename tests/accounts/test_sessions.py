"""Session limits (idle 30 minutes, 12 hours at most), one session per account, the 登录会话 page and the
last-login notice."""

import datetime

from django.contrib.messages import get_messages
from django.test import Client, override_settings

from accounts.models import LoginSession
from org.models import User
from tests.clients import pass_second_factor
from tests.conftest import PASSWORD

MINUTES = datetime.timedelta(minutes=1)


def sign_in(username, ip="10.1.2.3", client=None):
    client = client or Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302, response
    pass_second_factor(client, User.objects.get(username=username))  # the second step (twofactor/)
    return client


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_idle_session_is_signed_out_with_a_chinese_note(org, clock, events):
    client = sign_in("staff")
    clock.shift(29 * MINUTES)
    assert client.get("/workbench/").status_code == 200
    clock.shift(29 * MINUTES)  # active 29 minutes ago: still in
    assert client.get("/workbench/").status_code == 200
    clock.shift(31 * MINUTES)
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "长时间未操作，已自动退出" in page
    ended = [kwargs for kind, kwargs in events if kind == "session_ended"]
    assert [e["detail"]["reason"] for e in ended] == ["idle"]
    assert LoginSession.objects.get(user=org.staff).end_reason == "idle"


def test_an_idle_api_session_answers_401_json(org, clock):
    client = sign_in("leader")
    clock.shift(31 * MINUTES)
    response = client.get("/api/v1/bulletins/")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
    assert "已自动退出" in response.json()["detail"]


def test_a_session_ends_after_twelve_hours_however_active(org, clock):
    client = sign_in("staff")
    for _ in range(35):  # a request every 20 minutes for 11 h 40 min
        clock.shift(20 * MINUTES)
        assert client.get("/workbench/").status_code == 200
    clock.shift(21 * MINUTES)
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert not signed_in(client)
    assert "登录时间已超过上限" in client.get(response["Location"]).content.decode()


@override_settings(MINSHENG_SESSION_IDLE_SECONDS=60, MINSHENG_SESSION_MAX_SECONDS=600)
def test_the_limits_are_settings(org, clock):
    client = sign_in("staff")
    clock.shift(2 * MINUTES)
    assert client.get("/workbench/").status_code == 302


def test_the_session_cookie_lives_no_longer_than_the_session():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == settings.MINSHENG_SESSION_MAX_SECONDS == 12 * 60 * 60
    assert settings.MINSHENG_SESSION_IDLE_SECONDS == 30 * 60


def test_a_new_sign_in_ends_the_account_s_other_session(org, clock, events):
    first = sign_in("staff", ip="10.0.0.1")
    assert first.get("/workbench/").status_code == 200
    second = sign_in("staff", ip="10.0.0.2")
    assert second.get("/workbench/").status_code == 200
    response = first.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    (ended,) = [kwargs for kind, kwargs in events if kind == "session_ended"]
    assert ended["detail"]["reason"] == "new_login"
    assert ended["detail"]["ip"] == "10.0.0.1"
    assert list(LoginSession.objects.active().values_list("ip", flat=True)) == ["10.0.0.2"]


def test_other_accounts_sessions_are_not_touched(org, clock):
    staff = sign_in("staff")
    sign_in("leader")
    assert staff.get("/workbench/").status_code == 200


@override_settings(MINSHENG_SESSION_ALLOW_MULTIPLE=True)
def test_several_sessions_when_the_setting_allows_them(org, clock):
    first = sign_in("staff", ip="10.0.0.1")
    sign_in("staff", ip="10.0.0.2")
    assert first.get("/workbench/").status_code == 200


@override_settings(MINSHENG_SESSION_ALLOW_MULTIPLE=True)
def test_the_session_list_shows_the_user_s_sessions_and_ends_one(org, clock, events):
    laptop = sign_in("staff", ip="10.0.0.1")
    clock.shift(5 * MINUTES)
    phone = sign_in("staff", ip="10.0.0.2")
    sign_in("leader", ip="10.0.0.3")
    page = phone.get("/account/sessions/").content.decode()
    assert "登录会话" in page
    assert "10.0.0.1" in page
    assert "10.0.0.2" in page
    assert "10.0.0.3" not in page  # another account's
    assert "当前会话" in page

    other = LoginSession.objects.get(user=org.staff, ip="10.0.0.1")
    response = phone.post(f"/account/sessions/{other.pk}/end/")
    assert response.status_code == 302
    assert laptop.get("/workbench/").status_code == 302
    assert phone.get("/workbench/").status_code == 200
    (ended,) = [kwargs for kind, kwargs in events if kind == "session_ended"]
    assert ended["detail"]["reason"] == "by_user"
    assert ended["user"] == org.staff
    assert "10.0.0.1" not in phone.get("/account/sessions/").content.decode()


def test_a_user_cannot_end_another_account_s_session(org, clock):
    leader = sign_in("leader")
    staff = sign_in("staff", ip="10.0.0.9")
    record = LoginSession.objects.get(user=org.leader)
    assert staff.post(f"/account/sessions/{record.pk}/end/").status_code == 404
    assert leader.get("/dashboard/").status_code == 200


def test_signing_out_closes_the_login_session(org, clock):
    client = sign_in("staff")
    client.post("/logout/")
    assert LoginSession.objects.get(user=org.staff).end_reason == "logout"


def test_the_last_login_notice_shows_the_previous_time_and_place_once(org, clock):
    first = sign_in("staff", ip="10.1.2.3")
    first.post("/logout/")
    clock.shift(datetime.timedelta(days=1, hours=2))
    client = Client()
    response = client.post(
        "/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7", follow=True
    )
    page = response.content.decode()
    assert "上次登录：2026年12月3日 09:12，来自 10.1.2.3" in page
    assert "上次登录" not in client.get("/workbench/").content.decode()


def test_the_last_login_notice_reaches_the_admin(org, clock):
    sign_in("admin", ip="10.1.2.3").post("/logout/")
    client = Client()
    client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.4.4.4"
    )
    pass_second_factor(client, org.admin)
    page = client.get("/admin/").content.decode()
    assert "上次登录：2026年12月3日 09:12，来自 10.1.2.3" in page


def test_a_first_sign_in_has_no_notice(org, clock):
    client = Client()
    response = client.post("/login/", {"username": "filer", "password": PASSWORD}, follow=True)
    assert not [m for m in get_messages(response.wsgi_request) if "上次登录" in str(m)]
    assert "上次登录" not in response.content.decode()


def test_signing_in_again_in_the_same_session_keeps_it(org, clock):
    client = sign_in("staff")
    client.post(
        "/login/?next=/workbench/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert client.get("/workbench/").status_code == 200
    assert LoginSession.objects.active().filter(user=org.staff).count() == 1
