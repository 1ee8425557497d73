"""PBKDF2-HMAC-SM3 passwords (minsheng/hashers.py), rehashed on login, and HMAC-SM3 phone hashes."""

import base64
import hashlib
import hmac

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher, make_password
from django.test import override_settings

from minsheng.crypto import hmac_sm3
from minsheng.hashers import PBKDF2SM3PasswordHasher
from minsheng.phones import hash_phone
from minsheng.settings.base import password_hashers
from tests.conftest import PASSWORD

SM3_HASHER = "minsheng.hashers.PBKDF2SM3PasswordHasher"


def test_the_sm3_hasher_round_trips_and_refuses_a_wrong_password():
    hasher = PBKDF2SM3PasswordHasher()
    encoded = hasher.encode("正确的密码 Abc123!", hasher.salt(), iterations=1000)

    assert encoded.startswith("pbkdf2_sm3$1000$")
    assert hasher.verify("正确的密码 Abc123!", encoded)
    assert not hasher.verify("正确的密码 Abc123?", encoded)
    assert hasher.must_update(encoded)  # fewer iterations than the hasher's own: rehashed on next login


def test_the_sm3_hasher_agrees_with_an_independent_pbkdf2_hmac_sm3():
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this Python's OpenSSL has no SM3 to compare with")
    encoded = PBKDF2SM3PasswordHasher().encode("minsheng", "saltsaltsalt", iterations=2000)
    independent = hashlib.pbkdf2_hmac("sm3", b"minsheng", b"saltsaltsalt", 2000, dklen=32)

    assert encoded.split("$")[3] == base64.b64encode(independent).decode()


def test_national_cryptography_puts_the_sm3_hasher_first_and_keeps_it_listed_when_off():
    assert password_hashers(True)[0] == SM3_HASHER
    assert password_hashers(False)[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert SM3_HASHER in password_hashers(False)


@pytest.mark.django_db
def test_an_older_hash_is_rehashed_with_sm3_on_login(client, org):
    with override_settings(PASSWORD_HASHERS=password_hashers(True)):
        org.staff.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
        org.staff.save(update_fields=["password"])
        assert identify_hasher(org.staff.password).algorithm == "pbkdf2_sha256"

        client.post("/login/", {"username": "staff", "password": PASSWORD})

        org.staff.refresh_from_db()
        assert org.staff.password.startswith(f"pbkdf2_sm3${PBKDF2SM3PasswordHasher.iterations}$")
        assert check_password(PASSWORD, org.staff.password)


@pytest.mark.django_db
def test_a_wrong_password_leaves_the_old_hash_alone(client, org):
    with override_settings(PASSWORD_HASHERS=password_hashers(True)):
        org.staff.password = before = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
        org.staff.save(update_fields=["password"])

        client.post("/login/", {"username": "staff", "password": "wrong-password"})

        org.staff.refresh_from_db()
        assert org.staff.password == before


@pytest.mark.django_db
def test_with_national_cryptography_off_sm3_hashes_still_log_in(client, org):
    with override_settings(PASSWORD_HASHERS=password_hashers(False)):
        org.staff.password = PBKDF2SM3PasswordHasher().encode(PASSWORD, "somesaltvalue1234", iterations=1000)
        org.staff.save(update_fields=["password"])

        assert org.staff.check_password(PASSWORD)
        org.staff.refresh_from_db()
        assert org.staff.password.startswith("pbkdf2_sha256$")  # rehashed with the first hasher


def test_phone_hashes_are_hmac_sm3_with_national_cryptography_on(settings):
    settings.MINSHENG_NATIONAL_CRYPTO = True
    expected = hmac_sm3(settings.PHONE_HASH_KEY, "13812345678").hex()

    assert hash_phone("138-1234-5678") == expected
    if "sm3" in hashlib.algorithms_available:  # the same through Python's own OpenSSL
        assert expected == hmac.new(settings.PHONE_HASH_KEY.encode(), b"13812345678", "sm3").hexdigest()


def test_phone_hashes_stay_hmac_sha256_with_national_cryptography_off(settings):
    # Unchanged from before national cryptography existed, so an installed site's hashes still match.
    settings.MINSHENG_NATIONAL_CRYPTO = False
    expected = hmac.new(settings.PHONE_HASH_KEY.encode(), b"13812345678", hashlib.sha256).hexdigest()

    assert hash_phone("+86 138 1234 5678") == expected
