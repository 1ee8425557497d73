"""Phone verification by a one-time SMS code, reusable by any public page (votes, proposals, surveys).

    send_code(phone, ip=..., purpose="vote")           # texts a 6-digit code, rate limited
    confirm_code(request, phone, code, purpose="vote")  # checks it, marks the session -> VerifiedPhone
    verified_phone(request, "vote")                     # VerifiedPhone(hash, masked) or None

`check_code(phone, code, purpose=...)` checks and consumes a code without a session (the API's ballot).

Nothing here keeps a phone in clear: cache keys and the session hold `hash_phone(phone)`, the code is kept
as a keyed hash with a 5-minute expiry and at most 5 attempts, and logs carry the masked phone only.
Counters and codes live in Redis when the default cache is the Redis cache (REDIS_URL set): each check is
one atomic Lua call shared by every worker process (codestore.py); the in-process cache of the test
settings and of the zero-setup default goes through the Django cache API.
"""

import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from minsheng import net
from minsheng.codes import DIGITS, random_code
from minsheng.errors import CommonErrorCode, DomainError
from minsheng.phones import hash_phone, mask_phone, normalize_phone
from minsheng.sms import send_sms

from .codestore import get_store
from .errors import VerificationErrorCode

logger = logging.getLogger(__name__)

CODE_LENGTH = 6
CODE_TTL = 5 * 60  # seconds a code stays valid
MAX_ATTEMPTS = 5  # wrong guesses before a code is void
SESSION_TTL = 30 * 60  # seconds a confirmed phone stays verified in the session
SESSION_KEY = "verified_phones"

# (window seconds, most sends in it): per phone and per client IP.
PHONE_LIMITS = ((60, 1), (3600, 5), (86400, 10))
IP_LIMITS = ((60, 10), (3600, 60))

PURPOSES = {"vote": "投票", "proposal": "提交建议", "survey": "满意度评价"}
_PURPOSE = re.compile(r"[a-z][a-z0-9_]{0,31}")


class VerificationError(DomainError):
    """A code could not be sent or confirmed; `code` says why (stable), the message is for citizens."""

    code = VerificationErrorCode.VERIFICATION_FAILED


class TooFrequent(VerificationError):
    """A rate limit was hit (HTTP 429 on the API)."""

    code = VerificationErrorCode.TOO_FREQUENT
    status = 429


@dataclass(frozen=True)
class VerifiedPhone:
    """A phone proven by a code: its keyed hash (to store) and masked digits (to show), never the number."""

    hash: str
    masked: str


def limits(name: str, default):
    """A rate limit or duration, overridable in settings as PHONE_VERIFICATION = {name: value}."""
    return getattr(settings, "PHONE_VERIFICATION", {}).get(name, default)


def _purpose_label(purpose: str) -> str:
    if not _PURPOSE.fullmatch(purpose or ""):
        raise ValueError(f"bad verification purpose {purpose!r}")
    return PURPOSES.get(purpose, "身份验证")


def _phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except ValidationError as error:
        raise VerificationError(
            error.messages[0], code=CommonErrorCode.INVALID_PHONE, field="phone"
        ) from None


def claimed_phone(raw: str) -> VerifiedPhone:
    """The hash and mask of a phone someone claims (not verified: check a code before trusting it)."""
    digits = _phone(raw)
    return VerifiedPhone(hash_phone(digits), mask_phone(digits))


def _code_key(purpose: str, phone_hash: str) -> str:
    return f"vcode:{purpose}:{phone_hash}"


def _attempts_key(purpose: str, phone_hash: str) -> str:
    return f"vtry:{purpose}:{phone_hash}"


def _digest(purpose: str, phone_hash: str, code: str) -> str:
    message = f"{purpose}:{phone_hash}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def hit(key: str, window: int) -> int:
    """Count one event in a fixed window of `window` seconds and return the count so far (atomic)."""
    bucket = int(time.time()) // window
    return get_store().count(f"rl:{key}:{window}:{bucket}", window)


def check_rate(key: str, rules, message: str) -> None:
    """Count one event under `key` in each (window, most) rule; TooFrequent when a rule is exceeded."""
    for window, most in rules:
        if hit(key, window) > most:
            wait = window - int(time.time()) % window
            raise TooFrequent(message.format(wait=_duration(wait)))


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}秒"
    if seconds < 3600:
        return f"{(seconds + 59) // 60}分钟"
    return f"{(seconds + 3599) // 3600}小时"


