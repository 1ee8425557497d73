"""Checkpoints of the chain's tip kept outside the database, so that deleting the newest records is found.

The hash chain finds an edited record and a record deleted from the middle, but someone with the database
owner's rights who disables the append-only trigger and deletes the *newest* records leaves a shorter chain
that still verifies. Every hour the tip (sequence number and hash) is appended to a file beside the
archives (settings.MINSHENG_AUDIT_ARCHIVE_DIR, which operations keep on another disk or machine) and written
to the `minsheng.audit` log, which production ships to syslog; `verify_audit_log` then requires every
checkpoint not yet archived to be in the table with the same hash.
"""

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from .models import SecurityEvent

logger = logging.getLogger("minsheng.audit")

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str


def checkpoint_file() -> Path:
    from .services import archive_dir

    return archive_dir() / FILE_NAME


def read() -> list[Checkpoint]:
    """The checkpoints written so far, oldest first (lines that do not parse are skipped)."""
    path = checkpoint_file()
    if not path.exists():
        return []
    found = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                data = json.loads(line)
                found.append(Checkpoint(int(data["seq"]), str(data["hash"])))
            except (ValueError, KeyError, TypeError):
                continue
    return found


def write() -> Checkpoint | None:
    """Append the current tip to the checkpoint file (flushed to the disk) and log it; nothing when the
    log is empty or the tip has not moved since the last checkpoint."""
    tip = SecurityEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    if tip is None:
        return None
    checkpoint = Checkpoint(*tip)
    existing = read()
    if existing and existing[-1] == checkpoint:
        return None
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {"seq": checkpoint.seq, "hash": checkpoint.hash, "at": timezone.now().isoformat()}
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
        out.flush()
        os.fsync(out.fileno())
    logger.info("audit checkpoint seq=%s hash=%s", checkpoint.seq, checkpoint.hash)
    return checkpoint


def missing(*, after_seq: int) -> tuple[int, str] | None:
    """The first checkpoint past the archive anchor `after_seq` that the table no longer holds with the
    same hash, and why (Chinese); None when every one of them is there."""
    wanted = [c for c in read() if c.seq > after_seq]
    if not wanted:
        return None
    stored = dict(SecurityEvent.objects.filter(seq__in=[c.seq for c in wanted]).values_list("seq", "hash"))
    for checkpoint in wanted:
        if checkpoint.seq not in stored:
            return checkpoint.seq, f"检查点记录的第 {checkpoint.seq} 条记录已不在日志中（最新的记录被删除）"
        if stored[checkpoint.seq] != checkpoint.hash:
            return checkpoint.seq, f"第 {checkpoint.seq} 条记录的摘要与检查点不符（记录被改动或重写）"
    return None
