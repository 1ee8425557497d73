"""商用密码 (GB/T 39786-2021): SM3 digests and HMACs, SM4 encryption of short text, through pyca/cryptography.

pyca/cryptography is used rather than a pure-Python SM3/SM4 because it calls OpenSSL's implementations
(`hashes.SM3`, `algorithms.SM4`), which are maintained, constant-time where it matters and fast; its wheels
bring their own OpenSSL, so SM3/SM4 do not depend on how the system's OpenSSL (and so `hashlib`) was built.
tests/crypto/ checks both against the standards' test vectors (GB/T 32905-2016, GB/T 32907-2016,
GM/T 0042-2015 for HMAC-SM3, RFC 8998 for SM4-GCM).

Three kinds of use:

- `digest(data)` / `keyed_digest(key, data)`: the digest of the national-cryptography setting, SM3 (and
  HMAC-SM3) when `settings.MINSHENG_NATIONAL_CRYPTO` is on, SHA-256 (HMAC-SHA256) otherwise. The audit log's
  hash chain and the phones' keyed hashes use them; `digest_algorithm()` names the one in force, so a
  record can keep it and be verified later with the same one.
- `encrypt_text(text)` / `decrypt_text(token)`: SM4 for short personal text (names, phones), whatever the
  setting: one code path, and a contact field is never in clear at rest. The token is self-describing,
  "sm4:<key id>:<base64 of nonce + ciphertext + tag>", so keys rotate (`manage.py rotate_keys`) while the
  older keys still listed keep decrypting.
- `sm3`, `hmac_sm3`: the primitives.

SM4 runs in GCM mode (12-byte random nonce, 16-byte tag), the authenticated mode TLS 1.3 uses for SM4
(RFC 8998), which cryptography offers for SM4 through its Cipher API: one key and one pass instead of
CBC plus a separate HMAC-SM3 (encrypt-then-MAC, two keys, more code to get wrong), and an altered or
truncated ciphertext fails to decrypt instead of yielding garbage. The token's "sm4:<key id>:" prefix is
authenticated as associated data, so a ciphertext cannot be relabelled to another key id. Random 96-bit
nonces are safe far beyond the number of contact fields a 民生办 writes under one key (the bound is about
2^32 encryptions per key).

Keys: `settings.MINSHENG_FIELD_KEYS` maps key ids to 16-byte keys written as 32 hex digits or base64 (a
dict, or the environment's "id:key,id:key" string); `settings.MINSHENG_FIELD_KEY_ID` names the one new
values are encrypted under (optional when there is one key). Without keys (development, tests) a key "dev"
is derived from SECRET_KEY; production settings refuse to start without MINSHENG_FIELD_KEYS.
"""

import base64
import binascii
import functools
import hashlib
import hmac as std_hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

SM3 = "sm3"
SHA256 = "sha256"
DIGEST_ALGORITHMS = (SM3, SHA256)

# The token of an SM4-GCM encrypted text; a future format would take another prefix.
TOKEN_PREFIX = "sm4"
KEY_BYTES = 16  # SM4 has 128-bit keys and blocks
NONCE_BYTES = 12
TAG_BYTES = 16
DEV_KEY_ID = "dev"
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")


class DecryptionError(ValueError):
    """A stored token that cannot be decrypted: unknown key id, wrong key, or altered data."""


# --- SM3 and the setting's digest -------------------------------------------------------------------------


def _bytes(data: bytes | str) -> bytes:
    return data.encode() if isinstance(data, str) else data


def sm3(data: bytes | str) -> bytes:
    """The SM3 digest (GB/T 32905-2016) of `data` (str is UTF-8 encoded): 32 bytes."""
    hasher = hashes.Hash(hashes.SM3())
    hasher.update(_bytes(data))
    return hasher.finalize()


def hmac_sm3(key: bytes | str, data: bytes | str) -> bytes:
    """HMAC-SM3 (GB/T 15852.2 / GM/T 0042) of `data` under `key`: 32 bytes."""
    mac = crypto_hmac.HMAC(_bytes(key), hashes.SM3())
    mac.update(_bytes(data))
    return mac.finalize()


def digest_algorithm() -> str:
    """The digest in force: "sm3" with national cryptography on, "sha256" otherwise."""
    return SM3 if settings.MINSHENG_NATIONAL_CRYPTO else SHA256


def _check_algorithm(algorithm: str | None) -> str:
    algorithm = algorithm or digest_algorithm()
    if algorithm not in DIGEST_ALGORITHMS:
        raise ValueError(f"unknown digest algorithm {algorithm!r}; expected one of {DIGEST_ALGORITHMS}")
    return algorithm


def digest(data: bytes | str, algorithm: str | None = None) -> str:
    """Hex digest of `data`: SM3 when national cryptography is on, SHA-256 otherwise (or `algorithm`).

    64 hex characters either way. Keep `digest_algorithm()` beside a stored digest to verify it later.
    """
    if _check_algorithm(algorithm) == SM3:
        return sm3(data).hex()
    return hashlib.sha256(_bytes(data)).hexdigest()


def keyed_digest(key: bytes | str, data: bytes | str, algorithm: str | None = None) -> str:
    """Hex HMAC of `data` under `key`: HMAC-SM3 when national cryptography is on, HMAC-SHA256 otherwise."""
    if _check_algorithm(algorithm) == SM3:
        return hmac_sm3(key, data).hex()
    return std_hmac.new(_bytes(key), _bytes(data), hashlib.sha256).hexdigest()


