"""Checkpoints outside the database: the newest records deleted behind the trigger's back leave a chain
that still links up, and only the checkpoint file (and the log line beside it) tells."""

import json

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from audit import chain, checkpoints, services
from audit.models import SecurityEvent
from audit.tasks import checkpoint_audit_log_task
from minsheng.security_events import EventKind

pytestmark = pytest.mark.django_db


def append(n: int) -> None:
    for i in range(n):
        services.record(EventKind.EXPORT, target=f"list:{i}")


def test_the_tip_is_written_to_the_file_and_the_log_once_per_move(archive_dir, caplog):
    append(3)
    caplog.set_level("INFO", logger="minsheng.audit")
    assert checkpoint_audit_log_task() == 3
    assert checkpoint_audit_log_task() is None  # the tip has not moved
    append(2)
    assert checkpoint_audit_log_task() == 5
    lines = [json.loads(line) for line in (archive_dir / "checkpoints.jsonl").read_text().splitlines()]
    tip = SecurityEvent.objects.get(seq=5)
    assert [(line["seq"], line["hash"]) for line in lines] == [(3, lines[0]["hash"]), (5, tip.hash)]
    assert [r.getMessage() for r in caplog.records if "checkpoint" in r.getMessage()] == [
        f"audit checkpoint seq=3 hash={lines[0]['hash']}",
        f"audit checkpoint seq=5 hash={tip.hash}",
    ]


def test_deleting_the_newest_records_is_found_by_the_checkpoint(archive_dir, tamper, capsys):
    append(5)
    checkpoints.write()
    append(2)
    assert chain.verify().ok
    tamper("DELETE FROM audit_securityevent WHERE seq >= 4")
    verdict = chain.verify()
    assert verdict.broken == chain.Break(5, "检查点记录的第 5 条记录已不在日志中（最新的记录被删除）")
    with pytest.raises(SystemExit):
        call_command("verify_audit_log")
    assert "第 5 条记录处链条断裂" in capsys.readouterr().err


def test_a_rewritten_tail_with_recomputed_hashes_is_found(archive_dir, tamper):
    append(4)
    checkpoints.write()
    tamper("DELETE FROM audit_securityevent WHERE seq >= 3")
    append(2)  # chained again onto record 2: a consistent chain, but not the one checkpointed
    verdict = chain.verify()
    assert verdict.broken == chain.Break(4, "第 4 条记录的摘要与检查点不符（记录被改动或重写）")


def test_checkpoints_at_or_before_the_archive_anchor_are_not_asked_of_the_table(archive_dir, tamper):
    append(2)
    checkpoints.write()
    tamper("DELETE FROM audit_securityevent")  # as the archive removes what it archived
    assert checkpoints.missing(after_seq=2) is None
    assert checkpoints.missing(after_seq=0) is not None


def test_the_checkpoint_runs_every_hour_from_celery_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert entry["task"] == "audit.tasks.checkpoint_audit_log_task"
    assert entry["schedule"].minute == {7}
