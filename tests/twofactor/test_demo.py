"""The demo's logins come enrolled: their documented keys give the codes, seed_demo prints keys and recovery
codes, and the SMS fallback is on in development."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp

from fixtures.demo import twofactor as demo
from fixtures.demo.data import users as demo_users
from org.models import User

pytestmark = pytest.mark.django_db


def test_every_demo_login_passes_the_second_step_with_its_documented_key():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert "双因素认证" in printed
    codes = io.StringIO()
    call_command("demo_otp", stdout=codes)
    printed_codes = dict(line.split() for line in codes.getvalue().splitlines())
    for username, *_ in demo_users.USERS:
        user = User.objects.get(username=username)
        assert demo.demo_key_base32(username) in printed
        assert " ".join(demo.demo_recovery_codes(username)[:2]) in printed
        assert user.phone
        client = Client()
        client.post("/login/", {"username": username, "password": demo_users.PASSWORD})
        code = f"{totp(bytes.fromhex(demo.demo_key(username))):06d}"
        assert printed_codes[username] == code  # manage.py demo_otp prints the same
        response = client.post("/login/verify/", {"code": code})
        assert response.status_code == 302, username
        assert client.get(response["Location"]).status_code in (200, 302), username


def test_development_settings_switch_the_sms_fallback_on():
    from minsheng.settings import base, dev

    assert dev.MINSHENG_OTP_SMS is True
    assert base.MINSHENG_OTP_SMS is False
