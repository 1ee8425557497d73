"""Mainland mobile numbers: normalise, validate, hash (keyed) and mask.

A phone is never stored in clear: tables keep `hash_phone(phone)` (HMAC-SHA256 under
settings.PHONE_HASH_KEY, so the 10^10 possible numbers cannot be hashed through without the key) and
`mask_phone(phone)` ("138****5678") for display.
"""

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError

_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalize_phone(raw: str) -> str:
    """The 11 digits of a mainland mobile number, or ValidationError with a Chinese message.

    Accepts full-width digits, spaces and dashes, and a +86 / 86 / 0086 prefix.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    digits = re.sub(r"[\s\-()]", "", text)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.fullmatch(digits):
        raise ValidationError("请输入正确的11位手机号码。", code="invalid_phone")
    return digits


def hash_phone(phone: str) -> str:
    """Hex HMAC-SHA256 of the normalised phone: stable, keyed, 64 characters."""
    key = settings.PHONE_HASH_KEY.encode()
    return hmac.new(key, normalize_phone(phone).encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """ "13812345678" -> "138****5678"."""
    digits = normalize_phone(phone)
    return f"{digits[:3]}****{digits[-4:]}"
