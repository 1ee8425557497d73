"""Writing the security audit log: `record` appends one hash-chained record; `archive_old_records` moves
records past their retention into a file.

Where a record is written, and why: a record must survive whatever the request does next. A refused
request, a failed login or an export inside a transaction that later rolls back must still be logged, and
an `on_commit` callback would be dropped with the rollback. So:

- outside a transaction (Django's autocommit, the normal case for a request here, and the 403 handler, which
  runs after the view's transaction has ended), the record is appended on the request's own connection in
  a short transaction of its own and is committed at once;
- inside a transaction the caller might roll back, it is appended on a second connection of this thread
  (opened on first need, kept like Django's own), which commits independently of the caller's.

The second connection never waits for the first: the log has no foreign key (`user` has no database
constraint), and the chain's lock is only taken by appends, which on the first connection happen outside
its transactions (and by the archive command). Appends are serialised by a transaction-level advisory lock
taken in the same transaction as the insert (audit_chain_tip()), so sequence numbers are consecutive and
each record chains onto the one committed just before it, across processes. An append is one statement,
`audit_append()`, chained onto the tip this process saw last and inserted only if that is still the tip
(one round trip, the lock held only inside the server); when another process appended in between, it
returns the new tip and the record is chained onto that.
"""

import datetime
import gzip
import json
import logging
import math
import os
import tempfile
import threading
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from asgiref.local import Local
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from minsheng.net import client_ip
from minsheng.security_events import EventKind, Result
from org import access

from . import chain
from .models import AuditArchive, SecurityEvent

logger = logging.getLogger(__name__)

# CharFields' lengths: text is cut to fit, never refused.
LIMITS: dict[str, int] = {
    field.name: field.max_length for field in SecurityEvent._meta.concrete_fields if field.max_length
}

INSERT = """
INSERT INTO audit_securityevent
    (seq, at, kind, result, user_id, username, role, ip, user_agent, method, path, target, detail,
     algorithm, prev_hash, hash)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)
"""
# audit_chain_tip() (migration 0002) takes the chain's transaction-level advisory lock, then reads the last
# record (or the newest archive's anchor): one round trip, and no row is updated per append (a "chain
# head" row updated thousands of times a second grows a chain of dead versions whenever a long transaction,
# a pg_dump for one, holds back vacuum, and every append then walks it).
TIP = "SELECT seq, hash FROM audit_chain_tip(%s)"
LOCK = "SELECT pg_advisory_xact_lock(%s)"
LOCK_KEY = 0x4D53_4155_4449_5400  # "MSAUDIT": the same key as in audit_chain_tip()


def _text(value, field: str) -> str:
    """Text as PostgreSQL stores it: no NUL, valid UTF-8, cut to the column's length."""
    text = "" if value is None else str(value)
    text = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return text[: LIMITS[field]]


