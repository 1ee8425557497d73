"""Phone verification: one-time codes (expiry, attempts, reuse), rate limits on real Redis, the session
mark, the reusable page, and no clear phone in logs."""

import logging
import threading

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from minsheng.phones import hash_phone
from tests.fixtures.voting import code_sent_to
from verification import services as verification
from verification.services import VerificationError

PHONE = "13812345678"


def session_request():
    from django.contrib.sessions.backends.cache import SessionStore

    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def error_code(call):
    with pytest.raises(VerificationError) as caught:
        call()
    return caught.value.code


def test_code_is_texted_and_confirmed_once(outbox):
    sent = verification.send_code(PHONE, ip="10.0.0.1", purpose="vote")
    assert sent.hash == hash_phone(PHONE)
    assert sent.masked == "138****5678"
    assert [m.phone for m in outbox] == [PHONE]
    code = code_sent_to(PHONE)
    assert "投票验证码" in outbox[0].text

    request = session_request()
    verified = verification.confirm_code(request, PHONE, code, purpose="vote")
    assert verified == verification.VerifiedPhone(hash_phone(PHONE), "138****5678")
    assert verification.verified_phone(request, "vote") == verified
    assert verification.verified_phone(request, "survey") is None
    # Reused: the code was consumed.
    assert error_code(lambda: verification.check_code(PHONE, code, purpose="vote")) == "code_expired"


def test_code_is_bound_to_its_purpose(outbox):
    verification.send_code(PHONE, ip=None, purpose="vote")
    code = code_sent_to(PHONE)
    assert error_code(lambda: verification.check_code(PHONE, code, purpose="survey")) == "code_expired"
    assert verification.check_code(PHONE, code, purpose="vote").masked == "138****5678"


def test_code_expires_after_five_minutes(outbox):
    with time_machine.travel("2026-09-01 10:00:00+08:00", tick=False) as traveller:
        verification.send_code(PHONE, ip=None, purpose="vote")
        code = code_sent_to(PHONE)
        traveller.shift(301)
        with pytest.raises(VerificationError) as caught:
            verification.check_code(PHONE, code, purpose="vote")
    assert caught.value.code == "code_expired"
    assert "已过期" in caught.value.message


def test_five_wrong_codes_void_the_code(outbox):
    verification.send_code(PHONE, ip=None, purpose="vote")
    code = code_sent_to(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    messages = []
    for _ in range(5):
        with pytest.raises(VerificationError) as caught:
            verification.check_code(PHONE, wrong, purpose="vote")
        messages.append((caught.value.code, caught.value.message))
    assert messages[0] == ("code_wrong", "验证码错误，还可尝试4次。")
    assert messages[3] == ("code_wrong", "验证码错误，还可尝试1次。")
    assert messages[4][0] == "too_many_attempts"
    # The right code no longer works either.
    assert error_code(lambda: verification.check_code(PHONE, code, purpose="vote")) == "too_many_attempts"


def test_a_new_code_replaces_the_old_one_and_resets_attempts(outbox, settings):
    settings.PHONE_VERIFICATION = {"phone_limits": ((60, 5),)}
    verification.send_code(PHONE, ip=None, purpose="vote")
    first = code_sent_to(PHONE)
    error_code(
        lambda: verification.check_code(PHONE, "000000" if first != "000000" else "111111", purpose="vote")
    )
    verification.send_code(PHONE, ip=None, purpose="vote")
    second = code_sent_to(PHONE)
    if first != second:
        assert error_code(lambda: verification.check_code(PHONE, first, purpose="vote")) == "code_wrong"
    assert verification.check_code(PHONE, second, purpose="vote").hash == hash_phone(PHONE)


def test_invalid_phone_gets_a_chinese_message(outbox):
    with pytest.raises(VerificationError) as caught:
        verification.send_code("12345", ip=None, purpose="vote")
    assert caught.value.code == "invalid_phone"
    assert "11位手机号码" in caught.value.message
    assert outbox == []


def test_session_mark_lapses_after_thirty_minutes(outbox):
    with time_machine.travel("2026-09-01 10:00:00+08:00", tick=False) as traveller:
        verification.send_code(PHONE, ip=None, purpose="proposal")
        request = session_request()
        verification.confirm_code(request, PHONE, code_sent_to(PHONE), purpose="proposal")
        traveller.shift(29 * 60)
        assert verification.verified_phone(request, "proposal") is not None
        traveller.shift(2 * 60)
        assert verification.verified_phone(request, "proposal") is None


# -- rate limits and atomicity on the real Redis -----------------------------------------


def test_phone_rate_limit_on_redis(redis_cache, outbox):
    verification.send_code(PHONE, ip="10.0.0.1", purpose="vote")
    with pytest.raises(VerificationError) as caught:
        verification.send_code(PHONE, ip="10.0.0.2", purpose="vote")
    assert caught.value.code == "too_frequent"
    assert "验证码发送过于频繁" in caught.value.message
    assert len(outbox) == 1
    # The counter lives in Redis, under a hashed phone.
    client = redis_cache._cache.get_client(None)
    keys = [key.decode() for key in client.scan_iter(match=f"{redis_cache.key_prefix}:*")]
    assert any(hash_phone(PHONE) in key for key in keys)
    assert not any(PHONE in key for key in keys)


def test_ip_rate_limit_on_redis(redis_cache, outbox):
    phones = [f"139{n:08d}" for n in range(11)]
    for phone in phones[:10]:
        verification.send_code(phone, ip="10.9.9.9", purpose="vote")
    with pytest.raises(VerificationError) as caught:
        verification.send_code(phones[10], ip="10.9.9.9", purpose="vote")
    assert caught.value.code == "too_frequent"
    assert "操作过于频繁" in caught.value.message
    verification.send_code(phones[10], ip="10.9.9.10", purpose="vote")  # another address is not held up
    assert len(outbox) == 11


def test_counter_is_atomic_under_concurrency_on_redis(redis_cache):
    counts = []
    lock = threading.Lock()

    def bump():
        for _ in range(25):
            value = verification.hit("concurrency", 3600)
            with lock:
                counts.append(value)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 201))


