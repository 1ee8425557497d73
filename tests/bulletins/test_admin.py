"""Bulletins in the admin: staff generate, edit, preview and issue drafts; issued ones are read-only."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from bulletins import services
from bulletins.choices import BulletinStatus, SectionKind
from bulletins.models import Bulletin
from tests.clients import VerifiedClient
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = VerifiedClient()
    client.login(username=user.username, password=PASSWORD)
    return client


def change_url(bulletin) -> str:
    return reverse("admin:bulletins_bulletin_change", args=[bulletin.pk])


def test_staff_and_leaders_list_bulletins(org, draft):
    for user in (org.staff, org.leader, org.auditor):
        response = client_for(user).get(reverse("admin:bulletins_bulletin_changelist"))
        assert response.status_code == 200
    assert (
        "临沂民生工作简报" in client_for(org.staff).get(reverse("admin:bulletins_bulletin_changelist")).text
    )


def test_staff_edit_a_drafts_text_before_issuing(org, draft):
    section = draft.sections.get(kind=SectionKind.NEXT_STEPS)
    client = client_for(org.staff)
    page = client.get(change_url(draft))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: "" if value is None else value for name, value in form.initial.items() if name in form.fields
    }
    data.update(
        title="1-9月份全市重点民生事项进展情况通报（修改）", issued_on="2016-10-14", figures_note="说明"
    )
    sections = list(draft.sections.order_by("sequence"))
    data.update(
        {
            "sections-TOTAL_FORMS": len(sections),
            "sections-INITIAL_FORMS": len(sections),
            "sections-MIN_NUM_FORMS": 0,
            "sections-MAX_NUM_FORMS": 1000,
        }
    )
    for i, s in enumerate(sections):
        body = "改过的下一步工作。" if s.pk == section.pk else s.body
        data.update(
            {
                f"sections-{i}-id": s.pk,
                f"sections-{i}-bulletin": draft.pk,
                f"sections-{i}-sequence": s.sequence,
                f"sections-{i}-heading": s.heading,
                f"sections-{i}-summary": s.summary,
                f"sections-{i}-body": body,
            }
        )
    data = {k: v for k, v in data.items() if v is not False}

    response = client.post(change_url(draft), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.title.endswith("（修改）")
    assert draft.sections.get(pk=section.pk).body == "改过的下一步工作。"
    assert "改过的下一步工作。" in services.preview_html(draft)


def test_preview_and_pdf_of_a_draft(org, draft):
    client = client_for(org.staff)
    preview = client.get(reverse("admin:bulletins_bulletin_preview_detail", args=[draft.pk]))
    assert preview.status_code == 200
    assert "一、关于就业创业服务工作。" in preview.text
    pdf = client.get(reverse("admin:bulletins_bulletin_pdf_detail", args=[draft.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_staff_issue_from_the_admin(org, draft, bulletin_media):
    response = client_for(org.staff).post(
        reverse("admin:bulletins_bulletin_issue_detail", args=[draft.pk]), {"issued_on": "2016-10-14"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.ISSUED
    assert draft.issued_on == datetime.date(2016, 10, 14)


def test_issued_bulletin_is_read_only_in_the_admin(org, draft, bulletin_media):
    issued = services.issue_bulletin(draft, actor=org.staff, issued_on=datetime.date(2016, 10, 14))
    client = client_for(org.staff)

    page = client.get(change_url(issued))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    client.post(change_url(issued), {"title": "篡改"})
    issue = client.post(
        reverse("admin:bulletins_bulletin_issue_detail", args=[issued.pk]), {"issued_on": "2017-01-01"}
    )
    assert issue.status_code == 403

    issued.refresh_from_db()
    assert issued.title == "1-9月份全市重点民生事项进展情况通报"
    assert issued.issue_number == 1


@pytest.mark.parametrize("who", ["leader", "auditor"])
def test_readers_read_issued_bulletins_but_cannot_issue_or_build(org, draft, bulletin_media, who):
    client = client_for(getattr(org, who))
    other = services.generate_bulletin(org.city, 2016, 8, actor=org.staff)
    issued = services.issue_bulletin(other, actor=org.staff, issued_on=datetime.date(2016, 9, 14))

    page = client.get(change_url(issued))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.get(change_url(draft)).status_code == 302  # drafts are the office's work in progress
    issue_url = reverse("admin:bulletins_bulletin_issue_detail", args=[draft.pk])
    assert client.post(issue_url, {"issued_on": "2016-10-14"}).status_code == 403
    build_url = reverse("admin:bulletins_bulletin_build_list")
    assert client.post(build_url, {"region": org.city.pk, "year": 2016, "month": 7}).status_code == 403

    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT
    assert Bulletin.objects.count() == 2


def test_filer_has_no_admin(org, draft):
    response = client_for(org.filer).get(reverse("admin:bulletins_bulletin_changelist"))
    assert response.status_code == 302


def test_staff_build_from_the_admin(org, small_plan):
    response = client_for(org.staff).post(
        reverse("admin:bulletins_bulletin_build_list"), {"region": org.city.pk, "year": 2016, "month": 9}
    )

    assert response.status_code == 302
    assert Bulletin.objects.get().month == 9


def test_settings_page_per_region(org, small_plan):
    response = client_for(org.staff).get(reverse("admin:bulletins_bulletinsettings_changelist"))
    assert response.status_code == 200
    assert "临沂民生工作简报" in response.text
    assert (
        client_for(org.jinan_staff).get(reverse("admin:bulletins_bulletinsettings_changelist")).status_code
        == 200
    )
    assert (
        "临沂民生工作简报"
        not in client_for(org.jinan_staff).get(reverse("admin:bulletins_bulletinsettings_changelist")).text
    )
