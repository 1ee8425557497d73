"""Failed-login lockout (django-axes) on every login path: per account name and per client address, a
Chinese message that does not tell whether the account exists, a 30-minute cool-down, the 安全管理员's
unlock, and floods that do not fill the database."""

import base64
import datetime

import pytest
from axes.models import AccessAttempt

from tests.accounts.conftest import kinds
from tests.conftest import PASSWORD

LOGIN_PAGES = ["/login/", "/admin/login/", "/filing/login/"]
API = "/api/v1/bulletins/"
LIMIT = 5


def post_login(client, url, username, password, ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def api_get(client, username, password, ip="10.0.0.1"):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return client.get(API, HTTP_AUTHORIZATION=f"Basic {token}", REMOTE_ADDR=ip)


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_five_wrong_passwords_lock_the_account_until_the_cool_down_passes(client, org, clock, url):
    for attempt in range(1, LIMIT):
        response = post_login(client, url, "staff", "wrong-password")
        assert response.status_code == 200, attempt  # the form again, with the error
    response = post_login(client, url, "staff", "wrong-password")
    assert response.status_code == 429
    assert "登录失败次数过多，已暂时锁定" in response.content.decode()

    # The right password is refused too, from another address: the account itself is locked.
    response = post_login(client, url, "staff", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    clock.shift(datetime.timedelta(minutes=29))
    assert post_login(client, url, "staff", PASSWORD, ip="10.9.9.9").status_code == 429
    clock.shift(datetime.timedelta(minutes=2))
    response = post_login(client, url, "staff", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(org.staff.pk)


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_five_failures_from_one_address_lock_that_address_for_every_account(client, org, clock, url):
    for n in range(LIMIT):
        post_login(client, url, f"guess{n}", "wrong-password", ip="10.0.0.7")
    # Another account from the locked address: refused although its password is right.
    assert post_login(client, url, "leader", PASSWORD, ip="10.0.0.7").status_code == 429
    # The same account from elsewhere signs in: only the address was locked.
    assert post_login(client, url, "leader", PASSWORD, ip="10.0.0.8").status_code == 302
    clock.shift(datetime.timedelta(minutes=31))
    client.logout()
    assert post_login(client, url, "leader", PASSWORD, ip="10.0.0.7").status_code == 302


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_failures_on_one_account_from_many_addresses_lock_the_account(client, org, clock, url):
    for n in range(LIMIT):
        post_login(client, url, "auditor", "wrong-password", ip=f"10.1.0.{n + 1}")
    assert post_login(client, url, "auditor", PASSWORD, ip="10.1.0.99").status_code == 429


def test_the_lockout_page_is_the_same_for_a_known_and_an_unknown_account(client, org, clock):
    pages = {}
    for username, ip in [("staff", "10.2.0.1"), ("no-such-user", "10.2.0.2")]:
        for _ in range(LIMIT):
            response = post_login(client, "/login/", username, "wrong-password", ip=ip)
        assert response.status_code == 429
        pages[username] = response.content
    assert pages["staff"] == pages["no-such-user"]
    assert "联系安全管理员" in pages["staff"].decode()
    assert "staff" not in pages["staff"].decode()


def test_a_wrong_password_reads_the_same_for_a_known_and_an_unknown_account(client, org):
    known = post_login(client, "/login/", "staff", "wrong-password", ip="10.3.0.1")
    unknown = post_login(client, "/login/", "no-such-user", "wrong-password", ip="10.3.0.2")
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert "请输入一个正确的" in known.content.decode()


def test_api_basic_auth_is_locked_out_per_account_with_a_json_429(client, org, clock):
    for _ in range(LIMIT - 1):
        response = api_get(client, "staff", "wrong-password")
        assert response.status_code in (401, 403)
    response = api_get(client, "staff", "wrong-password")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "已暂时锁定" in response.json()["detail"]
    assert api_get(client, "staff", PASSWORD, ip="10.4.0.1").status_code == 429

    clock.shift(datetime.timedelta(minutes=31))
    assert api_get(client, "staff", PASSWORD, ip="10.4.0.1").status_code == 200


def test_api_basic_auth_is_locked_out_per_address(client, org, clock):
    for n in range(LIMIT):
        api_get(client, f"guess{n}", "wrong-password", ip="10.5.0.1")
    response = api_get(client, "staff", PASSWORD, ip="10.5.0.1")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert api_get(client, "staff", PASSWORD, ip="10.5.0.2").status_code == 200


def test_failures_on_the_api_and_the_page_count_together(client, org, clock):
    for _ in range(3):
        api_get(client, "filer", "wrong-password")
    post_login(client, "/login/", "filer", "wrong-password")
    assert post_login(client, "/filing/login/", "filer", "wrong-password").status_code == 429


def test_a_flood_of_guesses_does_not_fill_the_database(client, org, clock):
    # axes keeps one row per (account name, address, browser) and, once locked, records nothing more.
    for n in range(60):
        post_login(client, "/login/", f"flood{n}", "wrong-password", ip="10.6.0.1")
    assert AccessAttempt.objects.count() == LIMIT
    for _ in range(60):
        post_login(client, "/login/", "staff", "wrong-password", ip="10.6.0.2")
    assert AccessAttempt.objects.filter(username="staff").count() == 1
    assert AccessAttempt.objects.count() == LIMIT + 1


def test_a_lockout_is_one_security_event(client, org, clock, events):
    for _ in range(LIMIT + 3):
        post_login(client, "/login/", "staff", "wrong-password")
    assert kinds(events).count("lockout") == 1
    (_, lockout), *_ = [e for e in events if e[0] == "lockout"]
    assert lockout["target"] == "user:staff"
    assert lockout["detail"]["ip"] == "10.0.0.1"
    assert lockout["result"] == "refused"


def test_the_security_administrator_unlocks_an_account(client, org, clock, events):
    for _ in range(LIMIT):
        post_login(client, "/login/", "staff", "wrong-password", ip="10.7.0.1")
    assert post_login(client, "/login/", "staff", PASSWORD, ip="10.7.0.2").status_code == 429

    admin_client = type(client)()
    admin_client.force_login(org.admin)
    listing = admin_client.get("/admin/accounts/lockout/")
    assert listing.status_code == 200
    assert "登录失败与锁定" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="staff")
    response = admin_client.post(
        "/admin/accounts/lockout/",
        {"action": "unlock_selected", "_selected_action": [attempt.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="staff").exists()
    unlocks = [e for e in events if e[0] == "unlock"]
    assert len(unlocks) == 1
    assert unlocks[0][1]["target"] == "user:staff"
    assert unlocks[0][1]["user"] == org.admin

    assert post_login(client, "/login/", "staff", PASSWORD, ip="10.7.0.2").status_code == 302


def test_staff_may_not_open_or_use_the_unlock_page(client, org, clock):
    for _ in range(LIMIT):
        post_login(client, "/login/", "leader", "wrong-password", ip="10.8.0.1")
    client.force_login(org.staff)
    assert client.get("/admin/accounts/lockout/").status_code == 403
    attempt = AccessAttempt.objects.get(username="leader")
    client.post("/admin/accounts/lockout/", {"action": "unlock_selected", "_selected_action": [attempt.pk]})
    assert AccessAttempt.objects.filter(username="leader").exists()