def test_a_code_succeeds_once_under_concurrent_checks_on_redis(redis_cache, outbox):
    verification.send_code(PHONE, ip=None, purpose="vote")
    code = code_sent_to(PHONE)
    results = []  # as many concurrent tries as a code allows: exactly one may win
    barrier = threading.Barrier(5)

    def check():
        barrier.wait()
        try:
            results.append(verification.check_code(PHONE, code, purpose="vote").masked)
        except VerificationError as error:
            results.append(error.code)

    threads = [threading.Thread(target=check) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("138****5678") == 1
    assert sorted(results) == ["138****5678"] + ["code_expired"] * 4


def test_attempts_on_redis(redis_cache, outbox):
    verification.send_code(PHONE, ip=None, purpose="vote")
    code = code_sent_to(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    codes = [error_code(lambda: verification.check_code(PHONE, wrong, purpose="vote")) for _ in range(6)]
    assert codes == ["code_wrong"] * 4 + ["too_many_attempts"] * 2


# -- logs ---------------------------------------------------------------------------------------------------


def test_no_clear_phone_in_logs(outbox, caplog):
    caplog.set_level(logging.DEBUG)
    verification.send_code(PHONE, ip="10.0.0.1", purpose="vote")
    request = session_request()
    verification.confirm_code(request, PHONE, code_sent_to(PHONE), purpose="vote")
    assert "138****5678" in caplog.text
    assert PHONE not in caplog.text
    assert PHONE not in str(dict(request.session))


# -- the reusable page ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_page_sends_code_then_confirms_and_returns(client, outbox):
    url = reverse("publicity:verify_phone", args=["survey"])
    page = client.get(url, {"next": "/somewhere/"})
    assert page.status_code == 200
    assert "获取验证码" in page.text
    assert 'for="id_phone"' in page.text

    sent = client.post(url, {"action": "send", "phone": "138 1234 5678", "next": "/somewhere/"})
    assert sent.status_code == 200
    assert "验证码已发送至 138****5678" in sent.text
    assert 'value="13812345678"' in sent.text  # step 2 carries the phone in the page, not the session

    wrong = client.post(url, {"action": "confirm", "phone": PHONE, "code": "12345x", "next": "/somewhere/"})
    assert wrong.status_code == 400
    assert "验证码为6位数字" in wrong.text

    done = client.post(
        url, {"action": "confirm", "phone": PHONE, "code": code_sent_to(PHONE), "next": "/somewhere/"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/somewhere/"
    assert client.session[verification.SESSION_KEY]["survey"]["masked"] == "138****5678"
    assert PHONE not in str(client.session.items())


@pytest.mark.django_db
def test_verify_page_refuses_outside_next_and_unknown_purpose(client, outbox):
    url = reverse("publicity:verify_phone", args=["vote"])
    client.post(url, {"action": "send", "phone": PHONE})
    done = client.post(
        url,
        {"action": "confirm", "phone": PHONE, "code": code_sent_to(PHONE), "next": "https://evil.example/"},
    )
    assert done["Location"] == reverse("publicity:home")
    assert client.get(reverse("publicity:verify_phone", args=["nothing"])).status_code == 404


@pytest.mark.django_db
def test_verify_page_shows_rate_limit_in_chinese(client, outbox):
    url = reverse("publicity:verify_phone", args=["vote"])
    client.post(url, {"action": "send", "phone": PHONE})
    again = client.post(url, {"action": "send", "phone": PHONE})
    assert again.status_code == 400
    assert "验证码发送过于频繁" in again.text
    assert len(outbox) == 1


@pytest.mark.django_db
def test_verified_phone_required_redirects_then_lets_through(rf, outbox):
    from django.contrib.sessions.backends.cache import SessionStore

    from verification.views import verified_phone_required

    @verified_phone_required("survey")
    def view(request):
        from django.http import HttpResponse

        return HttpResponse(request.verified_phone.masked)

    request = rf.get("/survey/7/")
    request.session = SessionStore()
    response = view(request)
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("publicity:verify_phone", args=["survey"]) + "?next=%2Fsurvey%2F7%2F"
    )

    verification.send_code(PHONE, ip=None, purpose="survey")
    verification.confirm_code(request, PHONE, code_sent_to(PHONE), purpose="survey")
    assert view(request).content.decode() == "138****5678"
