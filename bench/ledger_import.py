#!/usr/bin/env python
"""A 50,000-row monthly progress ledger: imported our way, through django-import-export's default per-row
path (on a 5,000-row slice), and loaded with PostgreSQL COPY (the floor), in the same run.

Goal (issue 7): 50,000 rows in under 25 s with peak memory under 300 MB, at least 5x the default path's
rows/s.

    .venv/bin/python bench/ledger_import.py [--rows 50000] [--slice 5000]

"Our way" is the whole product path: the .xlsx is checked (size, zip), streamed by openpyxl, its header
found, every cell typed, projects/targets/reports resolved from a few queries, and the rows written with
bulk inserts plus their history rows, in one transaction. The default path is
`ProgressValueResource.import_data()` (one lookup, save and history row per row). COPY loads rows that are
already parsed, so it is the database's floor, not an importer. Peak memory is the process's maximum
resident set size (ru_maxrss) after our import, and tracemalloc's peak of Python allocations in a separate,
untimed run of our import. It uses its own database (default ms_bench_e; the name must contain "bench").
Exit code 0 when every goal is met, 1 otherwise.
"""

import argparse
import io
import os
import random
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lights import setup_django  # noqa: E402  (the same database setup as the lights bench)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ms_bench_e"
TARGETS_PER_PROJECT = 3
GOAL_SECONDS = 25.0
GOAL_MEMORY_MB = 300
GOAL_RATIO = 5.0
HEADER = ["项目编号", "项目名称", "月份", "指标名称", "累计完成值", "累计完成投资（万元）", "进展情况"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--slice", type=int, default=5000, help="rows through the default per-row path")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def wipe():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE projects_progressvalue, projects_historicalprogressvalue, projects_progressreport,"
            " projects_historicalprogressreport, projects_target, projects_historicaltarget,"
            " projects_project_cooperating_units, projects_project, projects_historicalproject,"
            " projects_plan, projects_historicalplan, ledgers_ledgerimport CASCADE"
        )


def wipe_progress():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE projects_progressvalue, projects_historicalprogressvalue, projects_progressreport,"
            " projects_historicalprogressreport CASCADE"
        )


