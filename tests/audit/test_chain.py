"""The hash chain: records append in order, the database refuses edits, and any edit or deletion made
behind its back is found by verify_audit_log with the first broken sequence number."""

import threading

import pytest
from cryptography.hazmat.primitives import hashes
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from audit import chain, services
from audit.models import SecurityEvent
from minsheng.security_events import EventKind, Result, emit

pytestmark = pytest.mark.django_db


def append(n: int) -> None:
    for i in range(n):
        services.record(EventKind.EXPORT, target=f"list:{i}", detail={"rows": i, "note": "导出"})


def test_records_are_numbered_consecutively_and_each_links_to_the_one_before():
    append(5)
    rows = list(SecurityEvent.objects.order_by("seq"))
    assert [row.seq for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == ""
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    assert chain.verify().ok


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_record(settings):
    settings.MINSHENG_NATIONAL_CRYPTO = False
    append(2)
    second = SecurityEvent.objects.values().get(seq=2)
    expected = hashes.Hash(hashes.SHA256())
    expected.update((second["prev_hash"] + chain.canonical(second)).encode())
    assert second["algorithm"] == "sha256"
    assert second["hash"] == expected.finalize().hex()


def test_national_cryptography_chains_with_sm3_and_old_records_still_verify(settings):
    settings.MINSHENG_NATIONAL_CRYPTO = False
    append(2)
    settings.MINSHENG_NATIONAL_CRYPTO = True
    append(2)
    algorithms = list(SecurityEvent.objects.order_by("seq").values_list("algorithm", flat=True))
    assert algorithms == ["sha256", "sha256", "sm3", "sm3"]
    last = SecurityEvent.objects.values().get(seq=4)
    expected = hashes.Hash(hashes.SM3())
    expected.update((last["prev_hash"] + chain.canonical(last)).encode())
    assert last["hash"] == expected.finalize().hex()
    assert chain.verify().ok


def test_sm3_digest_matches_the_gbt_32905_test_vector():
    # GB/T 32905-2016 Appendix A.1: SM3("abc").
    assert chain.digest(b"abc", "sm3") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_the_database_refuses_to_update_or_delete_a_record():
    append(2)
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        SecurityEvent.objects.filter(seq=1).update(username="someone")
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        SecurityEvent.objects.filter(seq=2).delete()
    assert SecurityEvent.objects.count() == 2


def test_awkward_input_is_stored_and_still_verifies():
    """NUL bytes, very long names, formulas and floats come back from PostgreSQL as they were hashed."""
    services.record(
        EventKind.LOGIN_FAILED,
        username="a\x00b" + "x" * 500,
        target='=HYPERLINK("http://evil")',
        detail={"ratio": 0.1, "big": 1e20, "whole": 3.0, "nested": {"k\x00": ["\x00", None, True]}},
        result=Result.FAILED,
    )
    row = SecurityEvent.objects.get()
    assert row.username.startswith("ab")
    assert len(row.username) == 150
    assert row.detail == {"ratio": "0.1", "big": 10**20, "whole": 3, "nested": {"k": ["", None, True]}}
    assert chain.verify().ok


def test_an_edited_record_is_found(tamper, capsys):
    append(5)
    tamper("UPDATE audit_securityevent SET username = 'nobody' WHERE seq = 3")
    verdict = chain.verify()
    assert verdict.broken is not None
    assert verdict.broken.seq == 3
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit_log")
    assert exit_.value.code == 1
    assert "第 3 条记录" in capsys.readouterr().err


def test_an_edit_that_recomputes_the_records_own_hash_breaks_the_next_link(tamper):
    append(4)
    row = SecurityEvent.objects.values().get(seq=2)
    row["username"] = "nobody"
    forged = chain.record_hash(row["prev_hash"], row)
    tamper("UPDATE audit_securityevent SET username = 'nobody', hash = %s WHERE seq = 2", [forged])
    assert chain.verify().broken.seq == 3


def test_a_deleted_record_is_found(tamper):
    append(5)
    tamper("DELETE FROM audit_securityevent WHERE seq = 2")
    broken = chain.verify().broken
    assert broken.seq == 2
    assert "删除" in broken.reason


def test_verify_reports_success_in_chinese(capsys):
    append(3)
    call_command("verify_audit_log", chunk_size=2)
    assert "校验通过：共 3 条记录" in capsys.readouterr().out


def refuse_then_fail():
    with transaction.atomic():
        emit(EventKind.REFUSED, target="page", result=Result.REFUSED)
        raise RuntimeError("the request fails after the refusal was logged")


@pytest.mark.django_db(transaction=True)
def test_a_record_made_inside_a_transaction_survives_its_rollback():
    # Records committed by module-wide fixtures of other files (the demo's) may already be there.
    before = SecurityEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    try:
        with pytest.raises(RuntimeError):
            refuse_then_fail()
        made = SecurityEvent.objects.filter(seq__gt=before).values_list("kind", "target")
        assert list(made) == [("refused", "page")]
        assert chain.verify().ok
    finally:
        services.close_side_connection()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    errors = []

    def writer():
        try:
            append(25)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(SecurityEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 101))
    assert chain.verify().ok
    connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("durable", [False, True])
def test_appends_outside_a_transaction_commit_at_once_durable_or_not(settings, durable):
    settings.MINSHENG_AUDIT_SYNCHRONOUS_COMMIT = durable
    append(3)
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:  # nothing left open on the connection
        cursor.execute("SELECT now() = statement_timestamp()")  # true only outside an open transaction
        assert cursor.fetchone() == (True,)
    assert list(SecurityEvent.objects.values_list("seq", flat=True).order_by("seq")) == [1, 2, 3]
    assert chain.verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_append_after_another_process_appended_chains_onto_the_new_tip(monkeypatch):
    append(2)
    # Another process appends behind this one's back: this process still remembers record 2 as the tip.
    stale = services._known_tip
    append(1)
    monkeypatch.setattr(services, "_known_tip", stale)
    append(1)
    assert list(SecurityEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert chain.verify().ok
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_when_the_tip_keeps_moving_the_append_holds_the_lock_instead(monkeypatch):
    append(1)
    monkeypatch.setattr(services, "OPTIMISTIC_TRIES", 0)
    append(2)
    assert list(SecurityEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
    assert chain.verify().ok
    connection.close()
