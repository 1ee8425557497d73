"""Ledger workflows: import a file (dry run or for real, all or nothing) and export a kind; in the admin,
an upload is checked first and imported when the user confirms, in a Celery task for large files."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from minsheng.errors import DomainError, InvalidTransition
from minsheng.uploads import SPREADSHEET_EXTENSIONS, check_file
from org import access

from . import safety
from .choices import ImportStatus
from .importers.base import LedgerImporter, Report
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
    ledger_import = LedgerImport.objects.create(
        kind=kind,
        region=region,
        year=year,
        file=upload,
        original_name=upload.name[:200],
        size=upload.size,
        status=ImportStatus.CHECKING,
        created_by=actor,
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
    ledger_import.status = ImportStatus.IMPORTING
    ledger_import.confirmed_by = actor
    ledger_import.save(update_fields=["status", "confirmed_by"])
    transaction.on_commit(lambda: _start(ledger_import, dry_run=False))
    return ledger_import


def _start(ledger_import, *, dry_run: bool) -> None:
    from .tasks import run_ledger_import_task

    cache.set(progress_key(ledger_import.pk), {"stage": "queued", "done": 0, "total": 0}, 3600)
    if ledger_import.size > async_threshold():
        transaction.on_commit(lambda: run_ledger_import_task.delay(ledger_import.pk, dry_run))
    else:
        run_ledger_import(ledger_import.pk, dry_run=dry_run)


def run_ledger_import(ledger_import_id: int, *, dry_run: bool) -> None:
    """Run the dry run or the import of a stored upload and record its report; a second run is a no-op."""
    from .models import LedgerImport

    expected = ImportStatus.CHECKING if dry_run else ImportStatus.IMPORTING
    ledger_import = LedgerImport.objects.select_related("region", "created_by__unit__region").get(
        pk=ledger_import_id
    )
    if ledger_import.status != expected:
        return
    actor = ledger_import.created_by if dry_run else (ledger_import.confirmed_by or ledger_import.created_by)
    key = progress_key(ledger_import_id)

    def progress(stage: str, done: int, total: int) -> None:
        cache.set(key, {"stage": stage, "done": done, "total": total}, 3600)

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
        from .importers.base import Problem, Report

        report = Report(kind=ledger_import.kind, filename=ledger_import.original_name, dry_run=dry_run)
        report.problems.append(Problem(f"无法读取上传的文件：{error}"))
    if report.problems:
        status = ImportStatus.FAILED
    else:
        status = ImportStatus.CHECKED if dry_run else ImportStatus.IMPORTED
    LedgerImport.objects.filter(pk=ledger_import_id, status=expected).update(
        status=status,
        report=report.to_dict(),
        finished_at=None if dry_run and status == ImportStatus.CHECKED else timezone.now(),
    )
    cache.set(key, {"stage": "done", "done": 1, "total": 1}, 3600)
