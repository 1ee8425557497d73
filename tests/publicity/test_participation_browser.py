"""The citizen's flows in a real browser (Debian's chromium, phone viewport): submit a proposal and follow
it, vote (phone, code, choices, receipt) and read the results. Codes are read from the SMS outbox."""

import datetime

import pytest
from django.utils import timezone

from proposals.models import CollectionRound, Proposal
from tests.fixtures.voting import code_sent_to
from voting.models import Ballot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912345678"


def go(page, role, name, heading):
    """Click the button or link and wait for the page with this heading."""
    page.get_by_role(role, name=name).click()
    page.get_by_role("heading", name=heading).wait_for()


def test_citizen_submits_a_proposal_and_follows_it(live_server, phone_page, org, outbox):
    today = timezone.localdate()
    collection = CollectionRound.objects.create(
        region=org.city,
        year=today.year + 1,
        name=f"{today.year + 1}年临沂市民生实事征集",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="建言献策").click()
    page.get_by_role("link", name="我要提建议").click()
    assert page.locator("h1").inner_text() == collection.name

    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("建议所属领域").select_option(label="便民服务")
    page.get_by_label("建议标题").fill("老城区增设公共停车泊位")
    page.get_by_label("建议内容").fill("老城区停车难，建议利用闲置空地增设公共停车泊位约500个。")
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("验证码已发送至 139****5678").wait_for()
    # Everything typed is still there after the round trip.
    assert page.get_by_label("建议标题").input_value() == "老城区增设公共停车泊位"

    page.get_by_label("短信验证码").fill("000000" if code_sent_to(PHONE) != "000000" else "111111")
    page.get_by_role("button", name="提交建议").click()
    page.get_by_text("验证码错误，还可尝试4次。").wait_for()
    assert page.get_by_label("建议内容").input_value().startswith("老城区停车难")

    page.get_by_label("短信验证码").fill(code_sent_to(PHONE))
    go(page, "button", "提交建议", "建议已提交")
    proposal = Proposal.objects.get()
    assert page.locator("#tracking-code").inner_text() == proposal.tracking_code

    go(page, "link", "查看办理情况", "老城区增设公共停车泊位")
    assert "提交建议" in page.locator(".timeline").inner_text()
    assert page.js_errors == []


def test_citizen_votes_gets_a_receipt_and_sees_live_results(live_server, phone_page, make_vote, outbox):
    now = timezone.now()
    vote = make_vote(
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        max_choices=2,
        results_live=True,
    )
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="公众投票").first.click()
    page.get_by_role("link", name=vote.title).click()
    page.get_by_role("textbox", name="手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").wait_for()  # shown once the server has answered (and sent the text)
    page.get_by_label("短信验证码").fill(code_sent_to(PHONE))
    page.get_by_role("button", name="确认验证码").click()

    page.get_by_text("已验证手机号：139****5678").wait_for()
    # Tick three by keyboard and mouse: the counter warns, the server refuses, the ticks stay.
    first = page.get_by_label("1. 新建城区公共停车场")
    first.focus()
    page.keyboard.press("Space")
    page.get_by_label("3. 新增普惠性幼儿园学位").check()
    page.get_by_label("4. 农村公路安全生命防护工程").check()
    assert "已超出" in page.locator(".counter").inner_text()
    page.get_by_role("button", name="提交选票").click()
    page.get_by_text("每张选票最多可选2个项目，您选择了3个。").wait_for()
    assert first.is_checked()
    assert not Ballot.objects.exists()

    page.get_by_label("4. 农村公路安全生命防护工程").uncheck()
    go(page, "button", "提交选票", "投票成功")
    ballot = Ballot.objects.get()
    assert page.locator("#receipt-code").inner_text() == ballot.receipt

    go(page, "link", "查看投票结果", "投票结果")
    table = page.locator("table").inner_text()
    assert "新建城区公共停车场" in table
    assert "100.0%" in table
    assert "有效选票 1 张" in page.locator("main").inner_text()

    page.goto(live_server.url + "/votes/receipts/")
    page.get_by_label("投票回执码").fill(ballot.receipt.lower())
    go(page, "button", "核对", "选票已计入")
    assert page.js_errors == []
