"""The admin of publications and surveys: staff write, leaders and auditors read, scoped by region."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from minsheng.phones import hash_phone
from projects.models import ReportAttachment
from publicity import services
from publicity.choices import Awareness, Satisfaction, Support
from publicity.models import PhotoPublication, ProjectPublication, Survey, SurveyResponse
from tests.conftest import PASSWORD
from tests.fixtures.dashboard import PNG


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def pages(disclosure):
    publication = ProjectPublication.objects.get(project=disclosure.shown)
    response = SurveyResponse.objects.first()
    return [
        reverse("admin:publicity_projectpublication_changelist"),
        reverse("admin:publicity_projectpublication_change", args=[publication.pk]),
        reverse("admin:publicity_photopublication_changelist"),
        reverse("admin:publicity_photopublication_change", args=[disclosure.photo.pk]),
        reverse("admin:publicity_survey_changelist"),
        reverse("admin:publicity_survey_change", args=[disclosure.survey.pk]),
        reverse("admin:publicity_surveyresponse_changelist"),
        reverse("admin:publicity_surveyresponse_change", args=[response.pk]),
    ]


@pytest.fixture
def answered(disclosure):
    services.answer_survey(
        disclosure.survey,
        phone_hash=hash_phone("13800000001"),
        awareness=Awareness.KNOWN,
        satisfaction=Satisfaction.FAIRLY,
        support=Support.SUPPORT,
        comment="希望多办招聘会",
    )
    return disclosure


@pytest.mark.parametrize("role", ["staff", "leader", "auditor", "admin"])
def test_every_page_loads_for_roles_that_may_read(client, org, answered, role):
    login(client, getattr(org, role))
    for url in pages(answered):
        assert client.get(url).status_code == 200, url


def test_filer_has_no_access(client, org, answered):
    login(client, org.filer)
    for url in pages(answered):
        assert client.get(url).status_code in (302, 403), url


def test_another_city_sees_nothing_of_ours(client, org, answered):
    login(client, org.jinan_staff)
    response = client.get(reverse("admin:publicity_survey_changelist"))
    assert "新增城镇就业" not in response.content.decode()
    assert client.get(pages(answered)[1]).status_code == 302  # not in its queryset: redirected to the index


def test_survey_results_for_staff(client, org, answered):
    body = login(client, org.staff).get(reverse("admin:publicity_survey_changelist")).content.decode()
    assert "100.0%" in body  # 知晓率, 满意率 and 支持率 of the one answer
    responses = client.get(reverse("admin:publicity_surveyresponse_changelist")).content.decode()
    assert "希望多办招聘会" in responses
    assert "13800000001" not in responses


@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_read_only_roles_cannot_publish(client, org, answered, role):
    login(client, getattr(org, role))
    publication = ProjectPublication.objects.get(project=answered.hidden)
    url = reverse("admin:publicity_projectpublication_changelist")
    client.post(url, {"action": "publish_selected", "_selected_action": [publication.pk]})
    publication.refresh_from_db()
    assert not publication.is_published
    change = reverse("admin:publicity_projectpublication_change", args=[publication.pk])
    client.post(change, {"project": answered.hidden.pk, "is_published": "on", "public_summary": "x"})
    publication.refresh_from_db()
    assert not publication.is_published
    assert client.get(reverse("admin:publicity_survey_add")).status_code == 403


def test_the_change_form_does_not_publish_past_the_service(client, org, answered):
    """Publishing needs a public summary (the service's rule): the change form cannot tick it on."""
    login(client, org.staff)
    publication = ProjectPublication.objects.get(project=answered.hidden)
    publication.public_summary = ""
    publication.save()
    change = reverse("admin:publicity_projectpublication_change", args=[publication.pk])
    response = client.post(
        change, {"project": answered.hidden.pk, "is_published": "on", "public_summary": ""}
    )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert not publication.is_published


def test_staff_publishes_and_withdraws_with_actions(client, org, answered):
    login(client, org.staff)
    hidden = ProjectPublication.objects.get(project=answered.hidden)
    url = reverse("admin:publicity_projectpublication_changelist")
    client.post(url, {"action": "publish_selected", "_selected_action": [hidden.pk]})
    hidden.refresh_from_db()
    assert hidden.is_published
    client.post(
        reverse("admin:publicity_photopublication_changelist"),
        {"action": "withdraw_selected", "_selected_action": [answered.photo.pk]},
    )
    assert not PhotoPublication.objects.get(pk=answered.photo.pk).is_published


def test_staff_creates_a_survey(client, org, make_project):
    project = make_project("07")
    login(client, org.staff)
    response = client.post(
        reverse("admin:publicity_survey_add"),
        {"project": project.pk, "intro": "", "opens_at_0": "2016-10-15", "opens_at_1": "08:00:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Survey.objects.filter(project=project).exists()


def test_staff_prepares_records_for_a_whole_plan(client, org, answered, make_project):
    make_project("08")
    make_project("09")
    login(client, org.staff)
    url = reverse("admin:publicity_projectpublication_prepare_for_plan")
    assert client.get(url).status_code == 200
    response = client.post(url, {"plan": answered.shown.plan.pk})
    assert response.status_code == 302
    publications = ProjectPublication.objects.filter(project__plan=answered.shown.plan)
    assert publications.count() == 4  # 01 and 02 had one already
    assert not publications.filter(project__code__in=["08", "09"], is_published=True).exists()
    assert publications.get(project__code="08").history.count() == 1
    client.post(url, {"plan": answered.shown.plan.pk})
    assert publications.count() == 4  # a second run adds nothing


@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_read_only_roles_cannot_prepare_records(client, org, answered, make_project, role):
    make_project("08")
    login(client, getattr(org, role))
    url = reverse("admin:publicity_projectpublication_prepare_for_plan")
    client.post(url, {"plan": answered.shown.plan.pk})
    assert not ProjectPublication.objects.filter(project__code="08").exists()


def test_staff_prepares_photo_records_for_a_project(client, org, answered):
    third = ReportAttachment.objects.create(
        report=answered.report, kind="photo", file=ContentFile(PNG, name="third.png"), caption="第三张"
    )
    ReportAttachment.objects.create(
        report=answered.report, kind="document", file=ContentFile(b"x", name="note.pdf"), caption="文档"
    )
    login(client, org.staff)
    url = reverse("admin:publicity_photopublication_prepare_for_project")
    assert "新增城镇就业" in client.get(url).content.decode()
    client.post(url, {"project": answered.shown.pk})
    photo = PhotoPublication.objects.get(attachment=third)  # documents get none
    assert not photo.is_published
    assert PhotoPublication.objects.count() == 3
    changelist = client.get(reverse("admin:publicity_photopublication_changelist")).content.decode()
    assert "third.png（第三张）" in changelist
