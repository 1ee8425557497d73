"""The funding API: entries and summaries with the same visibility as projects; writes through services."""

from decimal import Decimal

import pytest

from funding.models import Entry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/funding/entries/"


def api(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_entries_visible_by_role(client, org, seeded_money):
    counts = {}
    for role in ("staff", "leader", "auditor", "filer", "county_staff", "jinan_staff"):
        client.logout()
        counts[role] = api(client, getattr(org, role)).get(ENTRIES, {"year": 2016}).json()["count"]
    # 7 entries on the city's poverty item (led by 市人社局, the filer's unit), 2 on 兰山区's 新农合.
    assert counts == {"staff": 9, "leader": 9, "auditor": 9, "filer": 7, "county_staff": 2, "jinan_staff": 0}
    client.logout()
    assert client.get(ENTRIES).status_code == 403


def test_entry_list_runs_constant_queries(client, org, seeded_money, money, django_assert_num_queries):
    api(client, org.staff)
    with django_assert_num_queries(6):  # session, user, unit, region, count, page
        first = client.get(ENTRIES).json()
    for day in range(1, 6):
        money(seeded_money["nhc"], "arrival", "county", "10", f"2016-09-0{day}")
    with django_assert_num_queries(6):
        assert client.get(ENTRIES).json()["count"] == first["count"] + 5


def test_entry_filters(client, org, seeded_money):
    api(client, org.staff)
    rows = client.get(ENTRIES, {"region": "371302", "kind": "arrival"}).json()["results"]
    assert {(r["level_label"], r["amount"]) for r in rows} == {
        ("中央", "40160000.00"),
        ("省级", "10530000.00"),
    }
    assert client.get(ENTRIES, {"level": "county", "year": 2016}).json()["count"] == 1


def test_staff_records_an_entry(client, org, poverty_project):
    body = {"project": poverty_project.pk, "kind": "arrival", "level": "central", "amount": "91000000.00"}
    response = api(client, org.staff).post(
        ENTRIES, {**body, "date": "2016-03-10", "document_number": "财农1号"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind_label"] == "到位"
    assert Entry.objects.get().amount == Decimal("91000000")


def test_disbursement_above_arrivals_is_a_400_with_code(client, org, poverty_project, money):
    money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    body = {
        "project": poverty_project.pk,
        "kind": "disbursement",
        "level": "central",
        "amount": "2000",
        "date": "2016-03-02",
        "recipient_unit": org.hrss.pk,
    }
    response = api(client, org.staff).post(ENTRIES, body)
    assert response.status_code == 400
    assert response.json()["code"] == "disbursement_exceeds_arrival"
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"level": "乡镇"}, "level"),
        ({"amount": "-1"}, "amount"),
        ({"date": "x"}, "date"),
    ],
)
def test_bad_input_is_refused(client, org, poverty_project, change, field):
    body = {
        "project": poverty_project.pk,
        "kind": "arrival",
        "level": "central",
        "amount": "1",
        "date": "2016-03-01",
    }
    response = api(client, org.staff).post(ENTRIES, {**body, **change})
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Entry.objects.exists()


@pytest.mark.parametrize("role", ["leader", "auditor", "filer"])
def test_read_only_roles_cannot_record(client, org, poverty_project, role):
    body = {
        "project": poverty_project.pk,
        "kind": "arrival",
        "level": "central",
        "amount": "1",
        "date": "2016-03-01",
    }
    response = api(client, getattr(org, role)).post(ENTRIES, body)
    assert response.status_code == 403
    assert not Entry.objects.exists()


def test_other_regions_project_is_not_accepted(client, org, poverty_project):
    body = {
        "project": poverty_project.pk,
        "kind": "arrival",
        "level": "central",
        "amount": "1",
        "date": "2016-03-01",
    }
    response = api(client, org.jinan_staff).post(ENTRIES, body)
    assert response.status_code == 400
    assert "project" in response.json()["fields"]


def test_cancel_through_the_api(client, org, poverty_project, money):
    entry = money(poverty_project, "arrival", "central", "1000", "2016-03-01")
    api(client, org.staff)
    assert client.post(f"{ENTRIES}{entry.pk}/cancel/", {}).status_code == 400
    response = client.post(f"{ENTRIES}{entry.pk}/cancel/", {"reason": "重复登记"})
    assert response.status_code == 200
    assert response.json()["is_cancelled"]


def test_summary_by_region_with_text(client, org, seeded_money, django_assert_max_num_queries):
    api(client, org.staff)
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/funding/summary/", {"by": "region", "year": 2016, "region": "371300"})
    rows = {r["label"]: r for r in response.json()}
    assert rows["兰山区"]["planned"] == "67430000.00"
    assert rows["兰山区"]["arrival_rate_text"] == "75.2%"
    assert rows["临沂市本级"]["arrived_text"] == "7.03亿元"


def test_totals_and_monthly(client, org, seeded_money):
    api(client, org.staff)
    totals = client.get("/api/v1/funding/totals/", {"year": 2016, "month": 3}).json()
    assert totals["arrived"] == "131160000.00"
    assert Decimal(totals["yoy_arrived"]) == Decimal("1.6232")
    months = client.get("/api/v1/funding/monthly/", {"year": 2016}).json()
    assert len(months) == 12
    assert months[2]["last_cum_arrived"] == "50000000.00"


def test_summary_visibility_and_bad_parameters(client, org, seeded_money):
    api(client, org.county_staff)
    rows = client.get("/api/v1/funding/summary/", {"by": "level", "year": 2016}).json()
    assert sum(Decimal(r["planned"]) for r in rows) == Decimal("67430000")
    response = client.get("/api/v1/funding/summary/", {"by": "region", "year": 2016, "region": "371300"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_region"
    assert client.get("/api/v1/funding/summary/", {"by": "village", "year": 2016}).status_code == 400
    assert client.get("/api/v1/funding/summary/", {"by": "level"}).status_code == 400
