"""The second step in a real browser: a new account enrols (QR code, key, one code, recovery codes), an
enrolled one types its authenticator's code; where they were going is kept."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, base, username, start="/admin/"):
    page.goto(base + start)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def test_a_new_account_enrols_then_reaches_the_admin(live_server, browser_page, org):
    page = browser_page
    password_step(page, live_server.url, "staff")
    page.wait_for_url("**/account/2fa/?next=%2Fadmin%2F")
    assert page.locator(".otp-qr svg").is_visible()
    key = page.locator(".otp-key").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=org.staff, confirmed=False)
    assert bytes.fromhex(device.key) == base64.b32decode(key)
    page.fill("input[name=code]", f"{totp(device.bin_key):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="完成绑定").click()
    codes = page.locator(".otp-codes code").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    with page.expect_navigation():
        page.get_by_role("link", name="我已保存，继续").click()
    assert page.url == live_server.url + "/admin/"
    assert page.js_errors == []


def test_an_enrolled_account_types_its_code_and_lands_where_it_was_going(live_server, browser_page, org):
    device = TOTPDevice.objects.create(user=org.filer, name="身份验证器", confirmed=True)
    page = browser_page
    password_step(page, live_server.url, "filer", start="/filing/login/?next=/notifications/")
    page.wait_for_url("**/login/verify/?next=%2Fnotifications%2F")
    page.get_by_label("验证码或恢复码").fill(f"{totp(device.bin_key):06d}")
    with page.expect_navigation():
        page.get_by_role("button", name="验证并登录").click()
    assert page.url == live_server.url + "/notifications/"
