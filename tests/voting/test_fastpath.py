"""The ballot's fast path (voting/api/fastpath.py): under gunicorn the WSGI application casts a well-formed
JSON ballot before Django sees it. Same rules and answers as the API; what it cannot judge goes to Django."""

import datetime
import io
import json
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings

from tests.fixtures.voting import code_sent_to
from voting import services
from voting.api.fastpath import BallotFastPath
from voting.models import Ballot, BallotChoice, Vote, VoteOption

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13812345678"


@pytest.fixture
def app():
    calls = {"django": 0}
    django = WSGIHandler()

    def counting(environ, start_response):
        calls["django"] += 1
        return django(environ, start_response)

    application = BallotFastPath(counting)
    application.calls = calls
    return application


def request(
    app,
    path,
    payload=None,
    *,
    method="POST",
    host="127.0.0.1",
    content_type="application/json",
    scheme="http",
):
    body = payload if isinstance(payload, bytes) else json.dumps(payload or {}).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": scheme,
        "wsgi.errors": sys.stderr,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    chunks = app(environ, start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return answer["status"], answer["headers"], json.loads(content) if content.startswith(b"{") else content


def send_code(client, phone=PHONE):
    response = client.post("/api/v1/verification/codes/", {"phone": phone, "purpose": "vote"}, format="json")
    assert response.status_code == 202
    return code_sent_to(phone)


@pytest.fixture
def client():
    from rest_framework.test import APIClient

    return APIClient()


def ballot_path(vote):
    return f"/api/v1/votes/{vote.pk}/ballots/"


def options_of(vote):
    return list(vote.options.order_by("sequence").values_list("pk", flat=True))


def test_a_ballot_is_cast_without_django_and_answers_like_the_api(
    app, client, make_vote, voting_open, outbox
):
    vote = make_vote()
    a, b, *_ = options_of(vote)
    code = send_code(client)
    status, headers, body = request(app, ballot_path(vote), {"phone": PHONE, "code": code, "options": [b, a]})
    assert status == 201
    assert app.calls["django"] == 0
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Frame-Options"] == "DENY"
    ballot = Ballot.objects.get()
    assert body["receipt"] == ballot.receipt
    assert body["phone_masked"] == "138****5678"
    assert body["vote_id"] == vote.pk
    assert body["vote"] == vote.title
    assert body["options"] == ["改造老旧小区供暖管网", "新建城区公共停车场"]
    assert body["cast_at"] == client.get(f"/api/v1/receipts/{ballot.receipt}/").json()["cast_at"]
    assert sorted(BallotChoice.objects.values_list("option_id", flat=True)) == sorted([a, b])
    # The code is used up; the phone has voted: both answered on the fast path, nothing more written.
    status, _, body = request(app, ballot_path(vote), {"phone": PHONE, "code": code, "options": [a]})
    assert status == 409
    assert body["code"] == "already_voted"
    assert app.calls["django"] == 0
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.count() == 2


def test_wrong_code_and_too_many_choices_change_nothing(app, client, make_vote, voting_open, outbox):
    vote = make_vote()
    a, b, c = options_of(vote)[:3]
    code = send_code(client)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    status, _, body = request(app, ballot_path(vote), {"phone": PHONE, "code": wrong, "options": [a]})
    assert status == 400
    assert body["code"] == "code_wrong"
    assert body["fields"]["code"]
    status, _, body = request(app, ballot_path(vote), {"phone": PHONE, "code": code, "options": [a, b, c]})
    assert status == 400
    assert body["code"] == "too_many_choices"
    assert "最多可选2个" in body["detail"]
    assert not Ballot.objects.exists()
    assert app.calls["django"] == 0
    status, _, _ = request(app, ballot_path(vote), {"phone": PHONE, "code": code, "options": [a]})
    assert status == 201  # the code survived both refusals


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        ({"phone": PHONE, "code": "123456", "options": []}, "application/json"),
        ({"phone": PHONE, "code": "12345", "options": [1]}, "application/json"),
        ({"phone": PHONE, "code": "123456", "options": ["1"]}, "application/json"),
        (b"not json", "application/json"),
        (b"phone=13812345678&code=123456&options=1", "application/x-www-form-urlencoded"),
    ],
)
def test_what_the_fast_path_cannot_judge_goes_to_django(app, make_vote, voting_open, payload, content_type):
    vote = make_vote()
    status, _, body = request(app, ballot_path(vote), payload, content_type=content_type)
    assert app.calls["django"] == 1
    assert status == 400
    assert body["code"] in {"invalid", "parse_error", "code_expired", "unknown_option"}
    assert not Ballot.objects.exists()


