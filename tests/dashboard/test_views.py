"""The dashboard page: who may open it, its filters, its queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

URL = "/dashboard/"


def test_anonymous_is_sent_to_log_in(client, org):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_filer_is_refused(client, org):
    client.force_login(org.filer)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["staff", "leader", "auditor", "admin"])
def test_readers_open_it_with_their_filters(client, org, dashboard_data, role):
    client.force_login(getattr(org, role))
    body = client.get(URL).content.decode()
    assert '<option value="2016" selected>2016年</option>' in body
    assert reverse("dashboard-overview") in body
    assert "vendor/echarts/echarts.min.js" in body


def test_county_staff_is_offered_only_its_county(client, org, dashboard_data):
    client.force_login(org.county_staff)
    body = client.get(URL).content.decode()
    assert "兰山区" in body
    assert "罗庄区" not in body
    assert "临沂市教育局" not in body


def test_filters_are_kept_in_the_form(client, org, dashboard_data):
    client.force_login(org.staff)
    body = client.get(URL, {"year": 2016, "region": "371302", "category": "education"}).content.decode()
    assert '<option value="371302" selected>' in body
    assert '<option value="education" selected>' in body


def test_page_queries_do_not_grow_with_projects(client, org, dashboard_data, make_project):
    client.force_login(org.staff)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for i in range(5):
        make_project(f"N{i}", lead_unit=[org.hrss, org.edu][i % 2])
    with CaptureQueriesContext(connection) as after:
        client.get(URL)
    assert len(after.captured_queries) == len(before.captured_queries) <= 10
