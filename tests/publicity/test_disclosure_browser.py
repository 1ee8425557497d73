"""Disclosure pages on a phone in a real browser: read a project, then verify and answer its survey."""

import pytest

from publicity.models import SurveyResponse
from tests.fixtures.dashboard import SECRETS
from tests.fixtures.voting import code_sent_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912340000"


def test_a_citizen_reads_a_project_and_answers_its_survey_on_a_phone(
    live_server, phone_page, disclosure, outbox
):
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="项目公开").first.click()
    assert page.locator("h1").inner_text() == "2016年民生实事项目公开"
    assert page.locator(".project-card").count() == 1
    # The list fits the phone: no sideways scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    with page.expect_navigation():  # the project's page itself, not the list still on screen
        page.get_by_role("link", name="新增城镇就业").click()
    # The photo below is checked as loaded: wait until the browser is done with it.
    page.wait_for_function(
        "() => { const img = document.querySelector('.photos img'); return img && img.complete; }"
    )
    assert "已完成全年任务的100.0%" in page.locator(".plain-progress").inner_text()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    image = page.locator(".photos img")
    assert image.get_attribute("alt") == "招聘会现场"
    assert page.evaluate("(img) => img.complete && img.naturalWidth", image.element_handle()) == 1
    body = page.content()
    assert not [secret for secret in SECRETS if secret in body]

    page.get_by_role("link", name="参加满意度评价").click()
    page.locator("#id_phone").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.locator("#id_code").wait_for()  # the server has answered (and sent the text) once the field shows
    page.locator("#id_code").fill(code_sent_to(PHONE))
    page.get_by_role("button", name="确认验证码").click()

    page.get_by_label("知道", exact=True).check()
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("支持", exact=True).check()
    page.get_by_label("意见建议（选填）").fill("希望多办招聘会")
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_role("status").first.inner_text() == "感谢您的评价！"
    answer = SurveyResponse.objects.get()
    assert (answer.awareness, answer.satisfaction, answer.support) == ("known", "satisfied", "support")
    assert answer.comment == "希望多办招聘会"

    page.get_by_role("link", name="参加满意度评价").click()
    assert "已参加过本项评价" in page.locator("main").inner_text()
    assert page.js_errors == []
