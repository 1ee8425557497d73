"""Ledger workflows: import a file (dry run or for real, all or nothing) and export a kind; in the admin,
an upload is checked first and imported when the user confirms, in a Celery task for large files."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from minsheng import queue
from minsheng.errors import DomainError, InvalidTransition
from minsheng.uploads import SPREADSHEET_EXTENSIONS, check_file
from org import access

from . import safety
from .choices import ImportStatus
from .importers.base import LedgerImporter, Problem, Report
from .importers.funding import FundingImporter
from .importers.progress import ProgressImporter
from .importers.projects import ProjectsImporter

IMPORTERS: dict[str, type[LedgerImporter]] = {
    ProjectsImporter.kind: ProjectsImporter,
    FundingImporter.kind: FundingImporter,
    ProgressImporter.kind: ProgressImporter,
}
KIND_LABELS = {kind: importer.label for kind, importer in IMPORTERS.items()}


def import_ledger(
    fileobj,
    kind: str,
    *,
    actor=None,
    region=None,
    year: int | None = None,
    filename: str = "",
    dry_run: bool = True,
    progress=None,
    size: int | None = None,
) -> Report:
    """Import a ledger file of `kind`: every row or none; a dry run reports what would change."""
    importer = IMPORTERS[kind](
        region=region,
        year=year,
        actor=actor,
        filename=filename or getattr(fileobj, "name", ""),
        progress=progress,
    )
    return importer.run(fileobj, dry_run=dry_run, size=size)


EXPORT_KINDS = {**KIND_LABELS, "summary": "汇总表"}


def export_ledger(kind: str, plan, *, month: int | None = None) -> bytes:
    """The plan's ledger of `kind` as .xlsx bytes (template layout), or the summary sheet."""
    from . import exporting

    if kind == "summary":
        return exporting.summary(plan, month)
    return exporting.export(kind, plan)


# Files above this size are checked and imported in a Celery task; the page polls the progress.
def async_threshold() -> int:
    return getattr(settings, "LEDGER_ASYNC_BYTES", 256 * 1024)


def progress_key(ledger_import_id: int) -> str:
    return f"ledgers:import:{ledger_import_id}:progress"


def read_progress(ledger_import_id: int) -> dict:
    return cache.get(progress_key(ledger_import_id)) or {}


def _require_staff(actor, region) -> None:
    access.require(
        "manage",
        actor,
        region,
        message="只有民生办工作人员可以导入台账。",
        outside=f"您无权导入{region.name}的台账。",
    )


def upload_ledger(upload, *, kind: str, region, year: int | None, actor):
    """Store an uploaded ledger (after the size and zip checks) and start its dry run."""
    from .models import LedgerImport

    _require_staff(actor, region)
    safety.check_workbook(upload, size=upload.size)
    # Then the check every upload gets: an Office workbook by content, no macro project.
    check_file(upload, SPREADSHEET_EXTENSIONS, max_bytes=safety.limits().max_file_bytes)
    if _runs_in_task(upload.size):
        queue.check_broker()  # refused before anything is stored when its task could not be queued
    ledger_import = LedgerImport.objects.create(
        kind=kind,
        region=region,
        year=year,
        file=upload,
        original_name=upload.name[:200],
        size=upload.size,
        status=ImportStatus.CHECKING,
        created_by=actor,
        running_since=timezone.now(),
    )
    _start(ledger_import, dry_run=True)
    return ledger_import


@transaction.atomic
def confirm_import(ledger_import, *, actor):
    """The user confirms a checked ledger: it is imported (again all or nothing, against today's data)."""
    from .models import LedgerImport

    ledger_import = LedgerImport.objects.select_for_update().get(pk=ledger_import.pk)
    _require_staff(actor, ledger_import.region)
    if not ledger_import.can_confirm():
        raise InvalidTransition(f"该台账{ledger_import.get_status_display()}，不能确认导入。")
    if _runs_in_task(ledger_import.size):
        queue.check_broker()
    ledger_import.status = ImportStatus.IMPORTING
    ledger_import.confirmed_by = actor
    ledger_import.running_since = timezone.now()
    ledger_import.attempts = 0
    ledger_import.save(update_fields=["status", "confirmed_by", "running_since", "attempts"])
    transaction.on_commit(lambda: _start(ledger_import, dry_run=False))
    return ledger_import


