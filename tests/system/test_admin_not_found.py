"""Admin pages reached with an id that is missing, malformed or outside the user's scope answer 404 (a Chinese
page), for GET and POST, never a 500 and never "exists but forbidden" (issue 15, crashes found by probing)."""

import datetime
import re

import pytest
from django.contrib import admin
from django.urls import URLPattern

from org.admin_base import HistoryAdmin
from supervision.models import Rectification
from tests.factories import (
    BulletinFactory,
    EntryFactory,
    PlanFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    SupervisionOrderFactory,
)

# Django's own object pages: a missing id redirects to the index with a message (Django's choice, kept),
# and a model without deletion refuses its delete page as a whole (403). The history of the scoped admins
# (HistoryAdmin) is ours and is walked.
DJANGO_OBJECT_VIEWS = ("_change", "_delete")
ID = re.compile(r"<(int:|str:|path:|slug:)?(object_id|pk)>")
BOGUS = ("999999", "abc", "-1", "1.5")
# The detail actions the issue names: 404 for every user the walk signs in as.
ISSUE_NAMED = ("/cancel/", "/submit/", "/accept/", "/return/", "/close/", "/verify/", "/reject/", "/preview/")


def object_urls():
    """(url template with {} for the id, url name, the bogus ids its route accepts) of every admin URL
    that takes a record's id, except Django's own object pages."""
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.get_urls():
            route = str(pattern.pattern)
            match = ID.search(route)
            if not isinstance(pattern, URLPattern) or match is None or pattern.name is None:
                continue
            django_own = DJANGO_OBJECT_VIEWS + (
                () if isinstance(model_admin, HistoryAdmin) else ("_history",)
            )
            if pattern.name.endswith(django_own):
                continue
            bogus = ("999999",) if match.group(1) == "int:" else BOGUS
            yield base + ID.sub("{}", route).replace("<path:version_id>", "1"), pattern.name, bogus


def test_the_walk_finds_the_detail_actions_named_in_the_issue():
    names = {name for _, name, _ in object_urls()}

    assert {
        "funding_entry_cancel_detail",
        "projects_progressreport_submit_detail",
        "projects_progressreport_accept_detail",
        "projects_progressreport_return_detail",
        "supervision_supervisionorder_close_detail",
        "supervision_rectification_verify_detail",
        "supervision_rectification_reject_detail",
        "bulletins_bulletin_preview_detail",
        "bulletins_bulletin_pdf_detail",
        "ledgers_ledgerimport_preview",
        "projects_project_history",
    } <= names


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["admin", "staff"])
def test_every_admin_url_taking_an_id_answers_404_to_a_missing_or_malformed_id(client, org, user):
    client.force_login(getattr(org, user))
    client.raise_request_exception = False
    answers = {}
    for template, _, ids in object_urls():
        for bogus in ids:
            for method in ("get", "post"):
                url = template.format(bogus)
                response = getattr(client, method)(url)
                answers[(method, url)] = response.status_code
                if response.status_code == 404:
                    assert "记录" in response.content.decode() or "页面" in response.content.decode(), url
    # 404, or 403 where the user may not use that page at all (the 安全管理员's role page, a re-run that needs
    # the import's own permission): the permission is checked before the id. Never anything else, never 500.
    assert {key: code for key, code in answers.items() if code not in (403, 404)} == {}
    issue_named = [key for key in answers if any(part in key[1] for part in ISSUE_NAMED)]
    assert issue_named
    assert {key: answers[key] for key in issue_named if answers[key] != 404} == {}


@pytest.fixture
def linyi_records(org):
    """One record of each kind with an admin action, in 临沂市 (out of 济南市's scope)."""
    plan = PlanFactory(region=org.city, year=2026)
    project = ProjectFactory(plan=plan, lead_unit=org.hrss)
    problem = ProblemFactory(project=project)
    rectification = Rectification.objects.create(
        problem=problem, measures="整改", deadline=datetime.date(2026, 7, 1)
    )
    return {
        "funding/entry/{}/cancel/": EntryFactory(project=project),
        "projects/progressreport/{}/accept/": ProgressReportFactory(project=project),
        "projects/progressreport/{}/return/": ProgressReportFactory(project=project, month=6),
        "projects/progressreport/{}/submit/": ProgressReportFactory(project=project, month=7),
        "supervision/supervisionorder/{}/close/": SupervisionOrderFactory(project=project),
        "supervision/rectification/{}/verify/": rectification,
        "supervision/rectification/{}/reject/": rectification,
        "bulletins/bulletin/{}/preview/": BulletinFactory(region=org.city),
        "bulletins/bulletin/{}/regenerate/": BulletinFactory(region=org.city, month=11),
        "projects/project/{}/history/": project,
    }


@pytest.mark.django_db
def test_admin_actions_on_another_regions_record_answer_404_and_change_nothing(client, org, linyi_records):
    client.force_login(org.jinan_staff)
    client.raise_request_exception = False

    for path, record in linyi_records.items():
        url = "/admin/" + path.format(record.pk)
        before = type(record).objects.filter(pk=record.pk).values().get()
        assert client.get(url).status_code == 404, url
        response = client.post(url, {"reason": "作废", "note": "不通过"})
        assert response.status_code == 404, url
        assert "不在您的可见范围内" in response.content.decode()
        assert type(record).objects.filter(pk=record.pk).values().get() == before


@pytest.mark.django_db
def test_the_same_actions_open_for_staff_of_the_region(client, org, linyi_records):
    client.force_login(org.staff)

    for path, record in linyi_records.items():
        if "/pdf/" in path:
            continue
        assert client.get("/admin/" + path.format(record.pk)).status_code == 200, path
