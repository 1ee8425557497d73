"""Retention: records older than MINSHENG_AUDIT_RETENTION_DAYS (at least 180) are moved to a gzip JSON-lines
file with a checksum, then removed through the trigger's one allowed path; the chain still verifies from
the archive's anchor and keeps growing from it."""

import datetime
import gzip
import json

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import chain, services
from audit.models import AuditArchive, SecurityEvent
from minsheng.security_events import EventKind

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)


def log_on(time_machine, when, n):
    time_machine.move_to(when, tick=False)
    for i in range(n):
        services.record(EventKind.EXPORT, target=f"list:{i}")


def test_old_records_are_archived_with_a_checksum_and_the_chain_still_verifies(
    time_machine, archive_dir, capsys
):
    log_on(time_machine, START, 3)  # 200 days before the run: archived
    log_on(time_machine, START + datetime.timedelta(days=100), 2)  # 100 days before: kept
    time_machine.move_to(START + datetime.timedelta(days=200), tick=False)
    old = list(SecurityEvent.objects.filter(seq__lte=3).order_by("seq").values())

    call_command("archive_audit_log")

    assert "已归档 3 条" in capsys.readouterr().out
    assert list(SecurityEvent.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5]
    archive = AuditArchive.objects.get()
    assert (archive.first_seq, archive.last_seq, archive.count) == (1, 3, 3)
    assert archive.last_hash == old[-1]["hash"]
    path = archive_dir / archive.file_name
    lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).decode().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert lines[2]["hash"] == old[2]["hash"]
    checksum_file = archive_dir / f"{archive.file_name}.{archive.algorithm}"
    assert (
        checksum_file.read_text()
        == f"{chain.digest(path.read_bytes(), archive.algorithm)}  {archive.file_name}\n"
    )
    assert archive.checksum == chain.digest(path.read_bytes(), archive.algorithm)

    assert chain.verify().ok
    services.record(EventKind.LOGIN)
    assert chain.verify().ok
    assert SecurityEvent.objects.get(seq=6).prev_hash == SecurityEvent.objects.get(seq=5).hash


def test_a_second_run_finds_nothing_to_archive(time_machine, archive_dir, capsys):
    log_on(time_machine, START, 2)
    time_machine.move_to(START + datetime.timedelta(days=181), tick=False)
    call_command("archive_audit_log")
    call_command("archive_audit_log")
    assert "无需归档" in capsys.readouterr().out
    assert AuditArchive.objects.count() == 1
    assert SecurityEvent.objects.count() == 0
    services.record(EventKind.LOGIN)  # the chain continues from the archive's anchor
    assert SecurityEvent.objects.get().seq == 3
    assert chain.verify().ok


def test_records_younger_than_the_retention_period_stay(time_machine, archive_dir, settings):
    settings.MINSHENG_AUDIT_RETENTION_DAYS = 365
    log_on(time_machine, START, 2)
    time_machine.move_to(START + datetime.timedelta(days=200), tick=False)
    assert services.archive_old_records().count == 0
    assert SecurityEvent.objects.count() == 2


def test_a_retention_period_under_180_days_is_refused(settings, archive_dir):
    settings.MINSHENG_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("archive_audit_log")
    from audit.checks import retention_period

    assert [error.id for error in retention_period(None)] == ["audit.E001"]


def test_a_tampered_chain_is_not_archived(time_machine, archive_dir, tamper):
    log_on(time_machine, START, 3)
    tamper("UPDATE audit_securityevent SET target = 'x' WHERE seq = 2")
    time_machine.move_to(START + datetime.timedelta(days=200), tick=False)
    with pytest.raises(CommandError, match="第 2 条记录校验失败"):
        call_command("archive_audit_log")
    assert SecurityEvent.objects.count() == 3
    assert not AuditArchive.objects.exists()
    assert not list(archive_dir.glob("*.gz"))


def test_the_archive_runs_every_night_from_celery_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["audit-archive-old-records"]
    assert entry["task"] == "audit.tasks.archive_audit_log_task"