# --- SM4 field keys ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keyring:
    """The SM4 field keys by id, and the id new values are encrypted under."""

    keys: Mapping[str, bytes]
    current_id: str

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionError(
                f"字段密钥“{key_id}”未配置，无法解密；请在 MINSHENG_FIELD_KEYS 中保留它 "
                f"(field key {key_id!r} is not in MINSHENG_FIELD_KEYS, cannot decrypt)"
            ) from None


def _decode_key(key_id: str, text: str) -> bytes:
    text = text.strip()
    raw: bytes | None = None
    if re.fullmatch(r"[0-9a-fA-F]{32}", text):
        raw = bytes.fromhex(text)
    else:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"MINSHENG_FIELD_KEYS 中的密钥“{key_id}”应为16字节（32位十六进制或base64） "
            f"(field key {key_id!r} must be 16 bytes, written as 32 hex digits or base64)"
        )
    return raw


def parse_field_keys(keys: Mapping[str, str] | str, current_id: str = "") -> Keyring:
    """The keyring of a MINSHENG_FIELD_KEYS value (a dict, or "id:key,id:key") and MINSHENG_FIELD_KEY_ID.

    Raises ImproperlyConfigured, in Chinese and English, on a malformed id or key, or a current id that is
    not among the keys. Empty keys give an empty keyring (see `keyring()` for the development default).
    """
    if isinstance(keys, str):
        pairs: dict[str, str] = {}
        for item in (part.strip() for part in keys.split(",")):
            if not item:
                continue
            key_id, sep, value = item.partition(":")
            if not sep:
                raise ImproperlyConfigured(
                    "MINSHENG_FIELD_KEYS 应形如“2026a:<32位十六进制>,2025a:<base64>” "
                    "(MINSHENG_FIELD_KEYS must look like 'id:key,id:key')"
                )
            pairs[key_id.strip()] = value
        keys = pairs
    decoded = {}
    for key_id, value in keys.items():
        if not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"字段密钥编号“{key_id}”只能含字母、数字、点、下划线和连字符，最长32位 "
                f"(field key id {key_id!r} may hold letters, digits, '.', '_' and '-' only, up to 32)"
            )
        decoded[key_id] = _decode_key(key_id, value)
    current_id = (current_id or "").strip()
    if not current_id and len(decoded) == 1:
        current_id = next(iter(decoded))
    if decoded and current_id not in decoded:
        raise ImproperlyConfigured(
            f"MINSHENG_FIELD_KEY_ID（“{current_id}”）须是 MINSHENG_FIELD_KEYS 中的一个编号 "
            f"(MINSHENG_FIELD_KEY_ID {current_id!r} must name one of MINSHENG_FIELD_KEYS)"
        )
    return Keyring(keys=decoded, current_id=current_id)


def development_key(secret_key: str) -> bytes:
    """The key "dev" used without MINSHENG_FIELD_KEYS: derived from SECRET_KEY, so changing SECRET_KEY
    makes values encrypted under it unreadable (production refuses to start without real keys)."""
    return hmac_sm3(secret_key, b"minsheng field encryption key")[:KEY_BYTES]


@functools.cache
def keyring() -> Keyring:
    """The keyring of the settings (cached; cleared when a test overrides the settings it reads)."""
    configured = getattr(settings, "MINSHENG_FIELD_KEYS", None) or {}
    ring = parse_field_keys(configured, getattr(settings, "MINSHENG_FIELD_KEY_ID", ""))
    if ring.keys:
        return ring
    return Keyring(keys={DEV_KEY_ID: development_key(settings.SECRET_KEY)}, current_id=DEV_KEY_ID)


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"MINSHENG_FIELD_KEYS", "MINSHENG_FIELD_KEY_ID", "SECRET_KEY"}:
        keyring.cache_clear()


# --- SM4 tokens -------------------------------------------------------------------------------------------


def _header(key_id: str) -> str:
    return f"{TOKEN_PREFIX}:{key_id}:"


def is_token(value: object) -> bool:
    """Whether `value` looks like an SM4 token ("sm4:<key id>:...")."""
    return isinstance(value, str) and value.startswith(f"{TOKEN_PREFIX}:") and value.count(":") >= 2


def token_key_id(token: str) -> str | None:
    """The key id a token was encrypted under, or None for a value that is not a token."""
    return token.split(":", 2)[1] if is_token(token) else None


def encrypt_text(text: str, *, key_id: str | None = None) -> str:
    """`text` encrypted with SM4-GCM under the current key (or `key_id`), as "sm4:<key id>:<base64>"."""
    ring = keyring()
    key_id = key_id or ring.current_id
    key = ring.key(key_id)
    header = _header(key_id)
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header.encode())
    body = encryptor.update(text.encode()) + encryptor.finalize()
    return header + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt_text(token: str) -> str:
    """The text of an SM4 token made by `encrypt_text`; DecryptionError if it cannot be decrypted."""
    if not is_token(token):
        raise DecryptionError("不是SM4密文 (not an SM4 token)")
    _prefix, key_id, payload = token.split(":", 2)
    key = keyring().key(key_id)
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError(f"SM4密文已损坏 (SM4 token under {key_id!r} is malformed)") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"SM4密文已损坏 (SM4 token under {key_id!r} is truncated)")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_header(key_id).encode())
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError(
            f"SM4密文校验失败：密钥“{key_id}”不对或数据被改动 "
            f"(SM4 token under {key_id!r} fails authentication: wrong key or altered data)"
        ) from None
    return plain.decode()
