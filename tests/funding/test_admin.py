"""The funding admin: writes through the services, read-only for leaders and auditors, scoped by region."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import Entry, FundingSource, PlanAdjustment
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def entry_post(project, **fields):
    data = {
        "project": project.pk,
        "kind": "arrival",
        "level": "central",
        "amount": "1000",
        "date": "2016-03-01",
        "document_number": "",
        "voucher": "",
        "purpose": "",
        "note": "",
        "recipient_unit": "",
    }
    data.update(fields)
    return data


def test_staff_records_an_arrival_through_the_admin(client, org, poverty_project):
    url = reverse("admin:funding_entry_add")
    response = login(client, org.staff).post(
        url, entry_post(poverty_project, document_number="财农〔2016〕1号")
    )
    assert response.status_code == 302, response.context["adminform"].errors
    entry = Entry.objects.get()
    assert (entry.amount, entry.recorded_by) == (Decimal("1000"), org.staff)
    assert FundingSource.objects.get(project=poverty_project, level="central").arrived == Decimal("1000")


def test_admin_shows_the_services_refusal_and_writes_nothing(client, org, poverty_project, money):
    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    data = entry_post(poverty_project, kind="disbursement", amount="1500", recipient_unit=org.hrss.pk)
    response = login(client, org.staff).post(reverse("admin:funding_entry_add"), data)
    assert response.status_code == 200
    assert "超过中央资金已到位未拨付的余额1,000.00元" in response.content.decode()
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("文件.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("文件.pdf", b"not a pdf at all", "文件内容与扩展名"),
        ("扫描件.jpg", b"%PDF-1.4", "文件内容与扩展名"),
    ],
)
def test_a_wrong_attachment_is_refused_before_anything_is_stored(
    client, org, poverty_project, settings, tmp_path, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    data = entry_post(poverty_project, attachment=SimpleUploadedFile(name, content))
    response = login(client, org.staff).post(reverse("admin:funding_entry_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entry.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_scanned_document_is_stored_with_the_entry(client, org, poverty_project, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("到位文件.pdf", b"%PDF-1.4 scanned")
    response = login(client, org.staff).post(
        reverse("admin:funding_entry_add"), entry_post(poverty_project, attachment=scan)
    )
    assert response.status_code == 302
    assert Entry.objects.get().attachment.read() == b"%PDF-1.4 scanned"


def test_staff_cancels_an_entry_with_a_reason(client, org, poverty_project, money):
    entry = money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    url = reverse("admin:funding_entry_cancel_detail", args=[entry.pk])
    login(client, org.staff)
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "重复登记"}).status_code == 302
    entry.refresh_from_db()
    assert entry.is_cancelled
    assert FundingSource.objects.get(project=poverty_project, level="central").arrived == 0


def test_plan_split_is_entered_and_changed_through_the_admin(client, org, make_project):
    project = make_project("09")
    url = reverse("admin:funding_planadjustment_add")
    data = {"project": project.pk, "amount_central": "91000000", "amount_county": "196000000", "reason": ""}
    for name in ("approved_by", "approval_document", "amount_province", "amount_city", "amount_social"):
        data.setdefault(name, "")
    data["amount_other"] = ""
    login(client, org.staff)
    assert client.post(url, data).status_code == 302
    first = PlanAdjustment.objects.get()  # the first split needs no reason but is recorded
    assert (first.before, first.reason) == ({}, "首次录入资金计划")
    data["amount_central"] = "95000000"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "调整资金计划必须说明理由" in response.content.decode()
    data["reason"] = "中央资金追加"
    assert client.post(url, data).status_code == 302
    assert PlanAdjustment.objects.latest("pk").after == {"central": "95000000.00", "county": "196000000.00"}


@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_leaders_and_auditors_read_but_cannot_write(client, org, poverty_project, money, role):
    entry = money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    login(client, getattr(org, role))
    assert client.get(reverse("admin:funding_entry_changelist")).status_code == 200
    assert client.get(reverse("admin:funding_entry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:funding_entry_add")).status_code == 403
    assert client.post(reverse("admin:funding_entry_add"), entry_post(poverty_project)).status_code == 403
    assert (
        client.post(
            reverse("admin:funding_entry_cancel_detail", args=[entry.pk]), {"reason": "x"}
        ).status_code
        == 200
    )
    entry.refresh_from_db()
    assert not entry.is_cancelled
    history = client.get(reverse("admin:funding_entry_history", args=[entry.pk])).status_code
    assert history == (200 if role == "auditor" else 403)


def test_other_regions_do_not_see_the_money(client, org, poverty_project, money):
    entry = money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    for user in (org.jinan_staff, org.county_staff):
        login(client, user)
        response = client.get(reverse("admin:funding_entry_changelist"))
        assert list(response.context["cl"].result_list) == []
        response = client.get(reverse("admin:funding_fundingsource_changelist"))
        assert list(response.context["cl"].result_list) == []
        assert client.get(reverse("admin:funding_entry_history", args=[entry.pk])).status_code == 404


def test_entry_list_query_count_does_not_grow(
    client, org, poverty_project, money, django_assert_max_num_queries
):
    login(client, org.staff)
    url = reverse("admin:funding_entry_changelist")
    client.get(url)
    for day in range(1, 6):
        money(poverty_project, "arrival", "central", "10", f"2016-03-0{day}")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
