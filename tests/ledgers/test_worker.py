"""A ledger import in a real Celery worker process through Redis, killed mid-import: its pool child killed
(the task is handed back to the queue and the import finishes), and the whole worker killed (a new worker
picks the job up after the visibility timeout). Nothing is ever written half or twice."""

import os
import signal
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ledgers import services
from ledgers.choices import ImportStatus
from ledgers.models import LedgerImport
from projects.models import ProgressValue
from tests.fixtures.celery_worker import REDIS_URL, _forget_queue, celery_conf, start_worker
from tests.fixtures.ledgers import build_workbook
from tests.fixtures.processes import database_url_of_test_db

TIMEOUT = 60
# The broker visibility timeout of the workers that test it (settings MINSHENG_TASK_VISIBILITY_TIMEOUT):
# a message taken by a worker that died is handed to another after this many seconds. The others keep a
# long one, so what hands their task back can only be the worker itself.
VISIBILITY_TIMEOUT = 3

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("redis_available"),
]


class Worker:
    """A `celery worker` subprocess on a queue of its own, against the pytest database and `media`."""

    def __init__(self, queue: str, media: Path, *, pool: str = "solo", visibility_timeout: int = 600):
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in stop(), after the process)
        env = {"MEDIA_ROOT": str(media), "MINSHENG_TASK_VISIBILITY_TIMEOUT": str(visibility_timeout)}
        name = f"{queue}-{uuid.uuid4().hex[:6]}"
        self.process = start_worker(queue, self.log, name=name, pool=pool, env=env)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def pool_child(self) -> int:
        """The pid of the prefork pool's one child process, once it is running."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            pids = children.read_text().split()
            if pids:
                return int(pids[0])
            time.sleep(0.1)
        pytest.fail(f"the worker started no pool process; log:\n{self.output()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except Exception:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LEDGER_ASYNC_BYTES = 0  # every upload runs in the worker
    return tmp_path


@pytest.fixture
def queue():
    name = f"minsheng-ledgers-{uuid.uuid4().hex[:12]}"
    conf = {"task_always_eager": False, "broker_url": REDIS_URL, "result_backend": REDIS_URL}
    with celery_conf(**conf, task_default_queue=name):
        yield name
    _forget_queue(name)


def progress_upload(value=93000):
    rows = [
        ["2016年临沂市民生实事进展台账"],
        ["项目编号", "月份", "指标名称", "累计完成值"],
        ["01", "1-9月", "新增城镇就业人数", value],
    ]
    return SimpleUploadedFile("九月进展.xlsx", build_workbook(("9月", rows)).getvalue())


def wait_for_status(ledger_import, status, worker) -> LedgerImport:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ledger_import.refresh_from_db()
        if ledger_import.status == status:
            return ledger_import
        time.sleep(0.2)
    pytest.fail(
        f"the import stayed {ledger_import.status} (wanted {status}), worker exit {worker.process.poll()};"
        f" report {ledger_import.report}; log:\n{worker.output()}"
    )


def checked_import(org, worker) -> LedgerImport:
    ledger_import = services.upload_ledger(
        progress_upload(), kind="progress", region=org.city, year=None, actor=org.staff
    )
    return wait_for_status(ledger_import, ImportStatus.CHECKED, worker)


class TableLock:
    """The progress values table locked from another session, so the import waits at its write step."""

    def __init__(self):
        self.connection = psycopg.connect(database_url_of_test_db())
        self.connection.execute(f"LOCK TABLE {ProgressValue._meta.db_table} IN EXCLUSIVE MODE")

    def wait_for_writer(self, worker) -> int:
        """The pid of the database session (the import's) waiting for the lock."""
        deadline = time.monotonic() + TIMEOUT
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute(
                    "SELECT pid FROM pg_locks WHERE NOT granted AND relation = %s::regclass"
                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    [ProgressValue._meta.db_table],
                )
                row = cursor.fetchone()
                if row:
                    return row[0]
                time.sleep(0.1)
        pytest.fail(f"the import never reached its write step; log:\n{worker.output()}")

    def release(self):
        self.connection.rollback()
        self.connection.close()


def wait_for_session_end(pid: int) -> None:
    """The killed run's database session ends (its transaction rolled back) once nothing holds it."""
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
    pytest.fail("the killed import's database session did not end")


def test_killing_the_pool_child_mid_import_hands_the_task_back_and_it_finishes(
    org, ledger_project, media, queue
):
    worker = Worker(queue, media, pool="prefork")
    try:
        ledger_import = checked_import(org, worker)
        lock = TableLock()
        try:
            services.confirm_import(ledger_import, actor=org.staff)
            session = lock.wait_for_writer(worker)
            os.kill(worker.pool_child(), signal.SIGKILL)  # as the OOM killer would
            ledger_import.refresh_from_db()
            assert ledger_import.status == ImportStatus.IMPORTING
        finally:
            lock.release()
        wait_for_session_end(session)
        # The worker rejects the lost task back onto the queue; its new child imports from the start.
        ledger_import = wait_for_status(ledger_import, ImportStatus.IMPORTED, worker)
    finally:
        worker.stop()
    assert ledger_import.attempts == 2
    assert ledger_import.report["written"] is True
    value = ProgressValue.objects.get()
    assert value.value == 93000
    assert value.history.count() == 1  # written once: the killed attempt's writes were rolled back


def test_a_job_of_a_worker_killed_whole_is_picked_up_by_a_new_worker_after_the_visibility_timeout(
    org, ledger_project, media, queue
):
    first = Worker(queue, media, visibility_timeout=VISIBILITY_TIMEOUT)
    second = None
    try:
        ledger_import = checked_import(org, first)
        lock = TableLock()
        try:
            services.confirm_import(ledger_import, actor=org.staff)
            session = lock.wait_for_writer(first)
            first.process.send_signal(signal.SIGKILL)  # the whole worker: no reject, no ack
            first.process.wait(timeout=15)
        finally:
            lock.release()
        wait_for_session_end(session)
        ledger_import.refresh_from_db()
        assert ledger_import.status == ImportStatus.IMPORTING
        assert not ProgressValue.objects.exists()  # nothing half-written

        second = Worker(queue, media, visibility_timeout=VISIBILITY_TIMEOUT)
        ledger_import = wait_for_status(ledger_import, ImportStatus.IMPORTED, second)
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert ledger_import.attempts == 2
    assert ProgressValue.objects.get().history.count() == 1
