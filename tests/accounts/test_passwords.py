"""Password rules (length, classes, not the username, not a recent one) in Chinese, the history every path
records, and expiry sending a user to the change-password page before anything else."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import PasswordHistory
from org.models import User
from tests.accounts.conftest import kinds
from tests.conftest import PASSWORD


def refusal(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.django_db
def test_the_old_demo_password_is_refused_and_the_new_one_accepted():
    assert refusal("minsheng2026") == ["密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"]
    assert refusal("Minsheng@2026") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "密码太短，至少需要 10 个字符。"),
        ("abcdefghij12", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
        ("ABCDEFGH!!!!", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
    ],
)
def test_short_or_simple_passwords_are_refused_in_chinese(password, message):
    assert message in refusal(password)


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Abcdefgh12", "abcdefgh1!", "ABCDEFGH1!", "Abcdefghi!"])
def test_three_of_four_classes_are_enough(password):
    assert refusal(password) == []


def test_a_password_containing_the_username_is_refused(org):
    assert "密码不能包含用户名。" in refusal("Xx-Leader-2026", org.leader)
    assert refusal("Xx-Chief-2026", org.leader) == []


def change_password(client, old, new):
    return client.post(
        "/account/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_none_of_the_last_five_passwords_may_be_used_again(client, org, events):
    client.force_login(org.staff)
    passwords = [PASSWORD] + [f"Changed#{n}xyz" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change_password(client, old, new).status_code == 302
    assert PasswordHistory.objects.filter(user=org.staff).count() == 5
    assert kinds(events).count("password_changed") == 5

    current = passwords[-1]
    for recent in passwords[-5:]:
        response = change_password(client, current, recent)
        assert response.status_code == 200
        assert "不能使用最近 5 次用过的密码" in response.content.decode()
    # The sixth one back has left the history.
    assert change_password(client, current, PASSWORD + "Aa!").status_code == 302


def test_the_change_page_speaks_chinese_and_applies_the_rules(client, org):
    client.force_login(org.filer)
    page = client.get("/account/password/").content.decode()
    for text in ["修改密码", "旧密码", "新密码", "至少 10 个字符"]:
        assert text in page
    response = change_password(client, PASSWORD, "minsheng2026")
    assert "至少 3 类" in response.content.decode()
    assert response.status_code == 200


def test_a_password_set_in_the_admin_is_recorded_and_checked_against_the_history(client, org, events):
    client.force_login(org.admin)
    url = f"/admin/org/user/{org.leader.pk}/password/"
    response = client.post(url, {"password1": "Chief-New#12", "password2": "Chief-New#12"})
    assert response.status_code == 302
    assert PasswordHistory.objects.filter(user=org.leader).count() == 2
    (event,) = [kwargs for kind, kwargs in events if kind == "password_changed"]
    assert event["user"] == org.admin
    assert event["target"] == "user:leader"
    assert event["detail"] == {"by_self": False}

    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    assert "不能使用最近 5 次用过的密码" in response.content.decode()


def test_a_password_set_in_code_is_recorded_too(org):
    org.auditor.set_password("Auditor-Next#1")
    org.auditor.save()
    entries = PasswordHistory.objects.filter(user=org.auditor)
    assert entries.count() == 2
    assert org.auditor.check_password("Auditor-Next#1")
    assert entries.first().password == org.auditor.password


def test_an_expired_password_must_be_changed_before_anything_else(client, org, clock):
    client.force_login(org.county_staff)
    assert client.get("/workbench/").status_code == 200
    clock.shift(datetime.timedelta(days=91))
    client.force_login(org.county_staff)  # a fresh session: the timeouts are not what this is about
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"] == "/account/password/?expired=1"
    assert client.get("/admin/").status_code == 302
    api = client.get("/api/v1/bulletins/")
    assert api.status_code == 403
    assert api.json()["code"] == "password_expired"
    page = client.get(response["Location"])
    assert "您的密码已超过有效期" in page.content.decode()

    assert change_password(client, PASSWORD, "County-Fresh#1").status_code == 302
    assert client.get("/workbench/").status_code == 200


def test_a_password_younger_than_ninety_days_is_not_expired(client, org, clock):
    clock.shift(datetime.timedelta(days=89))
    client.force_login(org.staff)
    assert client.get("/workbench/").status_code == 200


def test_api_basic_auth_with_an_expired_password_is_refused(client, org, clock):
    import base64

    clock.shift(datetime.timedelta(days=91))
    token = base64.b64encode(f"staff:{PASSWORD}".encode()).decode()
    response = client.get("/api/v1/bulletins/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 403
    assert response.json()["code"] == "password_expired"


def test_existing_accounts_start_their_history_with_the_migration(org):
    # Every account created through the ORM gets its first entry (create_user sets the password).
    assert set(PasswordHistory.objects.values_list("user__username", flat=True)) == set(
        User.objects.values_list("username", flat=True)
    )
