"""The demo's first and second start: `scripts/demo.sh` on the embedded PostgreSQL, timed until it serves.

    .venv/bin/python bench/demo_start.py            # --runs 2 --timeout 600
    .venv/bin/python bench/demo_start.py --no-baseline

Each run starts scripts/demo.sh in a session of its own on a free port, with no DATABASE_URL or REDIS_URL
and MINSHENG_PGDATA in a temporary directory, and times:

- **cold**: a new data directory: initdb, the server's start, migrate, seed_demo, runserver;
- **warm**: the same directory again after the demo was stopped (Ctrl+C): the server's start, migrate and
  seed_demo with nothing to do, runserver;

each until /healthz answers 200 and, logged in as the leader, the dashboard's overview API answers 200
(the first page a leader opens). The baseline, in the same process: the same cold start on the machine's
PostgreSQL server (DATABASE_URL to a fresh database, postgres://postgres@127.0.0.1:5432), so the ratio
says what the embedded server adds over a server installed by hand. The virtualenv must exist
(scripts/demo.sh makes it; its own time is not measured: pip runs once per machine).
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
BASELINE_SERVER = "postgres://postgres@127.0.0.1:5432"
BASELINE_DATABASE = "minsheng_bench_demo_start"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(opener, url: str, data: dict | None = None) -> tuple[int, str, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(urllib.request.Request(url, data=body, headers={"Referer": url}), timeout=30) as r:
            return r.status, r.url, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.url, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, url, ""


def leader_sees_dashboard(base: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    status, url, page = get(opener, base + "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        return False
    action = urllib.parse.urlparse(url).path
    get(
        opener,
        base + action,
        {"csrfmiddlewaretoken": token.group(1), "username": "lingdao", "password": "Minsheng@2026"},
    )
    status, _, body = get(opener, base + "/api/v1/dashboard/overview/")
    return status == 200 and body.startswith("{")


def start_demo(env: dict, timeout: float) -> tuple[float, float, subprocess.Popen, Path]:
    """Start demo.sh; seconds until /healthz answers and until the leader's dashboard API answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkstemp(prefix="demo-start-", suffix=".log")[1])
    env = {**env, "PORT": str(port), "MINSHENG_BIND": "127.0.0.1"}
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(
            ["./scripts/demo.sh"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    healthy = None
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"demo.sh exited with {process.returncode}; see {log}")
        if healthy is None and get(urllib.request.build_opener(), base + "/healthz")[0] == 200:
            healthy = time.perf_counter() - started
        if healthy is not None and leader_sees_dashboard(base):
            return healthy, time.perf_counter() - started, process, log
        time.sleep(0.2)
    stop_demo(process)
    raise RuntimeError(f"demo.sh did not serve within {timeout} s; see {log}")


def stop_demo(process: subprocess.Popen) -> None:
    """Stop the demo as CI does (SIGTERM to its session): runserver and the embedded server stop."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def demo_env(**extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {**env, **extra}


def psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{BASELINE_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def measure(label: str, env_for_run, runs: int, timeout: float, before=None) -> list[tuple[float, float]]:
    figures = []
    for i in range(runs):
        env = env_for_run(i)
        if before:
            before(i)
        healthy, dashboard, process, log = start_demo(env, timeout)
        stop_demo(process)
        log.unlink(missing_ok=True)
        figures.append((healthy, dashboard))
        print(
            f"  {label} run {i + 1}: /healthz after {healthy:6.1f} s, "
            f"leader's dashboard after {dashboard:6.1f} s"
        )
    return figures


def summary(figures: list[tuple[float, float]]) -> str:
    served = [d for _, d in figures]
    return f"median {statistics.median(served):.1f} s (min {min(served):.1f}, max {max(served):.1f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--no-baseline", action="store_true", help="skip the machine's PostgreSQL baseline")
    args = parser.parse_args()
    if not PYTHON.exists():
        print("先运行 scripts/demo.sh 或 scripts/test.sh 创建 .venv / create .venv first", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="bench-demo-start-"))
    try:
        print(f"cold: a new embedded data directory each run ({args.runs} runs)")
        cold = measure(
            "cold", lambda i: demo_env(MINSHENG_PGDATA=str(work / f"cold-{i}")), args.runs, args.timeout
        )

        print(f"warm: the first cold run's data directory again ({args.runs} runs)")
        warm = measure(
            "warm", lambda i: demo_env(MINSHENG_PGDATA=str(work / "cold-0")), args.runs, args.timeout
        )

        baseline = None
        if not args.no_baseline:
            print(
                f"baseline: cold start on the machine's PostgreSQL ({BASELINE_SERVER}), "
                "a new database each run"
            )

            def fresh_database(i):
                psql(f"DROP DATABASE IF EXISTS {BASELINE_DATABASE} WITH (FORCE)")
                psql(f"CREATE DATABASE {BASELINE_DATABASE}")

            baseline = measure(
                "baseline",
                lambda i: demo_env(DATABASE_URL=f"{BASELINE_SERVER}/{BASELINE_DATABASE}"),
                args.runs,
                args.timeout,
                before=fresh_database,
            )
            psql(f"DROP DATABASE IF EXISTS {BASELINE_DATABASE} WITH (FORCE)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\nuntil the leader's dashboard answers:")
    print(f"  cold start (embedded, new data):   {summary(cold)}")
    print(f"  warm start (embedded, data kept):  {summary(warm)}")
    warm_ratio = statistics.median(d for _, d in warm) / statistics.median(d for _, d in cold)
    print(f"  warm / cold: {warm_ratio:.2f}x")
    if baseline:
        print(f"  baseline (machine's PostgreSQL):   {summary(baseline)}")
        ratio = statistics.median(d for _, d in cold) / statistics.median(d for _, d in baseline)
        print(f"  embedded cold / baseline: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
