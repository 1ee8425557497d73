"""Mainland mobile numbers: normalise, validate, hash (keyed) and mask.

A phone is never stored in clear: tables keep `hash_phone(phone)` (an HMAC under settings.PHONE_HASH_KEY,
so the 10^10 possible numbers cannot be hashed through without the key) and `mask_phone(phone)`
("138****5678") for display.

The HMAC is HMAC-SM3 with national cryptography on (settings.MINSHENG_NATIONAL_CRYPTO, on in production),
HMAC-SHA256 otherwise; both are 64 hex characters and carry no prefix. The setting is chosen when a site is
installed: the hashes cannot be recomputed without the phones they came from, so switching it (or changing
PHONE_HASH_KEY) on a live site makes every stored hash a stranger: a phone that voted or answered a survey
could do so again, and a citizen's earlier proposals are no longer found by their phone. Switch only
between yearly cycles, with no vote, survey or collection round open. (`manage.py rotate_keys` re-encrypts
the SM4 fields; it cannot re-key these hashes.)
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError

from minsheng.crypto import keyed_digest

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
    """Hex HMAC (SM3 or SHA-256, by the national-cryptography setting) of the normalised phone: stable,
    keyed, 64 characters."""
    return keyed_digest(settings.PHONE_HASH_KEY, normalize_phone(phone))


def mask_phone(phone: str) -> str:
    """ "13812345678" -> "138****5678"."""
    digits = normalize_phone(phone)
    return f"{digits[:3]}****{digits[-4:]}"