def build_plan(rows: int):
    """A city with a staff user, a plan and enough projects (3 indicators, 12 months each) for `rows`."""
    from org.choices import RegionLevel, Role
    from org.models import Region, Unit, User
    from projects.models import Plan, Project, Target

    province, _ = Region.objects.get_or_create(
        code="379900", defaults={"name": "基准省", "level": RegionLevel.PROVINCE}
    )
    city, _ = Region.objects.get_or_create(
        code="379901", defaults={"name": "基准市", "level": RegionLevel.CITY, "parent": province}
    )
    unit, _ = Unit.objects.get_or_create(region=city, name="基准市民生办")
    user = User.objects.filter(username="bench_staff").first() or User.objects.create_user(
        username="bench_staff", password="x", unit=unit, role=Role.STAFF
    )
    plan = Plan.objects.create(region=city, year=2016, name="2016年基准市民生实事")
    count = -(-rows // (12 * TARGETS_PER_PROJECT))
    projects = Project.objects.bulk_create(
        Project(plan=plan, code=f"P{i:05d}", sequence=i, level="city", category="employment",
                title=f"民生实事项目{i:05d}", lead_unit=unit)
        for i in range(count)
    )  # fmt: skip
    Target.objects.bulk_create(
        Target(project=p, sequence=t, name=f"指标{t + 1}", measure="人", annual_target=Decimal(12000))
        for p in projects
        for t in range(TARGETS_PER_PROJECT)
    )
    return city, user, projects


def ledger_rows(projects, rows: int, seed: int) -> list[list]:
    """Rows as an office keeps them: cumulative values rising month by month, investment in 万元."""
    rng = random.Random(seed)
    out = []
    for project in projects:
        for month in range(1, 13):
            investment = f"{rng.randint(1, 500) * month / 10:.2f}"
            for t in range(TARGETS_PER_PROJECT):
                value = month * 1000 + t
                out.append(
                    [
                        project.code,
                        project.title,
                        f"1-{month}月",
                        f"指标{t + 1}",
                        value,
                        investment,
                        f"{month}月进展顺利",
                    ]
                )
                if len(out) == rows:
                    return out
    return out


def workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("进展")
    sheet.append(["2016年基准市民生实事月度进展台账"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ours(content: bytes, city, user, name="进展.xlsx"):
    from ledgers.services import import_ledger

    start = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    report = import_ledger(
        io.BytesIO(content), "progress", actor=user, region=city, year=2016, filename=name, dry_run=False
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    report.cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    if not report.ok:
        sys.exit("our import failed:\n" + "\n".join(report.lines()[:20]))
    return elapsed, report


def default_path(rows: list[list], plan, user):
    import tablib

    from ledgers.resources import ProgressValueResource

    # "report" and "target" are filled per row by the resource's before_import_row.
    dataset = tablib.Dataset(headers=["项目编号", "月份", "指标名称", "累计完成值", "report", "target"])
    for row in rows:
        dataset.append([row[0], int(row[2].split("-")[1].rstrip("月")), row[3], row[4], None, None])
    start = time.perf_counter()
    result = ProgressValueResource(plan, "台账导入：bench").import_data(
        dataset, dry_run=False, raise_errors=True, use_transactions=True
    )
    elapsed = time.perf_counter() - start
    assert not result.has_errors()
    return elapsed


def copy_floor(rows: list[list], projects) -> float:
    """The same rows loaded with COPY: reports first, then values keyed by the new report ids."""
    from django.db import connection, transaction
    from django.utils import timezone

    ids = {p.code: p.pk for p in projects}
    from projects.models import Target

    targets = {(t.project_id, t.name): t.pk for t in Target.objects.filter(project__in=projects)}
    now = timezone.now()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        reports = {}
        for row in rows:
            reports.setdefault((ids[row[0]], int(row[2].split("-")[1].rstrip("月"))), row)
        with cursor.copy(
            "COPY projects_progressreport (project_id, month, status, investment_completed, narrative,"
            " problems, next_steps, correction_reason, return_reason, revision, submitted_at, created_at,"
            " updated_at) FROM STDIN"
        ) as copy:
            for (project_id, month), row in reports.items():
                copy.write_row(
                    (
                        project_id,
                        month,
                        "submitted",
                        Decimal(row[5]) * 10000,
                        row[6],
                        "",
                        "",
                        "",
                        "",
                        0,
                        now,
                        now,
                        now,
                    )
                )
        cursor.execute(
            "SELECT r.project_id, r.month, r.id FROM projects_progressreport r JOIN projects_project p"
            " ON p.id = r.project_id WHERE p.plan_id = %s",
            [projects[0].plan_id],
        )
        report_ids = {(p, m): i for p, m, i in cursor.fetchall()}
        with cursor.copy("COPY projects_progressvalue (report_id, target_id, value) FROM STDIN") as copy:
            for row in rows:
                project_id = ids[row[0]]
                month = int(row[2].split("-")[1].rstrip("月"))
                copy.write_row((report_ids[(project_id, month)], targets[(project_id, row[3])], row[4]))
    return time.perf_counter() - start


def main():
    args = parse_args()
    setup_django(args.database_url)
    from projects.models import ProgressValue

    wipe()
    city, user, projects = build_plan(args.rows)
    rows = ledger_rows(projects, args.rows, args.seed)
    content = workbook(rows)
    print(
        f"ledger: {len(rows):,} rows, {len(projects):,} projects x 12 months x {TARGETS_PER_PROJECT} "
        f"indicators, {len(content) / 1024 / 1024:.1f} MB .xlsx",
        flush=True,
    )

    ours_s, report = ours(content, city, user)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert ProgressValue.objects.count() == len(rows), "our import lost rows"
    again_s, again = ours(content, city, user)
    assert not again.written and again.counts == {"unchanged": len(rows)}, "re-import changed something"

    wipe_progress()
    tracemalloc.start()
    ours(content, city, user)
    traced_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()

    wipe_progress()
    slice_rows = rows[: args.slice]
    default_s = default_path(slice_rows, projects[0].plan, user)
    assert ProgressValue.objects.count() == len(slice_rows)

    wipe_progress()
    copy_s = copy_floor(rows, projects)
    assert ProgressValue.objects.count() == len(rows)

    ours_rate = len(rows) / ours_s
    default_rate = len(slice_rows) / default_s
    copy_rate = len(rows) / copy_s

    def line(name, count, seconds, note):
        print(f"{name:<7}: {count:>6,} rows in {seconds:6.2f} s = {count / seconds:8,.0f} rows/s  ({note})")

    line("ours", len(rows), ours_s, "xlsx -> typed -> COPY + history")
    print(f"         (Python CPU time of our import: {report.cpu_seconds:.1f} s; wall time includes waiting)")
    line("re-run", len(rows), again_s, "same file: all unchanged")
    line("default", len(slice_rows), default_s, "import-export per row")
    line("COPY", len(rows), copy_s, "parsed rows, no checks, no history")
    print(
        f"ratio  : ours/default = {ours_rate / default_rate:.1f}x; ours/COPY = {ours_rate / copy_rate:.2f}x"
    )
    print(f"memory : peak RSS {rss_mb:.0f} MB (process); tracemalloc peak {traced_mb:.0f} MB (our import)")
    goals = [
        (
            f"{len(rows):,} rows under {GOAL_SECONDS:.0f} s",
            ours_s < GOAL_SECONDS or len(rows) < 50000,
            f"{ours_s:.1f} s",
        ),
        (f"peak memory under {GOAL_MEMORY_MB} MB", rss_mb < GOAL_MEMORY_MB, f"{rss_mb:.0f} MB"),
        (
            f">= {GOAL_RATIO:.0f}x the default path",
            ours_rate / default_rate >= GOAL_RATIO,
            f"{ours_rate / default_rate:.1f}x",
        ),
    ]
    for label, ok, figure in goals:
        print(f"goal {label}: {'PASS' if ok else 'FAIL'} ({figure})")
    return 0 if all(ok for _, ok, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
