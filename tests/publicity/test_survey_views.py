"""The survey pages: verify a phone by SMS code, answer once, the phone never stored in clear."""

from django.test import Client
from django.urls import reverse

from minsheng.phones import hash_phone
from publicity.models import SurveyResponse
from tests.fixtures.voting import code_sent_to

PHONE = "13812345678"
ANSWER = {"awareness": "known", "satisfaction": "fairly", "support": "support", "comment": "多办几场招聘会"}


def verify(client, phone=PHONE, *, next_url):
    url = reverse("publicity:verify_phone", args=["survey"])
    client.post(url, {"action": "send", "phone": phone, "next": next_url})
    response = client.post(
        url, {"action": "confirm", "phone": phone, "code": code_sent_to(phone), "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    return client


def test_a_citizen_verifies_a_phone_and_answers_once(disclosure, outbox):
    client = Client()
    url = reverse("publicity:disclosure-survey", args=[disclosure.shown.pk])
    page = client.get(url).content.decode()
    assert "验证手机号码" in page
    assert "获取验证码" in page
    assert "提交评价" not in page

    verify(client, next_url=url)
    page = client.get(url).content.decode()
    assert "138****5678" in page
    assert "提交评价" in page

    response = client.post(url, ANSWER)
    assert response.status_code == 302
    assert response["Location"] == reverse("publicity:disclosure-project", args=[disclosure.shown.pk])
    answer = SurveyResponse.objects.get()
    assert answer.phone_hash == hash_phone(PHONE)
    assert (answer.awareness, answer.satisfaction, answer.support) == ("known", "fairly", "support")

    # The same phone again: the page says so and a forged second POST is refused.
    assert "已参加过本项评价" in client.get(url).content.decode()
    response = client.post(url, ANSWER)
    assert response.status_code == 400
    assert "只能提交一次" in response.content.decode()
    assert SurveyResponse.objects.count() == 1

    # The phone number is nowhere in clear.
    assert PHONE not in str(SurveyResponse.objects.values_list()[0])


def test_answering_without_a_verified_phone_goes_to_verification(disclosure):
    url = reverse("publicity:disclosure-survey", args=[disclosure.shown.pk])
    response = Client().post(url, ANSWER)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("publicity:verify_phone", args=["survey"]))
    assert not SurveyResponse.objects.exists()


def test_a_missing_answer_is_shown_in_chinese(disclosure, outbox):
    client = Client()
    url = reverse("publicity:disclosure-survey", args=[disclosure.shown.pk])
    verify(client, next_url=url)
    response = client.post(url, {**ANSWER, "support": ""})
    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_no_survey_page_for_an_unpublished_project(disclosure):
    url = reverse("publicity:disclosure-survey", args=[disclosure.hidden.pk])
    assert Client().get(url).status_code == 404


def test_a_closed_survey_takes_no_answers(disclosure, outbox):
    from django.utils import timezone

    disclosure.survey.closes_at = timezone.now()
    disclosure.survey.save()
    client = Client()
    url = reverse("publicity:disclosure-survey", args=[disclosure.shown.pk])
    assert "已结束" in client.get(url).content.decode()
    verify(client, next_url=url)
    response = client.post(url, ANSWER)
    assert response.status_code == 400
    assert "未在进行中" in response.content.decode()
    assert not SurveyResponse.objects.exists()
