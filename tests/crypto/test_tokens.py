"""SM4 tokens (minsheng/crypto.py): format, round trip, altered data refused, the field keys' settings."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from minsheng import crypto

KEY_A = "00112233445566778899aabbccddeeff"
KEY_B = base64.b64encode(bytes(range(16))).decode()


@pytest.fixture
def keys(settings):
    settings.MINSHENG_FIELD_KEYS = {"a": KEY_A, "b": KEY_B}
    settings.MINSHENG_FIELD_KEY_ID = "b"
    return settings


def test_a_token_names_its_key_and_decrypts_back(keys):
    token = crypto.encrypt_text("张三 13812345678")

    assert token.startswith("sm4:b:")
    assert "张三" not in token
    assert "13812345678" not in token
    assert crypto.token_key_id(token) == "b"
    assert crypto.decrypt_text(token) == "张三 13812345678"


def test_the_same_text_encrypts_differently_each_time(keys):
    # A random nonce per value: equal names do not show as equal ciphertexts.
    assert crypto.encrypt_text("张三") != crypto.encrypt_text("张三")


def test_an_older_listed_key_still_decrypts(keys):
    old = crypto.encrypt_text("李四", key_id="a")  # written before "b" became the current key

    assert old.startswith("sm4:a:")
    assert crypto.decrypt_text(old) == "李四"


def test_a_key_no_longer_listed_fails_loudly(keys):
    old = crypto.encrypt_text("李四", key_id="a")
    keys.MINSHENG_FIELD_KEYS = {"b": KEY_B}

    with pytest.raises(crypto.DecryptionError, match="字段密钥“a”未配置"):
        crypto.decrypt_text(old)


def test_altered_truncated_or_relabelled_tokens_are_refused(keys):
    token = crypto.encrypt_text("王五")
    header, payload = token[: len("sm4:b:")], token[len("sm4:b:") :]
    raw = bytearray(base64.b64decode(payload))
    raw[15] ^= 1  # a bit of the ciphertext
    altered = header + base64.b64encode(bytes(raw)).decode()
    relabelled = "sm4:a:" + payload  # the same bytes claimed under the other key

    for bad in (altered, relabelled, header + payload[:8], header + "***"):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_text(bad)


def test_keys_are_read_as_hex_or_base64_with_a_current_id():
    ring = crypto.parse_field_keys(f"a:{KEY_A}, b:{KEY_B}", "a")

    assert ring.keys == {"a": bytes.fromhex(KEY_A), "b": bytes(range(16))}
    assert ring.current_id == "a"
    assert crypto.parse_field_keys({"only": KEY_A}).current_id == "only"


@pytest.mark.parametrize(
    ("keys", "current", "message"),
    [
        ("a:00112233", "", "应为16字节"),
        ({"a": base64.b64encode(bytes(32)).decode()}, "", "应为16字节"),
        ("a=00112233445566778899aabbccddeeff", "", "应形如"),
        ({"a b": KEY_A}, "", "只能含字母"),
        ({"a": KEY_A, "b": KEY_B}, "", "须是 MINSHENG_FIELD_KEYS 中的一个编号"),
        ({"a": KEY_A}, "c", "须是 MINSHENG_FIELD_KEYS 中的一个编号"),
    ],
)
def test_malformed_key_settings_are_refused_in_chinese_and_english(keys, current, message):
    with pytest.raises(ImproperlyConfigured, match=message) as refused:
        crypto.parse_field_keys(keys, current)
    assert "(" in str(refused.value)  # the English half


def test_without_keys_a_development_key_is_derived_from_the_secret_key(settings):
    settings.MINSHENG_FIELD_KEYS = ""
    settings.MINSHENG_FIELD_KEY_ID = ""
    token = crypto.encrypt_text("赵六")

    assert token.startswith("sm4:dev:")
    assert crypto.keyring().keys["dev"] == crypto.development_key(settings.SECRET_KEY)

    settings.SECRET_KEY = "another-secret"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token)
