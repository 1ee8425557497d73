"""Public disclosure pages and API: only published projects and photos, nothing internal, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import FundingSource
from projects.models import Milestone, Project, Target
from publicity.models import ProjectPublication
from tests.fixtures.dashboard import PNG, SECRETS

PUBLIC_API = "/api/v1/public/projects/"


def public_responses(client, data):
    """Every public page and API response about the year, the shown project and the hidden one."""
    shown, hidden = data.shown, data.hidden
    return [
        client.get(reverse("publicity:home")),
        client.get(reverse("publicity:disclosure")),
        client.get(reverse("publicity:disclosure-bulletins")),
        client.get("/api/v1/public/bulletins/"),
        client.get(reverse("publicity:disclosure-year", args=[2016])),
        client.get(reverse("publicity:disclosure-project", args=[shown.pk])),
        client.get(PUBLIC_API),
        client.get(PUBLIC_API, {"year": 2016}),
        client.get(f"{PUBLIC_API}{shown.pk}/"),
        client.get(reverse("publicity:disclosure-project", args=[hidden.pk])),
        client.get(f"{PUBLIC_API}{hidden.pk}/"),
    ]


def test_no_internal_field_reaches_a_public_page_or_the_public_api(disclosure):
    for response in public_responses(Client(), disclosure):
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (response.request["PATH_INFO"], secret)


def test_public_pages_show_the_published_project_in_plain_words(disclosure):
    client = Client()
    page = client.get(reverse("publicity:disclosure-year", args=[2016])).content.decode()
    assert "新增城镇就业" in page
    assert "今年新增城镇就业9万人" in page
    assert "截至9月底，已完成全年任务的100.0%" in page  # capped at 1 in the project's completion
    assert "计划投资 <strong>1,200万元</strong>，截至9月已完成投资 <strong>878.25万元</strong>" in page
    detail = client.get(reverse("publicity:disclosure-project", args=[disclosure.shown.pk])).content.decode()
    assert "新增城镇就业：全年目标90,000人，已完成93,000人（103.3%）" in detail
    assert "878.25万元" in detail
    assert "完成招聘会" in detail
    assert "招聘会现场" in detail
    assert reverse("publicity:disclosure-photo", args=[disclosure.photo.pk]) in detail
    assert reverse("publicity:disclosure-photo", args=[disclosure.hidden_photo.pk]) not in detail


def test_public_and_admin_show_the_same_pair_of_figures(disclosure, org):
    """Completion and 序时进度 on the public pages are the admin's (projects.progress), rounded once."""
    from django.contrib.admin.sites import site

    project = Project.objects.with_progress().get(pk=disclosure.shown.pk)
    admin = site._registry[Project]
    completion, expected = admin.completion_display(project), admin.expected_display(project)
    pair = f"已完成全年任务的{completion}，按时间应完成{expected}"
    client = Client()
    listing = client.get(reverse("publicity:disclosure-year", args=[2016])).content.decode()
    detail = client.get(reverse("publicity:disclosure-project", args=[disclosure.shown.pk])).content.decode()
    assert pair in listing
    assert pair in detail
    width = f'aria-valuenow="{round(project.completion * 100)}"'
    assert width in listing
    assert width in detail


def test_funds_by_level_replace_the_investment_figures_when_recorded(disclosure):
    for level, planned, spent in (("city", 6_000_000, 1_000_000), ("province", 4_000_000, 500_000)):
        FundingSource.objects.create(
            project=disclosure.shown,
            level=level,
            planned=planned,
            arrived=planned,
            disbursed=spent,
            spent=spent,
        )
    client = Client()
    page = client.get(reverse("publicity:disclosure-year", args=[2016])).content.decode()
    assert "计划资金 <strong>1,000万元</strong>，已支出资金 <strong>150万元</strong>" in page
    row = client.get(PUBLIC_API).json()["results"][0]
    assert (row["funds_planned"], row["funds_spent"]) == ("10000000.00", "1500000.00")


def test_unpublished_projects_are_invisible(disclosure):
    client = Client()
    assert client.get(reverse("publicity:disclosure-project", args=[disclosure.hidden.pk])).status_code == 404
    assert client.get(f"{PUBLIC_API}{disclosure.hidden.pk}/").status_code == 404
    ids = [row["id"] for row in client.get(PUBLIC_API).json()["results"]]
    assert ids == [disclosure.shown.pk]
    # Withdrawing the publication hides the project again, and its photo with it.
    ProjectPublication.objects.filter(project=disclosure.shown).update(is_published=False)
    assert client.get(reverse("publicity:disclosure-project", args=[disclosure.shown.pk])).status_code == 404
    assert client.get(reverse("publicity:disclosure-photo", args=[disclosure.photo.pk])).status_code == 404
    assert client.get(reverse("publicity:disclosure")).status_code == 200


def test_a_year_without_published_projects_is_not_found(disclosure):
    assert Client().get(reverse("publicity:disclosure-year", args=[2017])).status_code == 404


def test_only_published_photos_are_served(disclosure):
    client = Client()
    response = client.get(reverse("publicity:disclosure-photo", args=[disclosure.photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert (
        client.get(reverse("publicity:disclosure-photo", args=[disclosure.hidden_photo.pk])).status_code
        == 404
    )


def test_public_api_lists_explicit_fields_only(disclosure):
    client = Client()
    row = client.get(PUBLIC_API).json()["results"][0]
    assert set(row) == {
        "id",
        "year",
        "plan",
        "region_code",
        "region_name",
        "title",
        "category",
        "category_label",
        "status",
        "status_label",
        "lead_unit",
        "summary",
        "deadline",
        "as_of_month",
        "completion",
        "expected",
        "progress_text",
        "planned_investment",
        "investment_completed",
        "investment_month",
        "funds_planned",
        "funds_spent",
        "survey_open",
        "url",
    }
    detail = client.get(f"{PUBLIC_API}{disclosure.shown.pk}/").json()
    assert detail["targets"][0]["completion"] == "1.0333"
    assert [m["name"] for m in detail["milestones"]] == ["完成招聘会"]
    assert [p["caption"] for p in detail["photos"]] == ["招聘会现场"]
    assert detail["investment_completed"] == "8782530.00"


def test_public_api_needs_no_login_and_rejects_a_bad_year(disclosure):
    client = Client()
    assert client.get(PUBLIC_API).status_code == 200
    response = client.get(PUBLIC_API, {"year": "abc"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def _publish_more(make_project, count):
    for i in range(count):
        project = make_project(f"X{i:02d}", targets={"指标": 10})
        ProjectPublication.objects.create(project=project, is_published=True, public_summary="简介")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("url", ["/disclosure/2016/", PUBLIC_API, "/disclosure/"])
def test_public_lists_take_the_same_queries_at_two_sizes(disclosure, make_project, url):
    client = Client()
    client.get(url)  # warm up
    small = _queries(client, url)
    _publish_more(make_project, 5)
    assert Project.objects.filter(publication__is_published=True).count() == 6
    assert _queries(client, url) == small <= 3


def test_project_page_takes_the_same_queries_with_more_targets_and_milestones(disclosure):
    client = Client()
    url = reverse("publicity:disclosure-project", args=[disclosure.shown.pk])
    client.get(url)
    before = _queries(client, url)
    for i in range(4):
        Target.objects.create(project=disclosure.shown, name=f"指标{i}", measure="个", annual_target=10)
        Milestone.objects.create(
            project=disclosure.shown, name=f"节点{i}", planned_date=datetime.date(2016, 9, i + 1)
        )
    assert _queries(client, url) == before <= 5
