"""Fixtures of the second-factor tests: plain clients (a password only), enrolled users, the codes they
type, and the security events the steps emit."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minsheng.security_events import security_event
from tests.conftest import PASSWORD


@pytest.fixture
def plain():
    """A client whose login is the password only (not tests.clients.VerifiedClient)."""
    return Client()


def signed_in(client: Client, user) -> Client:
    """The login form, as a person signs in: the password step only."""
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return client


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def code_of(device: TOTPDevice, *, steps: int = 0) -> str:
    """The 6 digits the authenticator shows now (or `steps` periods later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps * device.step):06d}"


@pytest.fixture
def events():
    """The security events emitted during the test: (kind, user, target, detail, result)."""
    seen = []

    def record(sender, kind, user, target, detail, result, **kwargs):
        seen.append((kind, user, target, detail, result))

    security_event.connect(record, weak=False)
    yield seen
    security_event.disconnect(record)
