"""Test clients whose login also passes the second factor (issue 15), for tests about something else.

Every account must pass the second factor (twofactor/), so a session that only `force_login`s or `login`s
would be sent to /login/verify/ by the admin and the pages and refused by the API. `VerifiedClient` and
`VerifiedAPIClient` complete the second step as a verified session does: the user gets a confirmed
authenticator (created once) and the session records it, as django_otp.login does after a right code.
tests/conftest.py makes the `client` fixture a VerifiedClient. tests/twofactor/ uses plain clients to show
that a password alone opens nothing.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from twofactor import devices

TEST_DEVICE = "测试身份验证器"


def verified_device(user) -> TOTPDevice:
    """The confirmed authenticator the verified clients use for `user`."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name=TEST_DEVICE, defaults={"confirmed": True})
    devices.remember(device)
    return device


def pass_second_factor(client: Client, user) -> None:
    """Mark the client's signed-in session as verified by the second factor."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()


class SecondFactorLoginMixin:
    def _login(self, user, backend=None):
        super()._login(user, backend)  # type: ignore[misc]
        pass_second_factor(self, user)  # type: ignore[arg-type]


class VerifiedClient(SecondFactorLoginMixin, Client):
    """django.test.Client whose login() and force_login() also pass the second factor."""


class VerifiedAPIClient(SecondFactorLoginMixin, APIClient):
    """DRF's APIClient whose login() and force_login() also pass the second factor."""
