"""Celery tasks of the ledgers app: thin, taking ids."""

from celery import shared_task

from . import services


@shared_task
def run_ledger_import_task(ledger_import_id: int, dry_run: bool) -> None:
    """Check (dry run) or import a stored ledger upload; safe to run twice (the status guards it)."""
    services.run_ledger_import(ledger_import_id, dry_run=dry_run)
