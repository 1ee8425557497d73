"""The public vote's API: votes and options, sending codes, casting ballots, results, receipts, schema."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.fixtures.voting import code_sent_to
from voting.models import Ballot, BallotChoice

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def api():
    return APIClient()


def option_ids(vote):
    return list(vote.options.order_by("sequence").values_list("pk", flat=True))


def send_code(api, phone=PHONE):
    response = api.post("/api/v1/verification/codes/", {"phone": phone, "purpose": "vote"}, format="json")
    assert response.status_code == 202, response.json()
    return code_sent_to(phone)


def cast(api, vote, options, *, phone=PHONE, code=None):
    body = {"phone": phone, "code": code, "options": options}
    return api.post(f"/api/v1/votes/{vote.pk}/ballots/", body, format="json")


def test_votes_list_and_detail_are_public(api, make_vote, voting_open, django_assert_num_queries):
    vote = make_vote()
    make_vote(["另一项目"], title="另一次投票")
    with django_assert_num_queries(2):  # count, page
        listing = api.get("/api/v1/votes/")
    assert listing.status_code == 200
    assert {v["title"] for v in listing.json()["results"]} == {vote.title, "另一次投票"}
    with django_assert_num_queries(2):  # vote, its options with candidates
        detail = api.get(f"/api/v1/votes/{vote.pk}/")
    body = detail.json()
    assert body["phase"] == "open"
    assert body["max_choices"] == 2
    assert body["results_public"] is False
    assert [o["title"] for o in body["options"]][:2] == ["新建城区公共停车场", "改造老旧小区供暖管网"]
    assert body["options"][0]["description"] == "新建城区公共停车场：说明。"


def test_send_code_then_cast_then_check_receipt(api, make_vote, voting_open, outbox):
    vote = make_vote()
    a, b, *_ = option_ids(vote)
    code = send_code(api)
    response = cast(api, vote, [a, b], code=code)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone_masked"] == "138****5678"
    assert body["options"] == ["新建城区公共停车场", "改造老旧小区供暖管网"]
    receipt = api.get(f"/api/v1/receipts/{body['receipt'].lower()}/")
    assert receipt.status_code == 200
    assert receipt.json()["vote"] == vote.title
    assert api.get("/api/v1/receipts/TPNOTAREAL22/").json()["code"] == "not_found"


def test_code_rate_limit_answers_429(api, voting_open, outbox):
    send_code(api)
    again = api.post("/api/v1/verification/codes/", {"phone": PHONE}, format="json")
    assert again.status_code == 429
    assert again.json()["code"] == "too_frequent"
    assert "验证码发送过于频繁" in again.json()["detail"]
    bad = api.post("/api/v1/verification/codes/", {"phone": "123"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_phone"


def test_bad_ballots_change_nothing_and_keep_the_code(api, make_vote, voting_open, outbox):
    vote = make_vote(max_choices=2)
    other = make_vote(["另一项目"], title="另一次投票")
    a, b, c, _ = option_ids(vote)
    code = send_code(api)
    cases = [
        ([a, b, c], "too_many_choices", "每张选票最多可选2个项目"),
        ([a, option_ids(other)[0]], "unknown_option", "不在本次投票的备选清单中"),
        ([a, a], "repeated_choice", "只能选择一次"),
    ]
    for options, error, text in cases:
        response = cast(api, vote, options, code=code)
        assert response.status_code == 400
        assert response.json()["code"] == error
        assert text in response.json()["detail"]
    wrong = cast(api, vote, [a], code=f"{(int(code) + 1) % 10**6:06d}")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "code_wrong"
    empty = cast(api, vote, [], code=code)
    assert empty.status_code == 400
    assert empty.json()["code"] == "invalid"
    assert not Ballot.objects.exists()
    assert cast(api, vote, [a], code=code).status_code == 201  # the code survived the refusals


def test_reused_code_and_second_ballot_are_refused(api, make_vote, voting_open, outbox):
    vote = make_vote()
    other = make_vote(["另一项目"], title="另一次投票")
    a, b, *_ = option_ids(vote)
    code = send_code(api)
    assert cast(api, vote, [a], code=code).status_code == 201
    reused = cast(api, other, option_ids(other), code=code)
    assert reused.status_code == 400
    assert reused.json()["code"] == "code_expired"
    assert not Ballot.objects.filter(vote=other).exists()
    voting_open.shift(61)
    fresh = send_code(api)
    again = cast(api, vote, [b], code=fresh)
    assert again.status_code == 409
    assert again.json()["code"] == "already_voted"
    assert "已参加过本次投票" in again.json()["detail"]
    assert list(BallotChoice.objects.values_list("option_id", flat=True)) == [a]
    # Refused before the code was looked at: the fresh code still works in the other vote.
    assert cast(api, other, option_ids(other), code=fresh).status_code == 201


def test_expired_code_is_refused(api, make_vote, voting_open, outbox):
    vote = make_vote()
    code = send_code(api)
    voting_open.shift(5 * 60 + 1)
    response = cast(api, vote, option_ids(vote)[:1], code=code)
    assert response.status_code == 400
    assert response.json()["code"] == "code_expired"


def test_out_of_window_ballot_is_refused(api, make_vote, outbox):
    vote = make_vote()
    with time_machine.travel(datetime.datetime(2016, 11, 2, tzinfo=datetime.UTC), tick=False):
        code = send_code(api)
        response = cast(api, vote, option_ids(vote)[:1], code=code)
    assert response.status_code == 400
    assert response.json()["code"] == "vote_closed"


def test_results_follow_the_publication_rule(api, make_vote, voting_open, outbox, org):
    vote = make_vote()
    cast(api, vote, option_ids(vote)[:1], code=send_code(api))
    hidden = api.get(f"/api/v1/votes/{vote.pk}/results/")
    assert hidden.status_code == 403
    assert hidden.json()["code"] == "results_not_public"
    staff = APIClient()
    staff.force_authenticate(org.staff)
    assert staff.get(f"/api/v1/votes/{vote.pk}/results/").json()["ballots"] == 1
    outsider = APIClient()
    outsider.force_authenticate(org.jinan_staff)
    assert outsider.get(f"/api/v1/votes/{vote.pk}/results/").status_code == 403

    vote.results_live = True
    vote.save()
    assert api.get(f"/api/v1/votes/{vote.pk}/results/").status_code == 200
    vote.results_live = False
    vote.save()
    voting_open.move_to(datetime.datetime(2016, 11, 1, tzinfo=datetime.UTC))
    body = api.get(f"/api/v1/votes/{vote.pk}/results/").json()
    assert body["phase"] == "closed"
    assert body["ballots"] == 1
    assert body["options"][0] == {
        "option_id": option_ids(vote)[0],
        "candidate_id": vote.options.order_by("sequence").first().candidate_id,
        "title": "新建城区公共停车场",
        "votes": 1,
        "rank": 1,
        "share": 1.0,
    }


def test_ballot_ip_rate_limit(api, make_vote, voting_open, outbox, settings):
    settings.PHONE_VERIFICATION = {"ballot_ip_limits": ((60, 2),)}
    vote = make_vote()
    for _ in range(2):
        assert cast(api, vote, [option_ids(vote)[0]], code="123456").status_code == 400
    limited = cast(api, vote, [option_ids(vote)[0]], code="123456")
    assert limited.status_code == 429
    assert limited.json()["code"] == "too_frequent"


def test_schema_documents_the_public_vote(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in [
        "/api/v1/votes/",
        "/api/v1/votes/{id}/",
        "/api/v1/votes/{id}/results/",
        "/api/v1/votes/{id}/ballots/",
        "/api/v1/verification/codes/",
        "/api/v1/receipts/{receipt}/",
    ]:
        assert path in paths, path
    cast_op = paths["/api/v1/votes/{id}/ballots/"]["post"]
    assert set(cast_op["responses"]) >= {"201", "400", "409", "429"}
    assert cast_op["security"] == [{}] or "security" not in cast_op or {} in cast_op["security"]
