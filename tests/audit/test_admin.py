"""Only the security-log reader (审计管理员) reads the
log in the admin; nobody adds, changes or deletes a record there; everyone else is refused, and logged."""

import csv
import io

import pytest
from django.urls import reverse

from audit import services
from audit.models import SecurityEvent
from minsheng.security_events import EventKind, Result

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_securityevent_changelist")


@pytest.fixture
def events(org):
    services.record(EventKind.LOGIN, user=org.staff, target="user:staff")
    services.record(EventKind.LOGIN_FAILED, username="mallory", result=Result.FAILED)
    return SecurityEvent.objects.order_by("seq")


def test_the_reader_sees_the_log_filtered_by_kind_and_searched_by_username(client, org, events):
    client.force_login(org.auditadmin)
    page = client.get(CHANGELIST, {"kind": "login_failed"})
    assert page.status_code == 200
    assert [row.username for row in page.context["cl"].result_list] == ["mallory"]
    found = client.get(CHANGELIST, {"q": "staff"}).context["cl"].result_list
    assert [row.kind for row in found] == ["login"]


@pytest.mark.parametrize("username", ["staff", "leader", "auditor"])
def test_everyone_else_is_refused_and_the_refusal_is_logged(client, org, events, username):
    client.force_login(getattr(org, username))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:audit_securityevent_export", args=["csv"])).status_code == 403
    refused = SecurityEvent.objects.filter(kind=EventKind.REFUSED, username=username)
    assert refused.count() == 2
    assert not SecurityEvent.objects.filter(kind=EventKind.EXPORT).exists()


def test_nobody_adds_changes_or_deletes_a_record_in_the_admin(client, org, events):
    client.force_login(org.auditadmin)
    first = events.first()
    assert client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_securityevent_delete", args=[first.pk])).status_code == 403
    change = reverse("admin:audit_securityevent_change", args=[first.pk])
    assert client.get(change).status_code == 200  # shown read-only
    client.post(change, {"username": "someone"})
    first.refresh_from_db()
    assert first.username == "staff"
    response = client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [first.pk]})
    assert response.status_code in (200, 302)
    assert SecurityEvent.objects.filter(pk=first.pk).exists()


def test_the_csv_export_keeps_the_lists_filters_and_writes_formulas_as_text(client, org):
    services.record(EventKind.LOGIN_FAILED, username="@SUM(A1:A9)", result=Result.FAILED)
    services.record(EventKind.LOGIN, user=org.staff)
    client.force_login(org.auditadmin)
    response = client.get(reverse("admin:audit_securityevent_export", args=["csv"]), {"result": "failed"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["序号", "时间", "事件类型", "结果", "用户名"]
    assert [(row[2], row[3], row[4]) for row in rows[1:]] == [("登录失败", "失败", "'@SUM(A1:A9)")]


def test_an_unknown_export_format_is_refused(client, org):
    client.force_login(org.auditadmin)
    assert client.get(reverse("admin:audit_securityevent_export", args=["pdf"])).status_code == 403


def test_the_log_is_in_the_readers_sidebar_and_not_in_staffs(client, org):
    client.force_login(org.auditadmin)
    assert f'href="{CHANGELIST}"' in client.get("/admin/").content.decode()
    client.force_login(org.staff)
    assert f'href="{CHANGELIST}"' not in client.get("/admin/").content.decode()


def test_the_break_glass_superuser_does_not_read_the_log(client, org, events):
    """Whoever breaks the glass cannot read or tidy the record of having done it (三员分立)."""
    client.force_login(org.admin)
    assert client.get(CHANGELIST).status_code == 403
