"""The web server as shipped: gunicorn with the repository's gunicorn.conf.py, in a real process, on the
PostgreSQL test database and a real Redis. Ballots posted over HTTP take the fast path in minsheng/wsgi.py
and keep every rule: one ballot per phone under concurrent requests, answers the API documents."""

import concurrent.futures
import datetime
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.fixtures.processes import database_url_of_test_db
from verification import services as verification
from voting.models import Ballot, BallotChoice

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
CODE = "135790"


def test_the_shipped_settings_are_threads_with_an_access_log():
    env = {key: value for key, value in os.environ.items() if key not in {"WEB_CONCURRENCY", "PORT"}}
    printed = subprocess.run(
        [str(GUNICORN), "--print-config", "minsheng.wsgi"],
        cwd=REPO,
        env={**env, "GUNICORN_THREADS": "6"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    config = {}
    for line in printed.splitlines():
        name, _, value = line.partition("=")
        config[name.strip()] = value.strip()

    assert config["worker_class"] == "gthread"
    assert config["threads"] == "6"
    assert config["workers"] == str(min(2 * (os.cpu_count() or 1), 8))
    assert config["accesslog"] == "-"
    assert config["bind"] == "['0.0.0.0:8000']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(port, path, payload=None, *, content_type="application/json"):
    data = (
        None if payload is None else (payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method="POST" if data else "GET"
    )
    if data:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def server(redis_cache, tmp_path):
    """gunicorn as shipped, with 2 workers x 4 threads, sharing this test's database and Redis prefix."""
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    (tmp_path / "gunicorn_test_settings.py").write_text(
        textwrap.dedent(
            f"""\
            from minsheng.settings.base import *  # noqa: F403

            CACHES = {{"default": {{
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": {os.environ["REDIS_URL"]!r},
                "KEY_PREFIX": {prefix!r},
            }}}}
            SECRET_KEY = {settings.SECRET_KEY!r}
            PHONE_HASH_KEY = {settings.PHONE_HASH_KEY!r}
            ALLOWED_HOSTS = ["127.0.0.1"]
            """
        )
    )
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gunicorn_test_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)]),
        "DATABASE_URL": database_url_of_test_db(),
        "DEBUG": "0",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
    }
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "minsheng.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _call(port, "/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def open_vote(make_vote):
    now = timezone.now()
    return make_vote(opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=1))


def test_a_ballot_over_http_counts_once_and_is_logged(server, open_vote):
    port, log = server
    options = list(open_vote.options.order_by("sequence").values_list("pk", flat=True))
    phone = "13912340000"
    verification.store_codes({verification.claimed_phone(phone).hash: CODE}, purpose="vote")
    path = f"/api/v1/votes/{open_vote.pk}/ballots/"

    status, body = _call(port, path, {"phone": phone, "code": CODE, "options": options[:2]})

    assert status == 201, body
    ballot = Ballot.objects.get(receipt=body["receipt"])
    assert ballot.phone_masked == "139****0000" == body["phone_masked"]
    assert sorted(BallotChoice.objects.filter(ballot=ballot).values_list("option_id", flat=True)) == sorted(
        options[:2]
    )
    # The same ballot again: the code is spent and the phone has voted.
    status, body = _call(port, path, {"phone": phone, "code": CODE, "options": options[:2]})
    assert (status, body["code"]) == (409, "already_voted")
    # Too many choices, an unknown option: Chinese messages, nothing written.
    other = "13912340001"
    verification.store_codes({verification.claimed_phone(other).hash: CODE}, purpose="vote")
    status, body = _call(port, path, {"phone": other, "code": CODE, "options": options[:3]})
    assert (status, body["code"]) == (400, "too_many_choices")
    assert "最多可选2个项目" in body["detail"]
    status, body = _call(port, path, {"phone": other, "code": CODE, "options": [options[0], 999_999]})
    assert (status, body["code"]) == (400, "unknown_option")
    # A form post is not the fast path's: Django and DRF answer it, with the same rules.
    status, body = _call(port, path, f"phone={other}&code={CODE}".encode(), content_type="text/plain")
    assert status == 415
    # The refused ballots left the code usable.
    status, body = _call(port, path, {"phone": other, "code": CODE, "options": [options[3]]})
    assert status == 201, body
    assert Ballot.objects.filter(vote=open_vote).count() == 2

    time.sleep(0.5)  # the access log is written after the answer
    assert f'POST {path} HTTP/1.1" 201' in log.read_text()


def test_concurrent_ballots_of_one_phone_over_http_leave_exactly_one(server, open_vote):
    port, _ = server
    options = list(open_vote.options.values_list("pk", flat=True))
    phones = [f"1391235{n:04d}" for n in range(12)]
    verification.store_codes({verification.claimed_phone(p).hash: CODE for p in phones}, purpose="vote")
    path = f"/api/v1/votes/{open_vote.pk}/ballots/"

    def post(phone):
        return _call(port, path, {"phone": phone, "code": CODE, "options": [options[0]]})

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(post, [p for p in phones for _ in range(4)]))

    statuses = sorted(status for status, _ in answers)
    assert statuses.count(201) == len(phones)
    assert all(status in (400, 409) for status in statuses if status != 201)
    assert Ballot.objects.filter(vote=open_vote).count() == len(phones)
    assert BallotChoice.objects.filter(ballot__vote=open_vote).count() == len(phones)
    hashes = set(Ballot.objects.filter(vote=open_vote).values_list("phone_hash", flat=True))
    assert hashes == {verification.claimed_phone(p).hash for p in phones}
