"""Each security event is recorded once, with who, from where, what and the result, as a user meets it
through the pages, the admin and the API."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import SecurityEvent
from minsheng.security_events import EventKind, Result
from tests.clients import VerifiedAPIClient as APIClient
from tests.clients import VerifiedClient as Client
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

AGENT = "Mozilla/5.0 (audit test)"


def browser() -> Client:
    return Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR="10.1.2.3")


def only(kind: EventKind) -> SecurityEvent:
    records = list(SecurityEvent.objects.filter(kind=kind))
    assert len(records) == 1, records
    return records[0]


def test_a_successful_login_is_recorded_once(org):
    response = browser().post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    event = only(EventKind.LOGIN)
    assert (event.user_id, event.username, event.role, event.result) == (org.staff.pk, "staff", "staff", "ok")
    assert (event.ip, event.user_agent, event.method, event.path) == ("10.1.2.3", AGENT, "POST", "/login/")
    assert SecurityEvent.objects.count() == 1


def test_a_failed_login_records_the_account_but_never_the_password(org):
    response = browser().post("/admin/login/", {"username": "staff", "password": "wrong-Password-9"})
    assert response.status_code == 200
    event = only(EventKind.LOGIN_FAILED)
    assert (event.user_id, event.username, event.result) == (org.staff.pk, "staff", Result.FAILED)
    assert event.path == "/admin/login/"
    assert "wrong-Password-9" not in str(SecurityEvent.objects.values().get())
    assert SecurityEvent.objects.count() == 1


def test_a_failed_login_of_an_unknown_name_records_the_name_tried(org):
    browser().post("/filing/login/", {"username": "=cmd|' /C calc'!A0", "password": "x"})
    event = only(EventKind.LOGIN_FAILED)
    assert (event.user_id, event.username, event.role) == (None, "=cmd|' /C calc'!A0", "")


def test_a_failed_api_basic_auth_is_recorded(org):
    client = APIClient(REMOTE_ADDR="10.1.2.3")
    client.credentials(HTTP_AUTHORIZATION="Basic c3RhZmY6d3Jvbmc=")  # staff:wrong
    assert client.get("/api/v1/projects/").status_code in (401, 403)
    assert only(EventKind.LOGIN_FAILED).username == "staff"


def test_a_logout_is_recorded_once(org):
    client = browser()
    client.login(username="leader", password=PASSWORD)
    assert client.post(reverse("logout")).status_code == 302
    event = only(EventKind.LOGOUT)
    assert (event.user_id, event.username, event.path) == (org.leader.pk, "leader", "/logout/")


def test_a_logout_without_a_login_records_nothing(org):
    browser().post(reverse("logout"))
    assert not SecurityEvent.objects.filter(kind=EventKind.LOGOUT).exists()


def test_a_refused_page_is_recorded_once_with_the_path_and_reason(org):
    client = browser()
    client.force_login(org.staff)
    response = client.get("/admin/audit/securityevent/")
    assert response.status_code == 403
    event = only(EventKind.REFUSED)
    assert (event.username, event.result, event.method) == ("staff", Result.REFUSED, "GET")
    assert event.path == "/admin/audit/securityevent/"
    assert event.target == "view:admin:audit_securityevent_changelist"
    assert event.detail == {"status": 403, "reason": "您没有权限访问此页面。"}


def test_a_refused_api_request_is_recorded_once_with_the_reason(org):
    client = APIClient(REMOTE_ADDR="10.1.2.3")
    client.force_authenticate(org.filer)
    response = client.get("/api/v1/supervision/board/")
    assert response.status_code == 403
    event = only(EventKind.REFUSED)
    assert (event.user_id, event.path, event.target) == (
        org.filer.pk,
        "/api/v1/supervision/board/",
        "api:BoardView",
    )
    assert event.detail == {"status": 403, "reason": "督查看板仅供民生办、领导和审计人员查看。"}


def test_an_anonymous_api_request_is_recorded_as_refused(org):
    response = APIClient(REMOTE_ADDR="10.9.9.9").get("/api/v1/projects/")
    assert response.status_code in (401, 403)
    event = only(EventKind.REFUSED)
    assert (event.user_id, event.username, event.ip) == (None, "", "10.9.9.9")
    assert event.detail["status"] == response.status_code


def test_a_refused_csrf_check_is_recorded(org):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.1.2.3")
    assert client.post(reverse("login"), {"username": "staff", "password": PASSWORD}).status_code == 403
    assert only(EventKind.REFUSED).detail["csrf"] is True


def test_a_ledger_export_is_recorded_once(org, ledger_project):
    client = browser()
    client.force_login(org.leader)
    export = reverse("admin:ledgers_ledgerimport_export")
    response = client.get(export, {"kind": "projects", "plan": ledger_project.plan.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = only(EventKind.EXPORT)
    assert (event.username, event.target, event.path) == ("leader", f"plan:{ledger_project.plan.pk}", export)
    assert event.detail == {"ledger": "projects", "year": 2016, "region": "临沂市", "month": None}


def test_an_export_form_without_a_choice_records_nothing(org, ledger_project):
    client = browser()
    client.force_login(org.leader)
    client.get(reverse("admin:ledgers_ledgerimport_export"))
    assert not SecurityEvent.objects.filter(kind=EventKind.EXPORT).exists()


def test_a_task_list_export_is_recorded_once(org, make_project):
    make_project("01")
    client = browser()
    client.force_login(org.leader)
    page = client.get("/admin/supervision/taskitem/export/")
    form = page.context["form"]
    data = {"format": "0", **{name: "on" for name, field in form.fields.items() if field.initial is True}}
    assert client.post("/admin/supervision/taskitem/export/", data).status_code == 200
    event = only(EventKind.EXPORT)
    assert (event.username, event.target) == ("leader", "supervision.taskitem")
    assert event.detail["rows"] == 1
    assert event.detail["list"] == "任务清单"


def test_a_bulletin_download_is_recorded_once(org, draft):
    client = browser()
    client.force_login(org.staff)
    response = client.get(reverse("admin:bulletins_bulletin_docx_detail", args=[draft.pk]))
    assert response.status_code == 200
    event = only(EventKind.DOWNLOAD)
    assert (event.username, event.target, event.result) == ("staff", f"bulletin:{draft.pk}", "ok")
    assert event.detail == {"file": "临沂市民生实事简报2016年1-9月份（草稿）.docx", "issued": False}


def test_a_bulletin_download_through_the_api_is_recorded_once(org, draft):
    client = APIClient()
    client.force_authenticate(org.staff)
    assert client.get(f"/api/v1/bulletins/{draft.pk}/docx/").status_code == 200
    assert only(EventKind.DOWNLOAD).path == f"/api/v1/bulletins/{draft.pk}/docx/"


def test_a_public_bulletin_download_is_not_recorded(org, draft, bulletin_media):
    """Published bulletins are public documents; logging anonymous downloads would let anyone fill the log."""
    from bulletins import services

    issued = services.issue_bulletin(draft, actor=org.staff, issued_on=datetime.date(2016, 10, 14))
    issued.is_public = True
    issued.save(update_fields=["is_public"])
    response = APIClient().get(f"/api/v1/bulletins/public/{issued.pk}/docx/")
    assert response.status_code == 200
    assert not SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD).exists()


def test_the_security_log_export_is_itself_recorded_and_neutralises_formulas(org):
    browser().post(reverse("login"), {"username": '=HYPERLINK("http://x")', "password": "x"})
    client = browser()
    client.force_login(org.auditadmin)
    response = client.get(
        reverse("admin:audit_securityevent_export", args=["xlsx"]), {"kind": "login_failed"}
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "时间", "事件类型", "结果")
    assert [row[4] for row in rows[1:]] == ['\'=HYPERLINK("http://x")']
    event = only(EventKind.EXPORT)
    assert (event.username, event.target) == (org.auditadmin.username, "audit.securityevent")
    assert event.detail == {"format": "xlsx", "filters": {"kind": "login_failed"}, "rows": 1}


def test_a_vote_results_export_is_recorded_once(org, make_vote):
    vote = make_vote(max_choices=2)
    client = browser()
    client.force_login(org.auditor)
    response = client.get(reverse("admin:voting_vote_export_detail", args=[vote.pk]))
    assert response.status_code == 200
    event = only(EventKind.EXPORT)
    assert (event.username, event.target) == ("auditor", f"vote:{vote.pk}")
    assert event.detail == {"votes": [vote.pk]}
