"""The second step as a user meets it: enrolment (QR code, key, one code, recovery codes once), codes from
the authenticator, recovery codes, SMS codes when switched on, wrong codes, and the events recorded."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng import sms
from minsheng.security_events import EventKind, Result
from tests.twofactor.conftest import code_of, enrol, signed_in

pytestmark = pytest.mark.django_db


def kinds(events):
    return [kind for kind, *_ in events]


def test_enrolment_shows_the_qr_code_and_key_then_the_recovery_codes_once(plain, org, events):
    signed_in(plain, org.staff)
    page = plain.get("/account/2fa/?next=/workbench/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body
    assert "<script" not in body
    assert "style=" not in body
    device = TOTPDevice.objects.get(user=org.staff, confirmed=False)
    key = re.search(r'class="otp-key">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert base32_hex(key) == device.key

    wrong = plain.post("/account/2fa/", {"code": "000000", "next": "/workbench/"})
    assert wrong.status_code == 400
    assert "验证码不正确" in wrong.content.decode()
    assert plain.get("/workbench/").status_code == 302

    with time_machine.travel(
        timezone.now() + datetime.timedelta(seconds=5)
    ):  # past the pause after a wrong code
        done = plain.post("/account/2fa/", {"code": code_of(device), "next": "/workbench/"})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=org.staff).values_list("token", flat=True)
    )
    assert 'href="/workbench/"' in done.content.decode()
    assert plain.get("/workbench/").status_code == 200  # verified by the enrolling code
    assert kinds(events) == [EventKind.OTP_ENROLLED, EventKind.OTP_VERIFIED]
    assert events[0][1] == org.staff
    assert events[0][2] == "user:staff"
    # Enrolled: the page shows the state, not a new key; recovery codes are not shown again.
    status = plain.get("/account/2fa/").content.decode()
    assert "已绑定身份验证器" in status
    assert codes[0] not in status


def base32_hex(key: str) -> str:
    import base64

    return base64.b32decode(key).hex()


def test_the_authenticators_code_passes_the_second_step_and_keeps_next(plain, org, events):
    device = enrol(org.leader)
    signed_in(plain, org.leader)
    step = plain.get("/admin/projects/project/")
    assert step["Location"] == "/login/verify/?next=%2Fadmin%2Fprojects%2Fproject%2F"
    page = plain.get(step["Location"])
    assert "动态验证码" in page.content.decode()
    response = plain.post("/login/verify/", {"code": code_of(device), "next": "/admin/projects/project/"})
    assert response["Location"] == "/admin/projects/project/"
    assert plain.get("/admin/projects/project/").status_code == 200
    assert events[-1][0] == EventKind.OTP_VERIFIED
    assert events[-1][3] == {"method": "totp"}
    # The same code cannot be replayed in another session.
    other = signed_in(type(plain)(), org.leader)
    again = other.post("/login/verify/", {"code": code_of(device), "next": "/dashboard/"})
    assert again.status_code == 400


def test_an_outside_next_is_not_followed(plain, org):
    device = enrol(org.staff)
    signed_in(plain, org.staff)
    response = plain.post("/login/verify/", {"code": code_of(device), "next": "https://evil.example/"})
    assert response["Location"] == "/workbench/"


def test_a_recovery_code_works_once(plain, org, events):
    enrol(org.staff)
    from twofactor.services import new_recovery_codes

    codes = new_recovery_codes(org.staff)
    signed_in(plain, org.staff)
    response = plain.post("/login/verify/", {"code": codes[0].upper(), "next": "/workbench/"})
    assert response["Location"] == "/workbench/"
    assert events[-1][3] == {"method": "recovery"}
    plain.post("/logout/")
    signed_in(plain, org.staff)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        refused = plain.post("/login/verify/", {"code": codes[0], "next": "/workbench/"})
    assert refused.status_code == 400
    assert "验证码不正确" in refused.content.decode()
    assert StaticToken.objects.filter(device__user=org.staff).count() == 9


def test_five_wrong_codes_sign_the_session_out(plain, org, events):
    enrol(org.staff)
    signed_in(plain, org.staff)
    start = timezone.now()
    for attempt in range(1, 5):
        # Past django-otp's growing pause after each wrong code (1, 2, 4, 8 s).
        with time_machine.travel(start + datetime.timedelta(minutes=attempt), tick=False):
            response = plain.post("/login/verify/", {"code": "123456", "next": "/workbench/"})
        assert response.status_code == 400
        assert f"还可以再试 {5 - attempt} 次" in response.content.decode()
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        response = plain.post("/login/verify/", {"code": "123456", "next": "/workbench/"})
    assert response["Location"] == "/login/?next=%2Fworkbench%2F"
    assert plain.get("/workbench/")["Location"] == "/login/?next=/workbench/"  # signed out
    failed = [e for e in events if e[0] == EventKind.OTP_FAILED]
    assert len(failed) == 5
    assert failed[-1][1] == org.staff
    assert failed[-1][3] == {"failures": 5}
    assert failed[-1][4] == Result.FAILED


def test_a_code_right_after_a_wrong_one_waits_for_the_throttle(plain, org):
    device = enrol(org.staff)
    signed_in(plain, org.staff)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        plain.post("/login/verify/", {"code": "000000"})
        response = plain.post("/login/verify/", {"code": code_of(device)})
    assert response.status_code == 429
    assert "尝试过于频繁" in response.content.decode()
    with time_machine.travel(now + datetime.timedelta(seconds=5), tick=False):
        assert plain.post("/login/verify/", {"code": code_of(device)}).status_code == 302


def test_an_enrolled_user_cannot_enrol_again_with_the_password_alone(plain, org):
    enrol(org.staff)
    signed_in(plain, org.staff)
    assert plain.get("/account/2fa/")["Location"].startswith("/login/verify/")
    assert plain.post("/account/2fa/recovery/")["Location"].startswith("/account/2fa/")
    assert TOTPDevice.objects.filter(user=org.staff).count() == 1


def test_a_verified_user_renews_the_recovery_codes(client, org):
    enrol(org.staff)
    client.force_login(org.staff)
    from twofactor.services import new_recovery_codes

    old = new_recovery_codes(org.staff)
    page = client.post("/account/2fa/recovery/").content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10
    assert not set(new) & set(old)


# -- SMS ----------------------------------------------------------------------------------------------------


@pytest.fixture
def sms_on(settings, org):
    settings.MINSHENG_OTP_SMS = True
    org.staff.phone = "13812345678"
    org.staff.save()
    enrol(org.staff)
    return org.staff


def sent_code() -> str:
    return re.search(r"验证码为 (\d{6})", sms.outbox[-1].text).group(1)


def test_an_sms_code_passes_the_second_step_when_switched_on(plain, org, sms_on, events):
    signed_in(plain, org.staff)
    page = plain.get("/login/verify/?next=/workbench/").content.decode()
    assert "发送短信验证码" in page
    response = plain.post("/login/verify/sms/", {"next": "/workbench/"})
    assert response["Location"] == "/login/verify/?next=%2Fworkbench%2F"
    assert sms.outbox[-1].phone == "13812345678"
    assert "138****5678" in plain.get(response["Location"]).content.decode()
    done = plain.post("/login/verify/", {"code": sent_code(), "next": "/workbench/"})
    assert done["Location"] == "/workbench/"
    assert events[-1][3] == {"method": "sms"}


def test_an_sms_code_expires_after_five_minutes(plain, org, sms_on):
    signed_in(plain, org.staff)
    plain.post("/login/verify/sms/")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert plain.post("/login/verify/", {"code": sent_code()}).status_code == 400


def test_sms_floods_get_429_and_send_nothing(plain, org, sms_on):
    signed_in(plain, org.staff)
    for _ in range(3):
        assert plain.post("/login/verify/sms/").status_code == 302
    flood = plain.post("/login/verify/sms/")
    assert flood.status_code == 429
    assert "发送过于频繁" in flood.content.decode()
    assert len(sms.outbox) == 3


def test_sms_is_off_unless_the_office_switches_it_on(plain, org):
    org.staff.phone = "13812345678"
    org.staff.save()
    enrol(org.staff)
    signed_in(plain, org.staff)
    assert "发送短信验证码" not in plain.get("/login/verify/").content.decode()
    assert plain.post("/login/verify/sms/").status_code == 404
    assert sms.outbox == []


def test_without_a_phone_the_sms_fallback_says_so(plain, org, settings):
    settings.MINSHENG_OTP_SMS = True
    enrol(org.staff)
    signed_in(plain, org.staff)
    response = plain.post("/login/verify/sms/")
    assert response.status_code == 400
    assert "未登记手机号" in response.content.decode()
