"""gunicorn's settings for minsheng: `gunicorn minsheng.wsgi` run from the repository root (or /app in the
image) reads this file; command-line options override it.

These are the settings bench/ballots.py measures, so the figures in bench/README.md are what a deployment
gets. Threaded workers: a request spends much of its time waiting on PostgreSQL and Redis, and gunicorn's
default sync worker (one request per process, no keep-alive) took fewer ballots per second on the same two
CPUs. Two workers per CPU with 4 threads each beat one worker per CPU with 8 threads (the same 16
PostgreSQL connections) in every alternating run on two CPUs, 684 against 555 ballots/s on average:
fewer threads wait on each process's GIL.

Each thread keeps its own PostgreSQL connection (DB_CONN_MAX_AGE), so one web container opens up to
workers x threads connections: PostgreSQL's max_connections must cover that for every container, plus the
Celery workers and beat.

Environment:
    PORT                port to listen on (default 8000), on all interfaces
    WEB_CONCURRENCY     worker processes (default: two per CPU, at most 8: in a container os.cpu_count() is
                        the host's, and 128 x 4 connections would exceed PostgreSQL's default 100)
    GUNICORN_THREADS    threads per worker (default 4)
    GUNICORN_TIMEOUT    seconds before a silent worker is restarted (default 60)
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1), 8))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Idle keep-alive connections wait in the worker's poller, not in a thread; a reverse proxy or a phone
# sending its next request soon reuses the connection instead of opening a new one.
keepalive = 5
accesslog = "-"
