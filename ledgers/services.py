"""Ledger workflows: import a file (dry run or for real, all or nothing) and export a kind."""

from .importers.base import LedgerImporter, Report
from .importers.progress import ProgressImporter
from .importers.projects import ProjectsImporter

IMPORTERS: dict[str, type[LedgerImporter]] = {
    ProjectsImporter.kind: ProjectsImporter,
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
