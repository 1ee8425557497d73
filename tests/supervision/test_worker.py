"""The daily scan in a real Celery worker process through Redis (REDIS_URL, db 4 for this app's runs):
twice in a row, and after a worker killed in the middle of the scan; never a duplicate alert or message."""

import os
import signal
import subprocess
import tempfile
import time
import uuid

import pytest
from django.db import connection, transaction

from notifications.models import Notification
from supervision.models import Alert
from supervision.tasks import scan_alerts_task
from tests.fixtures.celery_worker import REDIS_URL, _forget_queue, celery_conf, start_worker
from tests.fixtures.supervision import SCAN_DAY

TIMEOUT = 60


class Worker:
    """A `celery worker` subprocess on a queue of its own, against the pytest database."""

    def __init__(self, queue: str):
        self.queue = queue
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in stop(), after the process)
        self.process = start_worker(queue, self.log, name=f"{queue}-{uuid.uuid4().hex[:6]}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def run(result, worker):
    try:
        value = result.get(timeout=TIMEOUT)
    except Exception:
        pytest.fail(f"no result within {TIMEOUT}s (exit {worker.process.poll()}); log:\n{worker.output()}")
    result.forget()
    return value


def wait_for_blocked_scan(worker, timeout=TIMEOUT):
    """Wait until another session waits to write to the alert table (locked by the test): the scan is
    mid-way, its transaction open. Found by the lock it waits for, not by its text, which pg_stat_activity
    cuts short."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT pid FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()"
                " AND relation = 'supervision_alert'::regclass AND mode = 'RowExclusiveLock'"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            row = cursor.fetchone()
            if row:
                return row[0]
            time.sleep(0.2)
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid, state, wait_event_type, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database()"
        )
        sessions = cursor.fetchall()
    pytest.fail(f"the worker never reached the alert table; sessions {sessions}; log:\n{worker.output()}")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_available")
def test_scan_in_a_real_worker_twice_and_after_a_kill(scan_projects, org):
    queue = f"minsheng-supervision-{uuid.uuid4().hex[:12]}"
    conf = {"task_always_eager": False, "broker_url": REDIS_URL, "result_backend": REDIS_URL}
    worker = Worker(queue)
    second = None
    try:
        with celery_conf(**conf, task_default_queue=queue):
            # 1. A worker is killed while the scan waits on the alert table (locked by this test).
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("LOCK TABLE supervision_alert IN EXCLUSIVE MODE")
                scan_alerts_task.delay(SCAN_DAY.isoformat())
                pid = wait_for_blocked_scan(worker)
                os.kill(worker.process.pid, signal.SIGKILL)
                worker.process.wait(timeout=15)
            # The killed scan's session is gone with it; its transaction rolled back: nothing half-written.
            with connection.cursor() as cursor:
                for _ in range(100):
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                    if cursor.fetchone()[0] == 0:
                        break
                    time.sleep(0.2)
                else:
                    pytest.fail("the killed worker's database session did not end")
            assert Alert.objects.count() == 0

            # 2. A new worker runs the scan again, then once more.
            second = Worker(queue)
            first_run = run(scan_alerts_task.delay(SCAN_DAY.isoformat()), second)
            assert (first_run["raised"], first_run["open"]) == (4, 4), first_run
            again = run(scan_alerts_task.delay(SCAN_DAY.isoformat()), second)
            assert again == {"raised": 0, "closed": 0, "open": 4, "notified": 0}
    finally:
        worker.stop()
        if second is not None:
            second.stop()
        _forget_queue(queue)
    assert Alert.objects.count() == 4
    assert Alert.objects.values("cause_key").distinct().count() == 4
    assert not Alert.objects.filter(notified_at__isnull=True).exists()
    # 市人社局's filer: one message per alert of its unit (the missing report and the milestone), once.
    assert Notification.objects.filter(user=org.filer).count() == 2
