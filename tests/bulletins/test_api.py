"""Bulletins API: who sees what, the PDF, the public PDF, building a draft; constant queries."""

import datetime
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from bulletins import services
from bulletins.models import Bulletin
from tests.clients import VerifiedAPIClient
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OCT = datetime.date(2016, 10, 14)


def client_for(user) -> APIClient:
    client = VerifiedAPIClient()
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def issued(org, small_plan, bulletin_media):
    draft = services.generate_bulletin(org.city, 2016, 9, actor=org.staff)
    return services.issue_bulletin(draft, actor=org.staff, issued_on=OCT)


@pytest.fixture
def both(org, issued):
    """One issued bulletin (September) and one draft (October)."""
    return issued, services.generate_bulletin(org.city, 2016, 10, actor=org.staff)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_staff_see_drafts_and_issued_bulletins(org, both):
    issued, draft = both
    assert ids(client_for(org.staff).get("/api/v1/bulletins/")) == {issued.pk, draft.pk}


@pytest.mark.parametrize("who", ["leader", "auditor", "filer"])
def test_other_roles_see_only_issued_bulletins(org, both, who):
    issued, draft = both
    client = client_for(getattr(org, who))
    assert ids(client.get("/api/v1/bulletins/")) == {issued.pk}
    assert client.get(f"/api/v1/bulletins/{draft.pk}/").status_code == 404


def test_other_regions_see_nothing(org, both):
    assert ids(client_for(org.jinan_staff).get("/api/v1/bulletins/")) == set()
    assert ids(client_for(org.county_staff).get("/api/v1/bulletins/")) == set()


def test_anonymous_is_refused(both):
    assert client_for(None).get("/api/v1/bulletins/").status_code == 403


def test_detail_has_sections_frozen_text_and_pdf_url(org, issued):
    response = client_for(org.leader).get(f"/api/v1/bulletins/{issued.pk}/")

    body = response.json()
    assert body["issue_number"] == 1
    assert body["total_number"] == 1
    assert body["pdf_url"] == f"/api/v1/bulletins/{issued.pk}/pdf/"
    assert body["text"] == issued.text
    assert body["sections"][1]["heading"] == "一、关于就业创业服务工作。"


def test_pdf_of_an_issued_bulletin_is_the_stored_file(org, issued):
    response = client_for(org.leader).get(f"/api/v1/bulletins/{issued.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == Path(issued.pdf.path).read_bytes()


def test_staff_get_a_drafts_pdf_rendered_on_the_fly(org, both):
    _, draft = both
    response = client_for(org.staff).get(f"/api/v1/bulletins/{draft.pk}/pdf/")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_public_pdf_only_for_bulletins_marked_public(org, issued):
    anonymous = client_for(None)
    url = issued.get_public_pdf_url()
    assert anonymous.get(url).status_code == 404

    services.set_bulletin_public(issued, True, actor=org.staff)

    response = anonymous.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_trigger_a_build_and_get_the_draft(org, small_plan):
    response = client_for(org.staff).post(
        "/api/v1/bulletins/build/", {"region": "371300", "year": 2016, "month": 9}, format="json"
    )

    assert response.status_code == 202, response.content
    bulletin = Bulletin.objects.get()
    assert response.json()["bulletin"] == bulletin.pk
    assert bulletin.created_by == org.staff


@pytest.mark.parametrize("who", ["leader", "auditor", "filer", "jinan_staff"])
def test_others_cannot_trigger_a_build(org, small_plan, who):
    response = client_for(getattr(org, who)).post(
        "/api/v1/bulletins/build/", {"region": "371300", "year": 2016, "month": 9}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Bulletin.objects.exists()


def test_build_with_bad_month_is_a_clear_error(org, small_plan):
    response = client_for(org.staff).post(
        "/api/v1/bulletins/build/", {"region": "371300", "year": 2016, "month": 13}, format="json"
    )

    assert response.status_code == 400
    assert "month" in response.json()["fields"]


def test_list_queries_are_constant(org, small_plan, django_assert_num_queries, bulletin_media):
    client = client_for(org.staff)
    client.get("/api/v1/bulletins/")  # session and user lookups warmed the same way every time
    for month in (6, 7):
        services.generate_bulletin(org.city, 2016, month, actor=org.staff)
    # session, user, the user's unit and region (visibility), count, page
    with django_assert_num_queries(6):
        assert len(ids(client.get("/api/v1/bulletins/"))) == 2
    for month in (8, 9, 10, 11):
        services.generate_bulletin(org.city, 2016, month, actor=org.staff)
    with django_assert_num_queries(6):
        assert len(ids(client.get("/api/v1/bulletins/"))) == 6
