"""Publishing and survey answers: the rules of the services and the database constraints behind them."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from minsheng.errors import DomainError, PermissionDenied
from minsheng.phones import hash_phone
from publicity import services
from publicity.choices import Awareness, Satisfaction, Support, SurveyState
from publicity.models import ProjectPublication, Survey, SurveyResponse

ANSWER = {
    "awareness": Awareness.KNOWN,
    "satisfaction": Satisfaction.SATISFIED,
    "support": Support.SUPPORT,
}


def test_staff_publishes_a_project_with_a_summary(org, disclosure):
    publication = ProjectPublication.objects.get(project=disclosure.hidden)
    services.set_project_published(publication, True, actor=org.staff)
    publication.refresh_from_db()
    assert publication.is_published
    assert publication.published_at is not None
    assert publication.history.count() == 2


def test_a_project_without_summary_cannot_be_published(org, make_project):
    publication = ProjectPublication.objects.create(project=make_project("09"))
    with pytest.raises(DomainError, match="公开简介"):
        services.set_project_published(publication, True, actor=org.staff)
    publication.refresh_from_db()
    assert not publication.is_published


@pytest.mark.parametrize("who", ["leader", "auditor", "filer", "jinan_staff"])
def test_only_staff_of_the_region_publish(org, disclosure, who):
    publication = ProjectPublication.objects.get(project=disclosure.hidden)
    with pytest.raises(PermissionDenied):
        services.set_project_published(publication, True, actor=getattr(org, who))
    publication.refresh_from_db()
    assert not publication.is_published


def test_staff_withdraws_a_photo(org, disclosure):
    services.set_photo_published(disclosure.photo, False, actor=org.staff)
    disclosure.photo.refresh_from_db()
    assert not disclosure.photo.is_published


def test_one_answer_per_phone(disclosure):
    services.answer_survey(disclosure.survey, phone_hash=hash_phone("13800000001"), **ANSWER)
    with pytest.raises(DomainError, match="只能提交一次") as error:
        services.answer_survey(disclosure.survey, phone_hash=hash_phone("+86 138-0000-0001"), **ANSWER)
    assert error.value.code == "already_answered"
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().phone_hash == hash_phone("13800000001")


def test_the_database_refuses_a_second_answer_from_the_same_phone(disclosure):
    values = {"survey": disclosure.survey, "phone_hash": hash_phone("13800000001"), **ANSWER}
    SurveyResponse.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(**values)


def test_answers_only_while_open_and_published(disclosure):
    survey = disclosure.survey
    survey.closes_at = timezone.now() + datetime.timedelta(days=1)
    survey.save()
    with time_machine.travel(survey.closes_at + datetime.timedelta(seconds=1)):
        assert survey.state() == SurveyState.CLOSED
        with pytest.raises(DomainError, match="未在进行中"):
            services.answer_survey(survey, phone_hash=hash_phone("13800000002"), **ANSWER)
    hidden_survey = Survey.objects.get(project=disclosure.hidden)
    with pytest.raises(DomainError, match="未在进行中"):
        services.answer_survey(hidden_survey, phone_hash=hash_phone("13800000002"), **ANSWER)
    assert not SurveyResponse.objects.exists()


def test_bad_answers_are_refused_with_a_chinese_message(disclosure):
    with pytest.raises(DomainError, match="请选择满意度"):
        services.answer_survey(
            disclosure.survey, phone_hash=hash_phone("13800000003"), **{**ANSWER, "satisfaction": "x"}
        )
    assert not SurveyResponse.objects.exists()


def test_results_count_the_rates(disclosure):
    answers = [
        (Awareness.KNOWN, Satisfaction.SATISFIED, Support.SUPPORT),
        (Awareness.HEARD, Satisfaction.FAIRLY, Support.SUPPORT),
        (Awareness.UNKNOWN, Satisfaction.DISSATISFIED, Support.NEUTRAL),
        (Awareness.KNOWN, Satisfaction.DISSATISFIED, Support.OPPOSE),
    ]
    for i, (a, s, p) in enumerate(answers):
        services.answer_survey(
            disclosure.survey, phone_hash=hash_phone(f"1380000001{i}"), awareness=a, satisfaction=s, support=p
        )
    survey = Survey.objects.with_results().get(pk=disclosure.survey.pk)
    assert survey.answers == 4
    assert survey.awareness_rate == pytest.approx(0.75)
    assert survey.satisfaction_rate == pytest.approx(0.5)
    assert survey.support_rate == pytest.approx(0.5)
    empty = Survey.objects.with_results().get(project=disclosure.hidden)
    assert empty.answers == 0
    assert empty.satisfaction_rate is None


def test_a_survey_closes_after_it_opens(disclosure):
    survey = disclosure.survey
    survey.closes_at = survey.opens_at - datetime.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        survey.save()
