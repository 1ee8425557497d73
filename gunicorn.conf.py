"""gunicorn's settings for minsheng: `gunicorn minsheng.wsgi` run from the repository root (or /app in the
image) reads this file; command-line options override it.

These are the settings bench/ballots.py measures, so the figures in bench/README.md are what a deployment
gets. Threads, not processes: a request spends most of its time waiting on PostgreSQL and Redis, and
gunicorn's default sync worker (one request per process, no keep-alive) took fewer ballots per second on
the same two CPUs and held a PostgreSQL connection per process anyway.

Each thread keeps its own PostgreSQL connection (DB_CONN_MAX_AGE), so one web container opens up to
workers x threads connections: PostgreSQL's max_connections must cover that for every container, plus the
Celery workers and beat.

Environment:
    PORT                port to listen on (default 8000), on all interfaces
    WEB_CONCURRENCY     worker processes (default: one per CPU, at most 4: in a container os.cpu_count() is
                        the host's, and 64 x 8 connections would exceed PostgreSQL's default 100)
    GUNICORN_THREADS    threads per worker (default 8)
    GUNICORN_TIMEOUT    seconds before a silent worker is restarted (default 60)
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(os.cpu_count() or 2, 4))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Idle keep-alive connections wait in the worker's poller, not in a thread; a reverse proxy or a phone
# sending its next request soon reuses the connection instead of opening a new one.
keepalive = 5
accesslog = "-"
