"""Celery tasks of the ledgers app: thin, taking ids."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services

# The longest task of minsheng: a large workbook checked or imported. The broker's visibility timeout
# (settings MINSHENG_TASK_VISIBILITY_TIMEOUT, 20 minutes) is sized above the hard limit.
IMPORT_SOFT_TIME_LIMIT = 15 * 60
IMPORT_TIME_LIMIT = 16 * 60


@shared_task(soft_time_limit=IMPORT_SOFT_TIME_LIMIT, time_limit=IMPORT_TIME_LIMIT)
def run_ledger_import_task(ledger_import_id: int, dry_run: bool) -> None:
    """Check (dry run) or import a stored ledger upload; safe to run twice (the status guards it), and a
    redelivery after a killed worker runs it again from the start (the killed run's transaction is gone)."""
    try:
        services.run_ledger_import(ledger_import_id, dry_run=dry_run)
    except SoftTimeLimitExceeded:
        services.fail_run(
            ledger_import_id,
            f"处理超过{IMPORT_SOFT_TIME_LIMIT // 60}分钟仍未完成，已停止，未写入任何数据。"
            "请拆分文件后重新上传，或点击“重新运行”。",
        )


@shared_task(soft_time_limit=60, time_limit=90)
def fail_stuck_imports_task() -> list[int]:
    """The watchdog (beat, every 5 minutes): fail ledger runs stuck past their time so they can be re-run."""
    return services.fail_stuck_imports()
