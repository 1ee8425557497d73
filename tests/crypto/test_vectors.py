"""SM3, SM4 and HMAC-SM3 as minsheng/crypto.py computes them, against the published test vectors."""

import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from minsheng import crypto

# GB/T 32905-2016 (SM3) appendix A.
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM3_ABCD_X16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"

# GB/T 32907-2016 (SM4) appendix A: key = plaintext.
SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
SM4_ONCE = "681edf34d206965e86b3e94f536e4246"
SM4_MILLION = "595298c7c6fd271f0402f804c33d3f66"


def test_sm3_matches_gb_t_32905_appendix_a():
    assert crypto.sm3(b"abc").hex() == SM3_ABC
    assert crypto.sm3(b"abcd" * 16).hex() == SM3_ABCD_X16
    assert crypto.digest("abc", crypto.SM3) == SM3_ABC


def test_sm4_matches_gb_t_32907_appendix_a():
    block = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor().update(SM4_KEY)

    assert block.hex() == SM4_ONCE


def test_sm4_encrypting_a_million_times_matches_gb_t_32907_appendix_a():
    # The appendix's second example: the same block encrypted 1,000,000 times under the same key (well
    # under a second through one ECB context).
    update = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor().update
    block = SM4_KEY
    for _ in range(1_000_000):
        block = update(block)

    assert block.hex() == SM4_MILLION


def test_sm4_gcm_matches_rfc_8998():
    # RFC 8998 appendix A.1, the SM4-GCM example: the mode minsheng's field tokens use.
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plain = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    sealed = encryptor.update(plain) + encryptor.finalize()

    assert sealed.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    assert encryptor.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"


@pytest.mark.parametrize(
    ("key", "data", "expected"),
    [
        # GM/T 0042-2015 appendix D.3, as OpenSSL's and libxcrypt's test data carry them.
        (
            bytes(range(1, 33)),
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" * 2,
            "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a",
        ),
        (
            bytes(range(1, 38)),
            b"\xcd" * 50,
            "220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae",
        ),
    ],
)
def test_hmac_sm3_matches_gm_t_0042_appendix_d(key, data, expected):
    assert crypto.hmac_sm3(key, data).hex() == expected
    assert crypto.keyed_digest(key, data, crypto.SM3) == expected


def test_digest_follows_the_national_cryptography_setting(settings):
    settings.MINSHENG_NATIONAL_CRYPTO = True
    assert crypto.digest_algorithm() == "sm3"
    assert crypto.digest(b"abc") == SM3_ABC
    assert crypto.keyed_digest(b"k", b"abc") == crypto.hmac_sm3(b"k", b"abc").hex()

    settings.MINSHENG_NATIONAL_CRYPTO = False
    assert crypto.digest_algorithm() == "sha256"
    assert crypto.digest(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert crypto.keyed_digest(b"k", b"abc") == hmac.new(b"k", b"abc", hashlib.sha256).hexdigest()


def test_an_unknown_digest_algorithm_is_refused():
    with pytest.raises(ValueError, match="unknown digest"):
        crypto.digest(b"abc", "md5")
