"""A security administrator resets a user's second factor from the user admin: confirm, devices gone, the
user's sessions lose the verification and enrolment comes again; nobody else can."""

import pytest
from django_otp import devices_for_user

from minsheng.errors import PermissionDenied
from minsheng.security_events import EventKind
from tests.clients import VerifiedClient
from twofactor import services
from twofactor.services import new_recovery_codes

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/org/user/"


def test_the_security_administrator_resets_after_confirming(client, org, events):
    user_session = VerifiedClient()
    user_session.force_login(org.county_staff)
    new_recovery_codes(org.county_staff)
    assert user_session.get("/workbench/").status_code == 200

    client.force_login(org.admin)  # the superuser holds 安全管理员 until the three roles exist
    post = {"action": "reset_second_factor", "_selected_action": [org.county_staff.pk]}
    confirm = client.post(CHANGELIST, post)
    assert confirm.status_code == 200
    assert "重置双因素认证" in confirm.content.decode()
    assert list(devices_for_user(org.county_staff))  # nothing removed before confirming

    done = client.post(CHANGELIST, {**post, "confirm": "yes"})
    assert done.status_code == 302
    assert list(devices_for_user(org.county_staff, confirmed=None)) == []
    reset = [e for e in events if e[0] == EventKind.OTP_RESET]
    assert len(reset) == 1
    assert reset[0][1] == org.admin
    assert reset[0][2] == "user:county_staff"
    assert reset[0][3] == {"devices": 2}
    # The user's open session is no longer verified: enrolment comes again.
    assert user_session.get("/workbench/")["Location"] == "/account/2fa/?next=%2Fworkbench%2F"


def test_staff_are_not_offered_the_reset_and_the_service_refuses_them(client, org):
    client.force_login(org.staff)
    page = client.get(CHANGELIST).content.decode()
    assert "reset_second_factor" not in page
    client.post(
        CHANGELIST, {"action": "reset_second_factor", "_selected_action": [org.filer.pk], "confirm": "yes"}
    )
    new_recovery_codes(org.filer)
    with pytest.raises(PermissionDenied):
        services.reset_second_factor(org.filer, actor=org.staff)
    assert list(devices_for_user(org.filer))