@transaction.atomic
def rerun_import(ledger_import, *, actor):
    """Check an interrupted ledger again from its stored file (the user confirms the import afterwards)."""
    from .models import LedgerImport

    ledger_import = LedgerImport.objects.select_for_update().get(pk=ledger_import.pk)
    _require_staff(actor, ledger_import.region)
    if not ledger_import.can_rerun():
        raise InvalidTransition(f"该台账{ledger_import.get_status_display()}，不能重新运行。")
    if _runs_in_task(ledger_import.size):
        queue.check_broker()
    ledger_import.status = ImportStatus.CHECKING
    ledger_import.report = {}
    ledger_import.finished_at = None
    ledger_import.running_since = timezone.now()
    ledger_import.attempts = 0
    ledger_import.save(update_fields=["status", "report", "finished_at", "running_since", "attempts"])
    transaction.on_commit(lambda: _start(ledger_import, dry_run=True))
    return ledger_import


def _runs_in_task(size: int) -> bool:
    return size > async_threshold()


def _start(ledger_import, *, dry_run: bool) -> None:
    cache.set(progress_key(ledger_import.pk), {"stage": "queued", "done": 0, "total": 0}, 3600)
    if _runs_in_task(ledger_import.size):
        transaction.on_commit(lambda: _queue(ledger_import.pk, dry_run))
    else:
        run_ledger_import(ledger_import.pk, dry_run=dry_run)


def _queue(ledger_import_id: int, dry_run: bool) -> None:
    from .tasks import run_ledger_import_task

    try:
        queue.enqueue(run_ledger_import_task, ledger_import_id, dry_run)
    except queue.QueueUnavailable:
        # Redis went away between the check and the commit: the run is failed (may be run again), not
        # left "running" with no task behind it.
        fail_run(
            ledger_import_id,
            "后台任务队列（Redis）无法连接，任务未能启动，未写入任何数据。请稍后点击“重新运行”。",
        )


# A run that killed its worker this many times (each time handed back to the queue) is failed instead.
MAX_ATTEMPTS = 3
RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


def _begin_attempt(ledger_import_id: int, expected: str) -> int | None:
    """Count an attempt at the run, committed at once (it survives the worker being killed); the attempt's
    number, or None when the job is no longer in `expected` (done, failed, or never there)."""
    from .models import LedgerImport

    with transaction.atomic():
        updated = LedgerImport.objects.filter(pk=ledger_import_id, status=expected).update(
            attempts=F("attempts") + 1, running_since=timezone.now()
        )
        if not updated:
            return None
        return LedgerImport.objects.values_list("attempts", flat=True).get(pk=ledger_import_id)


def fail_run(ledger_import_id: int, reason: str) -> bool:
    """Fail a run that did not finish (nothing was written), with a Chinese reason; it may be run again.
    False when the job is not running any more (a finished run is never overwritten) or a live run holds
    it (its row is locked for the run: it is at work, not stuck)."""
    from .models import LedgerImport

    with transaction.atomic():
        ledger_import = (
            LedgerImport.objects.select_for_update(skip_locked=True)
            .filter(pk=ledger_import_id, status__in=RUNNING)
            .only("kind", "original_name", "status")
            .first()
        )
        if ledger_import is None:
            return False
        report = Report(
            kind=ledger_import.kind,
            filename=ledger_import.original_name,
            dry_run=ledger_import.status == ImportStatus.CHECKING,
            interrupted=True,
        )
        report.problems.append(Problem(reason))
        ledger_import.status = ImportStatus.FAILED
        ledger_import.report = report.to_dict()
        ledger_import.finished_at = timezone.now()
        ledger_import.save(update_fields=["status", "report", "finished_at"])
    cache.set(progress_key(ledger_import_id), {"stage": "done", "done": 1, "total": 1}, 3600)
    return True


