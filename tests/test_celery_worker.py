"""summarize_lights_task: eagerly in-process (the embedded default) and through Redis to a real worker."""

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

from minsheng.celery import app
from projects.choices import ProjectStatus
from projects.tasks import summarize_lights_task
from tests.fixtures.processes import database_url_of_test_db

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
WORKER_TIMEOUT = 60


@pytest.fixture
def plan_with_lights(make_project, file_report):
    """One plan judged at month 9 (序时进度 75%): 2 green, 1 yellow, 1 red, 2 without a light."""
    figures = {"01": 80, "02": 75, "03": 70, "04": 40}
    for code, value in figures.items():
        project = make_project(code, targets={"指标": 100}, reporting_month=9)
        file_report(project, 9, {"指标": value})
    make_project("05", targets={"指标": 100}, reporting_month=9, status=ProjectStatus.SUSPENDED)
    make_project("06", reporting_month=9)  # neither targets nor milestones: nothing to judge by
    return project.plan


def _reset_connections():
    """Drop the app's cached broker pool and result backend so the next call uses the current conf."""
    app._pool = None  # only dropped: kombu's global registry may hand the same pool to the next user
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@contextlib.contextmanager
def celery_conf(**changes):
    """Change the Celery app's configuration for the duration of a test, then put it back."""
    saved = {key: app.conf.get(key) for key in changes}
    app.conf.update(changes)
    _reset_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_connections()


@pytest.mark.django_db
def test_summarize_lights_counts_projects_per_light_eagerly(plan_with_lights, django_assert_num_queries):
    with celery_conf(task_always_eager=True):
        with django_assert_num_queries(1):
            result = summarize_lights_task.delay(plan_with_lights.pk)
        assert result.get(timeout=1) == {"green": 2, "yellow": 1, "red": 1, "none": 2}
        # Judged at month 12 (schedule 100%) with no report after month 9, all four are over 10 points behind.
        later = summarize_lights_task.delay(plan_with_lights.pk, month=12).get(timeout=1)
        assert later == {"green": 0, "yellow": 0, "red": 4, "none": 2}


@pytest.mark.django_db
def test_summarize_lights_of_an_unknown_plan_counts_nothing():
    assert summarize_lights_task.run(999_999) == {"green": 0, "yellow": 0, "red": 0, "none": 0}


@pytest.fixture
def redis_available():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_URL} does not answer ({exc}); start it (see scripts/test.sh)")


def _forget_queue(queue: str) -> None:
    """Remove what kombu keeps in Redis for our one-off queue, so runs leave nothing behind."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def start_worker(queue: str, log, name: str | None = None) -> subprocess.Popen:
    """A `celery worker` process (solo pool) on `queue`, against the pytest database, logging to `log`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minsheng.settings.test",
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url_of_test_db(),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "minsheng", "worker", "--pool=solo", "-l", "warning",
        "-Q", queue, "-n", f"{name or queue}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_summarize_lights_runs_in_a_real_worker_through_redis(plan_with_lights, redis_available):
    # A queue of our own, so that a stale message or another test run on the same Redis cannot interfere.
    queue = f"minsheng-test-{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryFile(mode="w+") as log:
        worker = start_worker(queue, log)
        try:
            with celery_conf(
                task_always_eager=False,
                broker_url=REDIS_URL,
                result_backend=REDIS_URL,
                task_default_queue=queue,
            ):
                result = summarize_lights_task.delay(plan_with_lights.pk)
                try:
                    counts = result.get(timeout=WORKER_TIMEOUT)
                except Exception:
                    log.seek(0)
                    pytest.fail(
                        f"no result from the worker within {WORKER_TIMEOUT}s "
                        f"(exit code {worker.poll()}); worker log:\n{log.read()}"
                    )
                result.forget()
            assert counts == {"green": 2, "yellow": 1, "red": 1, "none": 2}
            assert worker.poll() is None, "the worker should still be running"
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            _forget_queue(queue)