def _plain(value):
    """JSON values that come back from jsonb exactly as they went in (so the hash can be recomputed):
    strings without NUL, integers, booleans, null; other numbers and objects as text."""
    if isinstance(value, dict):
        return {str(key).replace("\x00", ""): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return str(value).replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _fields(kind, *, request, user, username, target, detail, result) -> dict:
    meta = request.META if request is not None else {}
    return {
        "kind": str(kind),
        "result": str(result),
        "user_id": user.pk if user is not None else None,
        "username": _text(username if username is not None else getattr(user, "username", ""), "username"),
        "role": _text(_role(user), "role"),
        "ip": _text(client_ip(request) if request is not None else "", "ip"),
        "user_agent": _text(meta.get("HTTP_USER_AGENT", ""), "user_agent"),
        "method": _text(getattr(request, "method", "") or "", "method"),
        "path": _text(getattr(request, "path", "") or "", "path"),
        "target": _text(target, "target"),
        "detail": _plain(detail or {}),
        "algorithm": chain.current_algorithm(),
    }


def _role(user) -> str:
    if user is None:
        return ""
    if access.is_break_glass_account(user):
        return "superuser"  # the break-glass account
    return getattr(user, "role", "") or ""


def synchronous_commit() -> bool:
    """Whether an append waits for its WAL to reach the disk (settings.MINSHENG_AUDIT_SYNCHRONOUS_COMMIT).

    Off by default: the chain's lock is held until the commit returns, so a commit that waits for the disk
    (several ms on a busy or slow disk) caps the whole log at a few hundred records a second, across all
    processes. Without the wait a record can be lost only if the PostgreSQL server itself crashes within
    about 3 × wal_writer_delay (0.6 s by default) of writing it and before any other commit flushed the
    WAL; what is lost is always the newest records, so the chain stays whole and verifiable. Set it on
    where every record must survive a server crash and the disk is fast."""
    return bool(getattr(settings, "MINSHENG_AUDIT_SYNCHRONOUS_COMMIT", False))


def _chained(fields: dict, last_seq: int, prev_hash: str) -> tuple[int, list]:
    """The record's sequence number and the INSERT's parameters, chained onto (last_seq, prev_hash)."""
    fields = {**fields, "seq": last_seq + 1, "at": timezone.now()}
    params = [
        *(fields[name] for name in ("seq", "at", "kind", "result", "user_id", "username", "role", "ip")),
        *(fields[name] for name in ("user_agent", "method", "path", "target")),
        json.dumps(fields["detail"], ensure_ascii=False),
        fields["algorithm"],
        prev_hash,
        chain.record_hash(prev_hash, fields),
    ]
    return fields["seq"], params


def _append(cursor, fields: dict) -> int:
    """Lock the chain, chain the record onto its tip and insert it, in the caller's transaction."""
    cursor.execute(TIP, [synchronous_commit()])
    seq, params = _chained(fields, *cursor.fetchone())
    cursor.execute(INSERT, params)
    return seq


# durable, then INSERT's parameters in its order (detail is the 14th of them).
APPEND = "SELECT ok, seq, hash FROM audit_append(%s, " + ", ".join(["%s"] * 12) + ", %s::jsonb, %s, %s, %s)"
# Tries of the one-statement append before falling back to holding the lock across the chaining.
OPTIMISTIC_TRIES = 5
# The tip this process appended last, which the next append chains onto without asking first: one round
# trip per record while no other process appends in between (then one more). The lock serialises this
# process's threads, so they do not race each other for the tip.
_tip_lock = threading.Lock()
_known_tip: tuple[int, str] | None = None


def _append_optimistic(connection, fields: dict) -> int:
    """On a connection in autocommit mode: chain the record onto the tip this process last saw and let
    `audit_append` (migration 0003) insert it in one statement if that is still the tip; otherwise chain
    onto the tip it returns and try again."""
    global _known_tip
    with _tip_lock:
        tip = _known_tip or (-1, "")  # (-1, "") never matches: the first call learns the tip
        with connection.cursor() as cursor:
            for _ in range(OPTIMISTIC_TRIES):
                seq, params = _chained(fields, *tip)
                cursor.execute(APPEND, [synchronous_commit(), *params])
                ok, tip_seq, tip_hash = cursor.fetchone()
                tip = (tip_seq, tip_hash)
                if ok:
                    _known_tip = tip
                    return seq
        _known_tip = None
    return _append_locked(connection, fields)


def _append_locked(connection, fields: dict) -> int:
    """On a connection in autocommit mode: the chain's lock held from reading the tip to the commit."""
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            seq = _append(cursor, fields)
        connection.commit()
        return seq
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.set_autocommit(True)


# The second connection of each thread (see the module's note).
_side = Local()


def _side_connection():
    connection = getattr(_side, "connection", None)
    if connection is None:
        connection = connections.create_connection(DEFAULT_DB_ALIAS)
        _side.connection = connection
    return connection


def close_side_connection(**kwargs) -> None:
    """Close this thread's second connection (tests; request_finished closes it when it is too old)."""
    connection = getattr(_side, "connection", None)
    if connection is not None:
        connection.close()
        _side.connection = None


def release_side_connection(**kwargs) -> None:
    """request_finished: keep the second connection for CONN_MAX_AGE like Django keeps the first."""
    connection = getattr(_side, "connection", None)
    if connection is not None:
        connection.close_if_unusable_or_obsolete()


def _caller_may_roll_back(connection) -> bool:
    """Whether the default connection is in a transaction of the caller's that may roll back.

    Inside a test case's transaction the record stays on the test's connection (a savepoint): the side
    connection could not see the test's rows, and it would wait for ever on the chain's lock, which an
    earlier record of the same test holds until the test ends. Tests of the rollback path run with
    transaction=True, where there is no test case's transaction."""
    if connection.get_autocommit():
        return False
    return not any(block._from_testcase for block in connection.atomic_blocks)


def _append_on_side_connection(fields: dict) -> int:
    connection = _side_connection()
    connection.close_if_unusable_or_obsolete()
    connection.ensure_connection()
    return _append_optimistic(connection, fields)


def record(
    kind: EventKind,
    *,
    request=None,
    user=None,
    username: str | None = None,
    target: str = "",
    detail: dict | None = None,
    result: Result = Result.OK,
) -> int:
    """Append a security event to the log and return its sequence number; committed whatever the caller
    does next. `username` overrides the user's (a failed login records the name tried)."""
    fields = _fields(
        kind, request=request, user=user, username=username, target=target, detail=detail, result=result
    )
    connection = connections[DEFAULT_DB_ALIAS]
    if _caller_may_roll_back(connection):
        return _append_on_side_connection(fields)
    if connection.get_autocommit():
        return _append_optimistic(connection, fields)
    # Inside a test case's transaction: a savepoint of it.
    with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
        return _append(cursor, fields)


# ---------------------------------------------------------------------------------------------------------
# Retention and archive

MINIMUM_RETENTION_DAYS = 180


def retention_days() -> int:
    """settings.MINSHENG_AUDIT_RETENTION_DAYS (default 180); less than 180 days is refused (等保 2.0)."""
    days = int(getattr(settings, "MINSHENG_AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"MINSHENG_AUDIT_RETENTION_DAYS 为 {days}，安全审计日志至少保留 {MINIMUM_RETENTION_DAYS} 天。"
        )
    return days


def archive_dir() -> Path:
    configured = getattr(settings, "MINSHENG_AUDIT_ARCHIVE_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "audit-archive"


class ArchiveError(Exception):
    """The archive was refused (Chinese message): the records to archive do not verify."""


@dataclass(frozen=True)
class ArchiveResult:
    count: int
    archive: AuditArchive | None


ROW_FIELDS = ("seq", "prev_hash", "hash", *(f for f in chain.HASHED_FIELDS if f != "seq"))


def _json_line(row: dict) -> str:
    return json.dumps({**row, "at": chain.timestamp(row["at"])}, ensure_ascii=False, sort_keys=True) + "\n"


def archive_old_records(*, now: datetime.datetime | None = None, chunk_size: int = 2000) -> ArchiveResult:
    """Move the records older than the retention period into a gzip JSON-lines file with a checksum file,
    then delete them from the table through the trigger's one allowed path. Appends wait meanwhile (the
    archive holds the chain's lock). Refused, changing nothing, when those records do not verify:
    archiving must not launder a tampered chain."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    with transaction.atomic():
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute(LOCK, [LOCK_KEY])
        after_seq, after_hash = chain.anchor()
        # A prefix of the chain: everything before the first record young enough to keep.
        first_kept = (
            SecurityEvent.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True)
        )
        end = first_kept.first()
        old = SecurityEvent.objects.order_by("seq")
        if end is not None:
            old = old.filter(seq__lt=end)
        if not old.exists():
            return ArchiveResult(0, None)
        rows = old.values(*ROW_FIELDS).iterator(chunk_size=chunk_size)
        algorithm = chain.current_algorithm()
        directory = archive_dir()
        directory.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=directory, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:

                def written():
                    for row in rows:
                        out.write(_json_line(row).encode())
                        yield row

                # Closed here: a server-side cursor left to the garbage collector would be closed after the
                # rollback, in a transaction that no longer has it.
                with closing(rows):
                    count, last_seq, last_hash, broken = chain.walk(
                        written(), after_seq=after_seq, after_hash=after_hash
                    )
                if broken is not None:
                    raise ArchiveError(f"第 {broken.seq} 条记录校验失败（{broken.reason}），拒绝归档。")
                raw.flush()
            first_seq = after_seq + 1
            name = f"audit-{first_seq:012d}-{last_seq:012d}.jsonl.gz"
            final = directory / name
            checksum = chain.digest(Path(temp_name).read_bytes(), algorithm)
            os.replace(temp_name, final)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        (directory / f"{name}.{algorithm}").write_text(f"{checksum}  {name}\n", encoding="utf-8")
        archive = AuditArchive.objects.create(
            created_at=now,
            cutoff=cutoff,
            first_seq=first_seq,
            last_seq=last_seq,
            last_hash=last_hash,
            count=count,
            file_name=name,
            checksum=checksum,
            algorithm=algorithm,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL minsheng.audit_archiving = 'on'")
            cursor.execute("DELETE FROM audit_securityevent WHERE seq <= %s", [last_seq])
            cursor.execute("SET LOCAL minsheng.audit_archiving = 'off'")
    return ArchiveResult(count, archive)
