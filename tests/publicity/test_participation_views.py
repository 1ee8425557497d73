"""The public participation pages: the proposal form with its phone code, "where did my proposal go", the
voting flow (phone, code, choices, receipt), results and the receipt check; and no clear phone anywhere."""

import datetime
import logging
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from proposals.models import Proposal
from tests.fixtures.voting import code_sent_to
from voting.models import Ballot

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
PROPOSAL = {
    "proposer_name": "王小明",
    "category": "services",
    "title": "老城区增设公共停车泊位",
    "description": "老城区停车难，建议利用闲置空地增设公共停车泊位约500个。",
    "estimated_cost": "3000000",
}


@pytest.fixture
def in_round():
    with time_machine.travel(datetime.datetime(2016, 9, 1, 2, 0, tzinfo=datetime.UTC), tick=False) as t:
        yield t


def round_url(collection_round):
    return reverse("publicity:round", args=[collection_round.pk])


def submit(client, collection_round, code, **changes):
    data = {**PROPOSAL, "phone": PHONE, "code": code, "action": "submit", **changes}
    return client.post(round_url(collection_round), data)


def test_participate_page_lists_rounds_and_votes(client, collection_round, make_vote, in_round):
    make_vote()
    page = client.get(reverse("publicity:participate"))
    assert page.status_code == 200
    assert collection_round.name in page.text
    assert "我要提建议" in page.text
    assert "2017年临沂市民生实事备选项目网上投票" in page.text
    assert "未开始" in page.text
    assert 'href="/participate/"' in page.text  # the nav link


def test_proposal_send_code_keeps_the_typed_proposal(client, collection_round, in_round, outbox):
    page = client.post(round_url(collection_round), {**PROPOSAL, "phone": PHONE, "action": "send"})
    assert page.status_code == 200
    assert "验证码已发送至 138****5678" in page.text
    assert 'value="老城区增设公共停车泊位"' in page.text
    assert "老城区停车难，建议利用闲置空地增设公共停车泊位约500个。" in page.text
    assert 'class="errorlist"' not in page.text
    assert len(outbox) == 1


