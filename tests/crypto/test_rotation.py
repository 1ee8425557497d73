"""`manage.py rotate_keys`: every encrypted field under the current key, in batches, idempotent."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from minsheng import crypto
from org.models import Unit, User
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

OLD = {"k2025": "00112233445566778899aabbccddeeff"}
NEW = {"k2026": "ffeeddccbbaa99887766554433221100"}


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608 (our names)
        return cursor.fetchone()[0]


def key_ids(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> %s', [""])  # noqa: S608
        return {crypto.token_key_id(value) for (value,) in cursor.fetchall()}


@pytest.fixture
def old_key(settings, org):
    """Contact fields written under k2025, then k2026 made the current key."""
    settings.MINSHENG_FIELD_KEYS, settings.MINSHENG_FIELD_KEY_ID = OLD, "k2025"
    for user in (org.staff, org.leader, org.auditor):
        user.phone = f"1380000{user.pk:04d}"
        user.save()
    org.hrss.contact_phone = "0539-1234567"
    org.hrss.save()
    ProposalFactory(proposer_name="李四")
    settings.MINSHENG_FIELD_KEYS, settings.MINSHENG_FIELD_KEY_ID = {**OLD, **NEW}, "k2026"
    return settings


def test_rotation_re_encrypts_everything_under_the_current_key(old_key, org):
    assert key_ids("org_user", "phone") == {"k2025"}

    out = rotate("--batch-size", "2")  # several batches for the users and their history

    assert "密钥轮换完成：当前密钥“k2026”" in out
    assert "org.User：phone）：已重新加密 3 行" in out
    assert "org.HistoricalUser" in out
    for table, column in [
        ("org_user", "phone"),
        ("org_historicaluser", "phone"),
        ("org_unit", "contact_phone"),
        ("proposals_proposal", "proposer_name"),
        ("proposals_historicalproposal", "proposer_name"),
    ]:
        assert key_ids(table, column) == {"k2026"}, table
    # The old key can go: everything still reads.
    old_key.MINSHENG_FIELD_KEYS = NEW
    assert User.objects.get(pk=org.staff.pk).phone == f"1380000{org.staff.pk:04d}"
    assert Unit.objects.get(pk=org.hrss.pk).contact_phone == "0539-1234567"


def test_a_second_run_finds_nothing_to_do(old_key, org):
    rotate()
    after_first = raw("org_user", "phone", org.staff.pk)

    out = rotate()

    assert "共重新加密 0 行（0 张表）" in out
    assert raw("org_user", "phone", org.staff.pk) == after_first  # not even a fresh nonce


def test_a_dry_run_counts_and_changes_nothing(old_key, org):
    before = raw("org_user", "phone", org.staff.pk)

    out = rotate("--dry-run")

    assert "待重新加密 3 行" in out
    assert "检查完成" in out
    assert raw("org_user", "phone", org.staff.pk) == before


def test_values_still_in_clear_are_encrypted(old_key, org):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_unit SET contact_phone = %s WHERE id = %s", ["0539-7654321", org.edu.pk])

    rotate()

    assert raw("org_unit", "contact_phone", org.edu.pk).startswith("sm4:k2026:")
    assert Unit.objects.get(pk=org.edu.pk).contact_phone == "0539-7654321"


def test_rotation_without_the_old_key_stops_with_a_chinese_message(old_key):
    old_key.MINSHENG_FIELD_KEYS = NEW

    with pytest.raises(CommandError, match="字段密钥“k2025”未配置"):
        rotate()


def test_rotation_leaves_no_change_history_row(old_key, org):
    rows = User.history.count()

    rotate()

    assert User.history.count() == rows


def test_the_data_migrations_encrypt_rows_in_clear_and_unapplying_decrypts_them(org):
    # The RunPython pair every encrypting migration uses (e.g. org/migrations/0003_encrypt_phones.py).
    from types import SimpleNamespace

    from django.apps import apps

    from minsheng.encrypted import encrypt_existing

    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_unit SET contact_phone = %s WHERE id = %s", ["0539-5555555", org.hrss.pk])
        cursor.execute("UPDATE org_user SET phone = %s WHERE id = %s", ["13900000000", org.staff.pk])
    forward, backward = encrypt_existing("org", {"Unit": ["contact_phone"], "User": ["phone"]})
    editor = SimpleNamespace(connection=connection)

    forward(apps, editor)
    assert raw("org_unit", "contact_phone", org.hrss.pk).startswith("sm4:")
    assert raw("org_user", "phone", org.staff.pk).startswith("sm4:")
    assert Unit.objects.get(pk=org.hrss.pk).contact_phone == "0539-5555555"

    backward(apps, editor)
    assert raw("org_unit", "contact_phone", org.hrss.pk) == "0539-5555555"
    assert raw("org_user", "phone", org.staff.pk) == "13900000000"
    assert raw("org_unit", "contact_phone", org.edu.pk) == ""