def test_an_unknown_vote_and_other_requests_go_to_django(app, make_vote, voting_open):
    status, _, body = request(
        app, "/api/v1/votes/999999/ballots/", {"phone": PHONE, "code": "123456", "options": [1]}
    )
    assert status == 404
    assert body["code"] == "not_found"
    assert app.calls["django"] == 1
    status, _, _ = request(app, "/healthz", method="GET")
    assert status == 200
    assert app.calls["django"] == 2


def test_a_host_outside_allowed_hosts_is_refused_by_django(app, make_vote, voting_open):
    vote = make_vote()
    payload = {"phone": PHONE, "code": "123456", "options": options_of(vote)[:1]}
    status, _, _ = request(app, ballot_path(vote), payload, host="evil.example.com")
    assert status == 400
    assert app.calls["django"] == 1
    assert not Ballot.objects.exists()


def test_plain_http_is_left_to_django_where_https_is_required(make_vote, voting_open):
    vote = make_vote()
    payload = {"phone": PHONE, "code": "123456", "options": options_of(vote)[:1]}
    with override_settings(SECURE_SSL_REDIRECT=True):
        app = BallotFastPath(WSGIHandler())  # the middleware reads the setting when it is built
        status, headers, _ = request(app, ballot_path(vote), payload)
        assert status == 301
        assert headers["Location"].startswith("https://")
        secure = request(app, ballot_path(vote), payload, scheme="https")
    assert secure[0] == 400
    assert secure[2]["code"] == "code_expired"
    assert not Ballot.objects.exists()


def test_a_vote_closed_after_its_paper_was_read_refuses_the_ballot(
    app, client, make_vote, voting_open, outbox
):
    vote = make_vote()
    a, b, *_ = options_of(vote)
    services.ballot_paper(vote.pk)  # the process's copy: open
    Vote.objects.filter(pk=vote.pk).update(
        closes_at=datetime.datetime(2016, 10, 15, 9, 0, tzinfo=datetime.UTC)
    )
    code = send_code(client)
    status, _, body = request(app, ballot_path(vote), {"phone": PHONE, "code": code, "options": [a]})
    assert status == 400
    assert body["code"] == "vote_closed"
    assert "截止" in body["detail"]
    assert not Ballot.objects.exists()


def test_an_option_taken_off_the_paper_meanwhile_is_refused(app, client, make_vote, voting_open, outbox):
    vote = make_vote()
    a, b, *_ = options_of(vote)
    services.ballot_paper(vote.pk)
    VoteOption.objects.filter(pk=b).delete()
    code = send_code(client)
    status, _, body = request(app, ballot_path(vote), {"phone": PHONE, "code": code, "options": [a, b]})
    assert status == 400
    assert body["code"] == "unknown_option"
    assert not Ballot.objects.exists()
    status, _, _ = request(app, ballot_path(vote), {"phone": PHONE, "code": code, "options": [a]})
    assert status == 201  # the code was not used up by the refusal


def test_a_vote_reopened_after_its_paper_was_read_takes_the_ballot(
    app, client, make_vote, voting_open, outbox
):
    vote = make_vote(closes_at=datetime.datetime(2016, 10, 15, 9, 0, tzinfo=datetime.UTC))
    services.ballot_paper(vote.pk)  # the process's copy: closed
    Vote.objects.filter(pk=vote.pk).update(closes_at=datetime.datetime(2016, 10, 31, tzinfo=datetime.UTC))
    code = send_code(client)
    status, _, body = request(
        app, ballot_path(vote), {"phone": PHONE, "code": code, "options": options_of(vote)[:1]}
    )
    assert status == 201
    assert Ballot.objects.count() == 1


def test_the_wsgi_module_puts_the_fast_path_in_front_of_django():
    from minsheng import wsgi

    assert isinstance(wsgi.application, BallotFastPath)
    assert wsgi.application.application is wsgi.django_application


def test_a_phone_that_voted_keeps_its_new_code_for_another_vote(app, client, make_vote, voting_open, outbox):
    vote, other = make_vote(), make_vote(["另一项目"], title="另一次投票")
    first = send_code(client)
    assert (
        request(app, ballot_path(vote), {"phone": PHONE, "code": first, "options": options_of(vote)[:1]})[0]
        == 201
    )
    voting_open.shift(61)
    fresh = send_code(client)
    status, _, body = request(
        app, ballot_path(vote), {"phone": PHONE, "code": fresh, "options": options_of(vote)[1:2]}
    )
    assert status == 409
    assert body["code"] == "already_voted"
    # The code was checked first and given back when the database refused the second ballot.
    status, _, _ = request(
        app, ballot_path(other), {"phone": PHONE, "code": fresh, "options": options_of(other)}
    )
    assert status == 201
    assert Ballot.objects.count() == 2
