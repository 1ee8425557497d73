"""Ledger runs that never finish: the watchdog fails those stuck past their time with a Chinese reason, a
late redelivery of their task then does nothing, a run that keeps killing its worker stops after a few
attempts, and the office runs a failed run again from the admin."""

import datetime

import psycopg
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ledgers import services
from ledgers.choices import ImportStatus
from ledgers.models import LedgerImport
from ledgers.tasks import fail_stuck_imports_task, run_ledger_import_task
from projects.models import ProgressValue
from tests.fixtures.ledgers import build_workbook
from tests.fixtures.processes import database_url_of_test_db

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MINSHENG_JOB_STUCK_AFTER = 25 * 60


def progress_upload():
    rows = [
        ["2016年临沂市民生实事进展台账"],
        ["项目编号", "月份", "指标名称", "累计完成值"],
        ["01", "1-9月", "新增城镇就业人数", 93000],
    ]
    return SimpleUploadedFile("九月进展.xlsx", build_workbook(("9月", rows)).getvalue())


def running_import(org, status=ImportStatus.IMPORTING, **fields) -> LedgerImport:
    """A checked upload whose run was started (queued) and never came back."""
    ledger_import = services.upload_ledger(
        progress_upload(), kind="progress", region=org.city, year=None, actor=org.staff
    )
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.CHECKED
    changes = {"status": status, "confirmed_by": org.staff, "running_since": timezone.now(), "attempts": 1}
    LedgerImport.objects.filter(pk=ledger_import.pk).update(**{**changes, **fields})
    ledger_import.refresh_from_db()
    return ledger_import


def test_the_watchdog_fails_a_run_stuck_past_its_time_and_a_late_redelivery_does_nothing(
    org, ledger_project, capsys
):
    start = timezone.now()
    stuck = running_import(org)
    with time_machine.travel(start + datetime.timedelta(minutes=10)):
        recent = running_import(org, status=ImportStatus.CHECKING)
        done = running_import(org, status=ImportStatus.IMPORTED)

    with time_machine.travel(start + datetime.timedelta(minutes=26)):
        call_command("fail_stuck_jobs")

    assert "已将 1 个超过25分钟未完成的台账导入标记为失败" in capsys.readouterr().out
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED
    assert stuck.report["interrupted"] is True
    assert stuck.report["problems"][0]["message"].startswith("后台任务超过25分钟未完成")
    assert stuck.can_rerun()
    recent.refresh_from_db()
    done.refresh_from_db()
    assert (recent.status, done.status) == (ImportStatus.CHECKING, ImportStatus.IMPORTED)

    # The task turns up after all (a redelivery): the failed run stays failed, nothing is written.
    run_ledger_import_task.delay(stuck.pk, False)
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED
    assert not ProgressValue.objects.exists()


def test_the_beat_task_runs_the_watchdog(org, ledger_project):
    stuck = running_import(org, status=ImportStatus.CHECKING)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert fail_stuck_imports_task.delay().get() == [stuck.pk]
        assert fail_stuck_imports_task.delay().get() == []  # a second run finds nothing


def test_a_finished_import_redelivered_is_not_run_again(
    org, ledger_project, django_capture_on_commit_callbacks
):
    ledger_import = services.upload_ledger(
        progress_upload(), kind="progress", region=org.city, year=None, actor=org.staff
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(ledger_import, actor=org.staff)
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.IMPORTED

    run_ledger_import_task.delay(ledger_import.pk, False)

    ledger_import.refresh_from_db()
    assert (ledger_import.status, ledger_import.attempts) == (ImportStatus.IMPORTED, 1)
    assert ProgressValue.objects.get().history.count() == 1


def test_a_run_that_keeps_killing_its_worker_is_failed_after_three_attempts(org, ledger_project):
    ledger_import = running_import(org, attempts=services.MAX_ATTEMPTS)

    run_ledger_import_task.delay(ledger_import.pk, False)  # the fourth delivery

    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.FAILED
    assert ledger_import.report["problems"][0]["message"].startswith("后台任务已中断3次")
    assert not ProgressValue.objects.exists()


def test_staff_run_a_failed_run_again_from_the_admin(
    client, org, ledger_project, django_capture_on_commit_callbacks
):
    ledger_import = running_import(org)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        services.fail_stuck_imports()
    client.force_login(org.staff)
    preview = reverse("admin:ledgers_ledgerimport_preview", args=[ledger_import.pk])
    page = client.get(preview).content.decode()
    assert "后台任务超过25分钟未完成" in page
    rerun = reverse("admin:ledgers_ledgerimport_rerun", args=[ledger_import.pk])
    assert rerun in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(rerun)

    assert response.url == preview
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.CHECKED  # checked again from the stored file
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:ledgers_ledgerimport_confirm", args=[ledger_import.pk]))
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.IMPORTED
    assert ProgressValue.objects.get().value == 93000


@pytest.mark.parametrize("who", ["leader", "auditor"])
def test_readers_cannot_run_an_import_again(client, org, ledger_project, who):
    ledger_import = running_import(org)
    services.fail_run(ledger_import.pk, "中断")
    client.force_login(getattr(org, who))

    response = client.post(reverse("admin:ledgers_ledgerimport_rerun", args=[ledger_import.pk]))

    assert response.status_code == 403
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.FAILED


def test_a_run_failed_for_its_content_is_not_offered_again(client, org, ledger_project):
    rows = [
        ["2016年临沂市民生实事进展台账"],
        ["项目编号", "月份", "指标名称", "累计完成值"],
        ["01", "1-9月", "新增城镇就业人数", "很多"],
    ]
    upload = SimpleUploadedFile("坏.xlsx", build_workbook(("9月", rows)).getvalue())
    ledger_import = services.upload_ledger(
        upload, kind="progress", region=org.city, year=None, actor=org.staff
    )
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.FAILED
    client.force_login(org.staff)

    rerun = reverse("admin:ledgers_ledgerimport_rerun", args=[ledger_import.pk])
    page = client.get(reverse("admin:ledgers_ledgerimport_preview", args=[ledger_import.pk])).content.decode()
    assert rerun not in page

    response = client.post(rerun, follow=True)

    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.FAILED
    assert "该台账有错误，未导入，不能重新运行。" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_watchdog_leaves_a_run_that_is_still_at_work(org, ledger_project):
    """A slow run past its time still holds its row (locked for the run): it is at work, not stuck."""
    ledger_import = running_import(org)
    run = psycopg.connect(database_url_of_test_db())  # the live run's session
    run.execute(f"SELECT 1 FROM {LedgerImport._meta.db_table} WHERE id = %s FOR UPDATE", [ledger_import.pk])
    try:
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
            assert services.fail_stuck_imports() == []
    finally:
        run.rollback()
        run.close()
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.IMPORTING

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert services.fail_stuck_imports() == [ledger_import.pk]