def store_codes(codes: dict[str, str], *, purpose: str) -> None:
    """Keep each phone's code ({phone hash: code}, hashed), replacing earlier ones and their attempts."""
    ttl = limits("code_ttl", CODE_TTL)
    get_store().put_codes(
        {
            (_code_key(purpose, phone_hash), _attempts_key(purpose, phone_hash)): _digest(
                purpose, phone_hash, code
            )
            for phone_hash, code in codes.items()
        },
        ttl,
    )


def send_code(phone: str, *, ip: str | None, purpose: str) -> VerifiedPhone:
    """Text a new one-time code to `phone` for `purpose`; VerificationError when the phone is invalid or
    the phone or IP asked too often. Returns the phone's hash and mask (not yet verified)."""
    label = _purpose_label(purpose)
    digits = _phone(phone)
    phone_hash = hash_phone(digits)
    masked = mask_phone(digits)
    if ip:
        check_rate(f"ip:{ip}", limits("ip_limits", IP_LIMITS), "操作过于频繁，请{wait}后再试。")
    check_rate(
        f"phone:{phone_hash}", limits("phone_limits", PHONE_LIMITS), "验证码发送过于频繁，请{wait}后再试。"
    )
    code = random_code("", CODE_LENGTH, DIGITS)
    store_codes({phone_hash: code}, purpose=purpose)
    minutes = limits("code_ttl", CODE_TTL) // 60
    send_sms(digits, f"【民生实事】您的{label}验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略。")
    logger.info("verification code sent to %s for %s", masked, purpose)
    return VerifiedPhone(phone_hash, masked)


def check_code(phone: str, code: str, *, purpose: str) -> VerifiedPhone:
    """Check and consume the code sent to `phone` for `purpose`; VerificationError when it is wrong,
    expired, already used or tried too often. A code can succeed once, even under concurrent requests."""
    _purpose_label(purpose)
    digits = _phone(phone)
    phone_hash = hash_phone(digits)
    most = limits("max_attempts", MAX_ATTEMPTS)
    outcome, tries = get_store().try_code(
        _code_key(purpose, phone_hash),
        _attempts_key(purpose, phone_hash),
        _digest(purpose, phone_hash, (code or "").strip()),
        limits("code_ttl", CODE_TTL),
        most,
    )
    if outcome == "too_many":
        raise _too_many()
    if outcome == "expired":
        raise VerificationError(
            "验证码已过期或已使用，请重新获取。", code=VerificationErrorCode.CODE_EXPIRED, field="code"
        )
    if outcome == "wrong":
        raise VerificationError(
            f"验证码错误，还可尝试{most - tries}次。", code=VerificationErrorCode.CODE_WRONG, field="code"
        )
    return VerifiedPhone(phone_hash, mask_phone(digits))


def give_back(phone: str, code: str, *, purpose: str) -> None:
    """Make a code that check_code just accepted valid again (for its full time, with fresh attempts): the
    ballot it was checked for was refused after all, and a refused ballot does not use up a code."""
    store_codes({hash_phone(_phone(phone)): (code or "").strip()}, purpose=purpose)


def _too_many() -> VerificationError:
    return VerificationError(
        "验证码错误次数过多，已失效，请重新获取。", code=VerificationErrorCode.TOO_MANY_ATTEMPTS, field="code"
    )


def confirm_code(request, phone: str, code: str, *, purpose: str) -> VerifiedPhone:
    """Check the code (as check_code) and mark the session verified for `purpose` for 30 minutes."""
    verified = check_code(phone, code, purpose=purpose)
    phones = dict(request.session.get(SESSION_KEY, {}))
    phones[purpose] = {"hash": verified.hash, "masked": verified.masked, "at": int(time.time())}
    request.session[SESSION_KEY] = phones
    logger.info("phone %s verified for %s", verified.masked, purpose)
    return verified


def verified_phone(request, purpose: str) -> VerifiedPhone | None:
    """The phone this session verified for `purpose` in the last 30 minutes, or None."""
    entry = request.session.get(SESSION_KEY, {}).get(purpose)
    if not entry or time.time() - entry["at"] > limits("session_ttl", SESSION_TTL):
        return None
    return VerifiedPhone(entry["hash"], entry["masked"])


def client_ip(request) -> str:
    """The client address used for rate limits: the forwarded one behind a trusted proxy (minsheng.net),
    so that everyone behind the HTTPS proxy does not share the proxy's one limit."""
    return net.client_ip(request)
