#!/usr/bin/env python
"""Writing the security audit log: records per second through the public API
(minsheng.security_events.emit, the audit receiver, the hash chain under the chain's advisory lock, one
committed transaction per record), against plain autocommit INSERTs of a row of the same size into a
table without trigger, lock or hash, in the same run on the same connection.

Goal (issue 15): at least 1,000 records/s.

    .venv/bin/python bench/audit_log.py [--records 3000] [--repeat 3] [--threads 1]

Its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/minsheng_audit_bench, or
--database-url / BENCH_DATABASE_URL; the name must contain "bench": the log is wiped). Each way runs
--repeat times and the median counts; both SHA-256 and SM3 (settings.MINSHENG_NATIONAL_CRYPTO) are timed.
With --threads N, N writers append at once (each on its own connection) and the chain is verified after.
Exit 0 when the goal is met by both algorithms, 1 when it is missed, 2 when the chain does not verify.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lights import setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minsheng_audit_bench"
GOAL_PER_SECOND = 1000
PLAIN_TABLE = """
CREATE TABLE IF NOT EXISTS bench_plain_event (
    id bigserial PRIMARY KEY, seq bigint, at timestamptz, kind varchar(32), result varchar(16),
    user_id bigint, username varchar(150), role varchar(32), ip varchar(64), user_agent varchar(512),
    method varchar(10), path varchar(1000), target varchar(200), detail jsonb, algorithm varchar(10),
    prev_hash varchar(64), hash varchar(64)
)
"""
PLAIN_INSERT = """
INSERT INTO bench_plain_event (seq, at, kind, result, user_id, username, role, ip, user_agent, method, path,
    target, detail, algorithm, prev_hash, hash)
VALUES (%s, now(), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)
"""
AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=3000, help="records per timed run")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per way (the median counts)")
    parser.add_argument("--threads", type=int, default=1, help="concurrent writers for the public API")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def wipe() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(PLAIN_TABLE)
        # TRUNCATE is not UPDATE or DELETE: the append-only trigger lets the bench start afresh.
        cursor.execute("TRUNCATE audit_securityevent, audit_auditarchive, bench_plain_event")


def a_request(user):
    from django.test import RequestFactory

    request = RequestFactory().post(
        "/admin/ledgers/ledgerimport/export/", HTTP_USER_AGENT=AGENT, REMOTE_ADDR="192.0.2.10"
    )
    request.user = user
    return request


def ours(n: int, user) -> None:
    from minsheng.security_events import EventKind, emit

    request = a_request(user)
    for i in range(n):
        emit(
            EventKind.EXPORT, request=request, target=f"plan:{i}", detail={"ledger": "progress", "year": 2026}
        )


def plain(n: int, user) -> None:
    import json

    from django.db import connection

    detail = json.dumps({"ledger": "progress", "year": 2026})
    with connection.cursor() as cursor:
        for i in range(n):
            cursor.execute(
                PLAIN_INSERT,
                [
                    i,
                    "export",
                    "ok",
                    user.pk,
                    user.username,
                    "staff",
                    "192.0.2.10",
                    AGENT,
                    "POST",
                    "/admin/ledgers/ledgerimport/export/",
                    f"plan:{i}",
                    detail,
                    "sm3",
                    "0" * 64,
                    "f" * 64,
                ],
            )


def in_threads(function, n: int, threads: int, user) -> None:
    from django.db import connections

    def run(count):
        try:
            function(count, user)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(n // threads,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def rate(function, n: int, repeat: int, threads: int, user) -> float:
    """Median records per second over `repeat` runs of n records."""
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        if threads > 1:
            in_threads(function, n, threads, user)
        else:
            function(n, user)
        rates.append(n / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> int:
    args = parse_args()
    setup_django(args.database_url)
    from django.conf import settings

    from audit import chain
    from audit.models import SecurityEvent
    from org.models import User

    wipe()
    user = User.objects.filter(username="bench").first()
    if user is None:
        user = User.objects.create_user(username="bench", password=None)
    ours(50, user)  # warm up: connection, prepared paths
    plain(50, user)
    code = 0
    plain_rate = rate(plain, args.records, args.repeat, 1, user)
    print(f"plain INSERT (autocommit, no trigger/lock/hash): {plain_rate:8.0f} rows/s")
    writers = f"{args.threads} writer{'s' if args.threads > 1 else ''}"
    for label, national in (("SHA-256", False), ("SM3", True)):
        settings.MINSHENG_NATIONAL_CRYPTO = national
        settings.MINSHENG_AUDIT_SYNCHRONOUS_COMMIT = False
        ours_rate = rate(ours, args.records, args.repeat, args.threads, user)
        met = ours_rate >= GOAL_PER_SECOND
        code = code or (0 if met else 1)
        print(
            f"audit log via emit, {label:7} ({writers}): {ours_rate:8.0f} records/s | "
            f"{ours_rate / plain_rate:.2f}x the plain insert | "
            f"goal {GOAL_PER_SECOND}/s {'PASS' if met else 'FAIL'}"
        )
    # For information: every append waiting for the disk (MINSHENG_AUDIT_SYNCHRONOUS_COMMIT=1), against plain
    # inserts that wait for it too (the server's default).
    settings.MINSHENG_AUDIT_SYNCHRONOUS_COMMIT = True
    durable_rate = rate(ours, args.records, args.repeat, args.threads, user)
    print(
        f"  with MINSHENG_AUDIT_SYNCHRONOUS_COMMIT=1 (SM3, {writers}): {durable_rate:8.0f} records/s | "
        f"{durable_rate / plain_rate:.2f}x the plain insert (information only)"
    )
    started = time.perf_counter()
    verdict = chain.verify()
    print(
        f"verify_audit_log: {verdict.checked} records in {time.perf_counter() - started:.2f} s, "
        f"{'chain intact' if verdict.ok else f'BROKEN at {verdict.broken.seq}'}"
    )
    if not verdict.ok or verdict.checked != SecurityEvent.objects.count():
        return 2
    print("goal met" if code == 0 else "GOAL MISSED")
    return code


if __name__ == "__main__":
    sys.exit(main())
