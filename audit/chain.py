"""The hash chain: how a record's digest is computed and how the chain is walked.

hash = digest(prev_hash + canonical JSON of the record's fields), hex. The digest is SM3 (GB/T 32905) when
settings.MINSHENG_NATIONAL_CRYPTO is on, SHA-256 otherwise; each record names its algorithm, so records
written before a switch stay verifiable. Both come from minsheng/crypto.py (pyca/cryptography through
OpenSSL: a pure-Python SM3 would cap the log at a few hundred records a second).
"""

import datetime
import json
from contextlib import closing
from dataclasses import dataclass

from minsheng import crypto

from .models import Algorithm

# The fields a record's hash covers, in the canonical JSON (keys sorted, so the order here is for reading).
HASHED_FIELDS = (
    "seq",
    "at",
    "kind",
    "result",
    "user_id",
    "username",
    "role",
    "ip",
    "user_agent",
    "method",
    "path",
    "target",
    "detail",
    "algorithm",
)


def current_algorithm() -> str:
    return Algorithm(crypto.digest_algorithm())


def digest(data: bytes, algorithm: str) -> str:
    """Hex digest of `data` with the named algorithm ("sm3" or "sha256")."""
    return crypto.digest(data, Algorithm(algorithm).value)


def timestamp(at: datetime.datetime) -> str:
    """The record's time as hashed: UTC, microseconds, ISO 8601 (what PostgreSQL gives back unchanged)."""
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(fields: dict) -> str:
    """The canonical JSON of a record's hashed fields: sorted keys, no spaces, UTF-8 kept as is."""
    values = {name: fields[name] for name in HASHED_FIELDS}
    values["at"] = timestamp(values["at"])
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_hash(prev_hash: str, fields: dict) -> str:
    return digest((prev_hash + canonical(fields)).encode(), fields["algorithm"])


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the first sequence number that does not fit, and why (Chinese)."""

    seq: int
    reason: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    last_seq: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def anchor() -> tuple[int, str]:
    """(last sequence number, hash) the table's records continue from: the newest archive's, or (0, "")."""
    from .models import AuditArchive

    newest = AuditArchive.objects.order_by("-last_seq").values_list("last_seq", "last_hash").first()
    return newest if newest is not None else (0, "")


def walk(rows, *, after_seq: int, after_hash: str) -> tuple[int, int, str, Break | None]:
    """Check `rows` (dicts of the model's fields, in sequence order) continue the chain from (after_seq,
    after_hash): consecutive numbers, each prev_hash the hash before, each hash recomputed. Returns (count,
    last seq, last hash, first break or None)."""
    expected_seq, expected_prev = after_seq + 1, after_hash
    count = 0
    for row in rows:
        count += 1
        seq = row["seq"]
        if seq != expected_seq:
            if seq > expected_seq:
                reason = f"缺少第 {expected_seq} 至第 {seq - 1} 条记录（记录被删除）"
                return count, seq, row["hash"], Break(expected_seq, reason)
            return count, seq, row["hash"], Break(seq, f"序号重复或倒序（应为第 {expected_seq} 条）")
        if row["prev_hash"] != expected_prev:
            return count, seq, row["hash"], Break(seq, "上一条摘要与前一条记录不符（前面的记录被删除或改动）")
        if row["algorithm"] not in Algorithm.values or record_hash(row["prev_hash"], row) != row["hash"]:
            return count, seq, row["hash"], Break(seq, "记录内容与摘要不符（记录被改动）")
        expected_seq, expected_prev = seq + 1, row["hash"]
    return count, expected_seq - 1, expected_prev, None


def verify(*, chunk_size: int = 2000) -> Verdict:
    """Walk the whole table from the archive anchor, streaming, in sequence order."""
    from .models import SecurityEvent

    after_seq, after_hash = anchor()
    rows = (
        SecurityEvent.objects.order_by("seq")
        .values("seq", "prev_hash", "hash", *[f for f in HASHED_FIELDS if f != "seq"])
        .iterator(chunk_size=chunk_size)
    )
    with closing(rows):  # a walk that stops at a break closes its server-side cursor now, not when collected
        count, last_seq, _last_hash, broken = walk(rows, after_seq=after_seq, after_hash=after_hash)
    if broken is None:
        # A chain cut short at its newest end still links up: the checkpoints kept outside the database tell.
        from .checkpoints import missing

        short = missing(after_seq=after_seq)
        if short is not None:
            broken = Break(*short)
    return Verdict(checked=count, last_seq=last_seq, broken=broken)
