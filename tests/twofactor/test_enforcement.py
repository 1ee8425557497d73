"""A password alone opens nothing that needs the second factor: pages and the admin send the user to the
second step (enrolment first), the session API answers 403 in Chinese; what is open stays open."""

import base64
from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD
from tests.twofactor.conftest import enrol, signed_in

pytestmark = pytest.mark.django_db

PAGES = {
    "staff": ["/workbench/", "/admin/", "/supervision/", "/filing/review/", "/notifications/", "/history/"],
    "leader": ["/dashboard/", "/admin/", "/supervision/"],
    "auditor": ["/history/", "/admin/"],
    "filer": ["/filing/", "/notifications/"],
    "admin": ["/workbench/", "/admin/", "/admin/org/user/"],
}


def goes_to(response, step: str, page: str) -> bool:
    return response.status_code == 302 and response["Location"] == f"{step}?next={quote(page, safe='')}"


@pytest.mark.parametrize("role", list(PAGES))
def test_a_password_alone_opens_no_page_nor_the_admin_for_any_role(plain, org, role):
    user = getattr(org, role)
    signed_in(plain, user)
    for page in PAGES[role]:
        assert goes_to(plain.get(page), "/account/2fa/", page), page  # not enrolled yet: enrolment
    enrol(user)
    for page in PAGES[role]:
        assert goes_to(plain.get(page), "/login/verify/", page), page  # enrolled: the second step


@pytest.mark.parametrize("role", ["staff", "filer", "leader", "admin"])
def test_the_session_api_refuses_a_password_alone_in_chinese(plain, org, role):
    signed_in(plain, getattr(org, role))
    response = plain.get("/api/v1/projects/")
    assert response.status_code == 403
    assert response.json() == {
        "code": "second_factor_required",
        "detail": "请先在登录页完成双因素验证（动态验证码）后再访问接口。",
    }
    assert plain.post("/api/v1/projects/", {}).status_code == 403


def test_the_second_step_opens_what_the_password_alone_did_not(plain, org):
    from tests.clients import pass_second_factor

    signed_in(plain, org.staff)
    pass_second_factor(plain, org.staff)
    assert plain.get("/workbench/").status_code == 200
    assert plain.get("/admin/").status_code == 200
    assert plain.get("/api/v1/projects/").status_code == 200


def test_public_pages_health_login_and_logout_stay_open_before_the_second_step(plain, org):
    signed_in(plain, org.staff)
    assert plain.get("/").status_code == 200
    assert plain.get("/disclosure/").status_code == 200
    assert plain.get("/api/v1/public/projects/").status_code == 200
    assert plain.get("/healthz").status_code == 200
    assert plain.get("/login/verify/")["Location"].startswith("/account/2fa/")  # its own step, no loop
    assert plain.get("/account/2fa/").status_code == 200
    # The login page lets them change account (it sends a signed-in user without `next` home, which is
    # then the second step again).
    assert plain.get("/login/?next=/workbench/").status_code == 200
    response = plain.post("/logout/")
    assert response["Location"] == "/login/"
    assert plain.get("/workbench/")["Location"] == "/login/?next=/workbench/"


def test_anonymous_users_still_meet_the_login_not_the_second_step(plain, org):
    assert plain.get("/workbench/")["Location"] == "/login/?next=/workbench/"
    assert plain.get("/api/v1/projects/").status_code in (401, 403)
    assert plain.get("/api/v1/projects/").json()["code"] != "second_factor_required"


def test_api_basic_auth_is_machine_access_without_the_second_factor(plain, org):
    # Basic auth is a development and test convenience (off in production): no session, no second step.
    token = base64.b64encode(f"staff:{PASSWORD}".encode()).decode()
    response = plain.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200


def test_roles_not_listed_in_the_setting_sign_in_with_the_password_alone(plain, org, settings):
    settings.MINSHENG_OTP_REQUIRED_ROLES = ["staff", "administrator"]
    signed_in(plain, org.filer)
    assert plain.get("/filing/").status_code == 200
    plain.post("/logout/")
    signed_in(plain, org.staff)
    assert plain.get("/workbench/").status_code == 302
    plain.post("/logout/")
    signed_in(plain, org.admin)
    assert plain.get("/workbench/").status_code == 302


def test_a_verified_request_reads_no_device_row(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.staff)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/workbench/").status_code == 200
    assert not [q["sql"] for q in queries if "otp_" in q["sql"]]