def test_proposal_with_wrong_code_keeps_data_and_writes_nothing(client, collection_round, in_round, outbox):
    client.post(round_url(collection_round), {**PROPOSAL, "phone": PHONE, "action": "send"})
    code = code_sent_to(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page = client.post(
        round_url(collection_round), {**PROPOSAL, "phone": PHONE, "code": wrong, "action": "submit"}
    )
    assert page.status_code == 400
    assert "验证码错误，还可尝试4次。" in page.text
    assert 'value="老城区增设公共停车泊位"' in page.text
    assert not Proposal.objects.exists()


def test_invalid_proposal_does_not_use_up_the_code(client, collection_round, in_round, outbox):
    client.post(round_url(collection_round), {**PROPOSAL, "phone": PHONE, "action": "send"})
    code = code_sent_to(PHONE)
    short = {**PROPOSAL, "description": "太短", "phone": PHONE, "code": code, "action": "submit"}
    page = client.post(round_url(collection_round), short)
    assert page.status_code == 400
    assert "建议内容请至少写10个字" in page.text
    assert 'value="王小明"' in page.text
    done = client.post(
        round_url(collection_round), {**PROPOSAL, "phone": PHONE, "code": code, "action": "submit"}
    )
    assert done.status_code == 302


def test_proposal_submitted_and_traced(client, collection_round, in_round, outbox):
    client.post(round_url(collection_round), {**PROPOSAL, "phone": PHONE, "action": "send"})
    done = client.post(
        round_url(collection_round),
        {**PROPOSAL, "phone": PHONE, "code": code_sent_to(PHONE), "action": "submit"},
    )
    proposal = Proposal.objects.get()
    assert done["Location"] == reverse("publicity:proposal_submitted", args=[proposal.tracking_code])
    assert proposal.phone_masked == "138****5678"
    assert proposal.source == "portal"
    page = client.get(done["Location"])
    assert proposal.tracking_code in page.text
    assert "138****5678" in page.text
    # Another browser asking for the confirmation page is sent to the public look-up instead.
    from django.test import Client

    assert Client().get(done["Location"]).status_code == 302

    trace = client.get(reverse("publicity:track"), {"code": proposal.tracking_code.lower()})
    assert trace.status_code == 200
    assert "提交建议" in trace.text
    assert "待处理" in trace.text
    missing = client.get(reverse("publicity:track"), {"code": "JYNOTHERE2345"})
    assert missing.status_code == 404
    assert "没有找到该查询码对应的建议" in missing.text


def test_closed_round_takes_no_proposals(client, collection_round, outbox):
    with time_machine.travel(datetime.datetime(2016, 10, 8, tzinfo=datetime.UTC), tick=False):
        page = client.get(round_url(collection_round))
        assert "当前不在征集期内" in page.text
        assert "提交建议</button>" not in page.text
        response = client.post(round_url(collection_round), {**PROPOSAL, "phone": PHONE, "action": "send"})
    assert response.status_code == 302
    assert outbox == []
    assert not Proposal.objects.exists()


# -- voting ------------------------------------------------------------------------------------------------


def verify(client, vote_url):
    verify_url = reverse("publicity:verify_phone", args=["vote"])
    client.post(verify_url, {"action": "send", "phone": PHONE, "next": vote_url})
    done = client.post(
        verify_url, {"action": "confirm", "phone": PHONE, "code": code_sent_to(PHONE), "next": vote_url}
    )
    assert done.status_code == 302
    assert done["Location"] == vote_url


def test_voting_flow_phone_code_choices_receipt(client, make_vote, voting_open, outbox):
    vote = make_vote(max_choices=2)
    url = reverse("publicity:vote", args=[vote.pk])
    a, b, c, _ = vote.options.order_by("sequence").values_list("pk", flat=True)

    page = client.get(url)
    assert "获取验证码" in page.text
    assert "新建城区公共停车场：说明。" in page.text
    assert 'name="options"' not in page.text
    assert client.post(url, {"options": [a]}).status_code == 302  # not verified: nothing cast
    assert not Ballot.objects.exists()

    verify(client, url)
    page = client.get(url)
    assert 'name="options"' in page.text
    assert "138****5678" in page.text

    too_many = client.post(url, {"options": [a, b, c]})
    assert too_many.status_code == 400
    assert "每张选票最多可选2个项目，您选择了3个。" in too_many.text
    assert len(re.findall(r" checked>", too_many.text)) == 3  # the choices stay ticked
    assert not Ballot.objects.exists()

    done = client.post(url, {"options": [a, c]})
    ballot = Ballot.objects.get()
    assert done["Location"] == reverse("publicity:receipt_detail", args=[ballot.receipt])
    receipt = client.get(done["Location"])
    assert "投票成功" in receipt.text
    assert ballot.receipt in receipt.text
    assert "新建城区公共停车场" in receipt.text
    assert "新增普惠性幼儿园学位" in receipt.text

    again = client.get(url)
    assert "已参加过本次投票" in again.text
    assert 'name="options"' not in again.text
    refused = client.post(url, {"options": [b]})
    assert refused.status_code == 400
    assert "已参加过本次投票" in refused.text
    assert Ballot.objects.count() == 1


def test_ballot_after_the_close_is_refused_with_a_message(client, make_vote, voting_open, outbox):
    vote = make_vote()
    url = reverse("publicity:vote", args=[vote.pk])
    voting_open.move_to(datetime.datetime(2016, 10, 31, 15, 50, tzinfo=datetime.UTC))
    verify(client, url)
    voting_open.move_to(datetime.datetime(2016, 10, 31, 16, 1, tzinfo=datetime.UTC))  # still verified
    response = client.post(url, {"options": list(vote.options.values_list("pk", flat=True)[:1])}, follow=True)
    assert "投票已于2016-11-01 00:00截止。" in response.text  # the message, on the page it was sent back to
    assert not Ballot.objects.exists()


def test_unknown_option_on_the_page(client, make_vote, voting_open, outbox):
    vote = make_vote()
    url = reverse("publicity:vote", args=[vote.pk])
    verify(client, url)
    page = client.post(url, {"options": ["999999"]})
    assert page.status_code == 400
    assert "所选项目不在本次投票的备选清单中" in page.text


def test_results_page_waits_for_the_close(client, make_vote, voting_open):
    from tests.fixtures.voting import phone
    from voting.services import cast_ballot

    vote = make_vote()
    a, b, *_ = vote.options.order_by("sequence").values_list("pk", flat=True)
    for n, options in enumerate([[a], [a, b], [b], [a]]):
        cast_ballot(vote, phone(n), options)
    url = reverse("publicity:vote_results", args=[vote.pk])
    hidden = client.get(url)
    assert "投票结果将于" in hidden.text
    assert "75.0%" not in hidden.text
    voting_open.move_to(datetime.datetime(2016, 11, 1, tzinfo=datetime.UTC))
    shown = client.get(url)
    assert "有效选票 <strong>4</strong> 张" in shown.text
    assert "75.0%" in shown.text
    assert "50.0%" in shown.text


def test_receipt_check(client, make_vote, voting_open):
    from tests.fixtures.voting import phone
    from voting.services import cast_ballot

    vote = make_vote()
    ballot = cast_ballot(vote, phone(3), vote.options.values_list("pk", flat=True)[:1])
    found = client.get(reverse("publicity:receipt_check"), {"code": ballot.receipt.lower()})
    assert found.status_code == 200
    assert "选票已计入" in found.text
    assert "139****0003" in found.text
    missing = client.get(reverse("publicity:receipt_check"), {"code": "TPNOPE234567"})
    assert missing.status_code == 404
    assert "没有找到该回执码对应的选票" in missing.text


def test_vote_pages_query_counts(client, make_vote, voting_open, django_assert_max_num_queries):
    vote = make_vote()
    with django_assert_max_num_queries(4):
        client.get(reverse("publicity:votes"))
    with django_assert_max_num_queries(6):
        client.get(reverse("publicity:vote", args=[vote.pk]))
    voting_open.move_to(datetime.datetime(2016, 11, 1, tzinfo=datetime.UTC))
    with django_assert_max_num_queries(6):
        client.get(reverse("publicity:vote_results", args=[vote.pk]))


# -- no clear phone in any table or log ----------------------------------------------------------------------


def all_table_text() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the introspection
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_no_clear_phone_in_any_table_or_log(client, collection_round, make_vote, outbox, caplog, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # so sessions are in a table too
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(datetime.datetime(2016, 9, 1, 2, 0, tzinfo=datetime.UTC), tick=False):
        client.post(round_url(collection_round), {**PROPOSAL, "phone": PHONE, "action": "send"})
        client.post(
            round_url(collection_round),
            {**PROPOSAL, "phone": PHONE, "code": code_sent_to(PHONE), "action": "submit"},
        )
    vote = make_vote()
    with time_machine.travel(datetime.datetime(2016, 10, 15, tzinfo=datetime.UTC), tick=False):
        url = reverse("publicity:vote", args=[vote.pk])
        verify(client, url)
        client.post(url, {"options": list(vote.options.values_list("pk", flat=True)[:1])})
    assert Proposal.objects.count() == 1
    assert Ballot.objects.count() == 1
    text = all_table_text()
    assert "138****5678" in text  # the scan does see the phone columns
    assert PHONE not in text
    assert "138****5678" in caplog.text
    assert PHONE not in caplog.text