def fail_stuck_imports(*, now=None) -> list[int]:
    """The watchdog: fail the runs still "预检中"/"导入中" past settings.MINSHENG_JOB_STUCK_AFTER since
    they were queued or last attempted (their worker died and no redelivery came); their ids."""
    from .models import LedgerImport

    stuck_after = datetime.timedelta(seconds=settings.MINSHENG_JOB_STUCK_AFTER)
    cutoff = (now or timezone.now()) - stuck_after
    minutes = max(1, settings.MINSHENG_JOB_STUCK_AFTER // 60)
    stuck = list(
        LedgerImport.objects.annotate(since=Coalesce("running_since", "created_at"))
        .filter(status__in=RUNNING, since__lt=cutoff)
        .values_list("pk", flat=True)
    )
    failed = []
    for ledger_import_id in stuck:
        reason = (
            f"后台任务超过{minutes}分钟未完成（处理进程可能已中断），已停止，未写入任何数据。"
            "请点击“重新运行”再次预检，或重新上传文件。"
        )
        if fail_run(ledger_import_id, reason):
            failed.append(ledger_import_id)
    return failed


def run_ledger_import(ledger_import_id: int, *, dry_run: bool) -> None:
    """Run the dry run or the import of a stored upload and record its report, in one transaction with its
    writes: a run killed half-way leaves nothing and is run again; a second run of a finished one is a
    no-op; after MAX_ATTEMPTS interrupted attempts the run is failed instead."""
    from .models import LedgerImport

    expected = ImportStatus.CHECKING if dry_run else ImportStatus.IMPORTING
    attempt = _begin_attempt(ledger_import_id, expected)
    if attempt is None:
        return
    if attempt > MAX_ATTEMPTS:
        fail_run(
            ledger_import_id,
            f"后台任务已中断{MAX_ATTEMPTS}次（处理进程被终止），已停止，未写入任何数据。"
            "请检查文件后点击“重新运行”，或联系系统管理员。",
        )
        return
    key = progress_key(ledger_import_id)

    def progress(stage: str, done: int, total: int) -> None:
        cache.set(key, {"stage": stage, "done": done, "total": total}, 3600)

    with transaction.atomic():
        # Locked for the run: a redelivered copy of this task waits here, then finds the run finished.
        ledger_import = (
            LedgerImport.objects.select_for_update(of=("self",))
            .select_related("region", "created_by__unit__region")
            .get(pk=ledger_import_id)
        )
        if ledger_import.status != expected:
            return
        actor = (
            ledger_import.created_by if dry_run else (ledger_import.confirmed_by or ledger_import.created_by)
        )
        try:
            with ledger_import.file.open("rb") as fileobj:
                report = import_ledger(
                    fileobj,
                    ledger_import.kind,
                    actor=actor,
                    region=ledger_import.region,
                    year=ledger_import.year,
                    filename=ledger_import.original_name,
                    dry_run=dry_run,
                    progress=progress,
                    size=ledger_import.size,
                )
        except (OSError, DomainError) as error:
            report = Report(kind=ledger_import.kind, filename=ledger_import.original_name, dry_run=dry_run)
            report.problems.append(Problem(f"无法读取上传的文件：{error}"))
        if report.problems:
            status = ImportStatus.FAILED
        else:
            status = ImportStatus.CHECKED if dry_run else ImportStatus.IMPORTED
        ledger_import.status = status
        ledger_import.report = report.to_dict()
        ledger_import.finished_at = None if dry_run and status == ImportStatus.CHECKED else timezone.now()
        ledger_import.save(update_fields=["status", "report", "finished_at"])
    cache.set(key, {"stage": "done", "done": 1, "total": 1}, 3600)
