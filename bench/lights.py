#!/usr/bin/env python
"""Lights for many projects: Project.objects.with_progress() against a naive per-object loop.

Goal (from the issue): lights for 5,000 projects x 12 months of reports, computed our way and with a naive
per-object loop in the same run; ours at least 20x faster than the loop and under 1 s.

    .venv/bin/python bench/lights.py [--projects 5000] [--months 12] [--targets 3] [--explain]

It uses a dedicated PostgreSQL database (default postgres://postgres@127.0.0.1:5432/minsheng_bench, or
--database-url / BENCH_DATABASE_URL; its name must contain "bench" because the data is wiped), creates and
migrates it if needed, fills it with random but reproducible data, and exits 0 when both goals are met,
1 when one is missed, 2 when the two ways disagree on any light.
"""

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minsheng_bench"
GOAL_SECONDS = 1.0
GOAL_RATIO = 20.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--months", type=int, default=12, help="months of reports per project (1-12)")
    parser.add_argument("--targets", type=int, default=3, help="targets per project")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of our way (the median counts)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep the data of the previous run if it fits")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of our query")
    args = parser.parse_args()
    if not 1 <= args.months <= 12:
        parser.error("--months must be between 1 and 12")
    return args


def setup_django(database_url: str) -> None:
    import dj_database_url

    name = dj_database_url.parse(database_url)["NAME"]
    if "bench" not in name:
        sys.exit(
            f"refusing to use database {name!r}: the bench wipes its data; use a name containing 'bench'"
        )
    sys.path.insert(0, str(REPO))
    from minsheng.dbtools import ensure_database

    try:
        ensure_database(database_url)
    except ValueError:
        sys.exit("the bench needs PostgreSQL")
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "minsheng.settings.base"
    os.environ["DEBUG"] = "0"  # no per-query logging in either way
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ---------------------------------------------------------------------------------------------------------
# Data


ANNUAL_TARGETS = [100, 200, 250, 400, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000]  # ratios terminate


def generate(args) -> dict:
    """Regions, units, plans, projects, targets, milestones and monthly reports, with bulk_create."""
    from django.db import connection, transaction
    from django.utils import timezone

    from org.choices import RegionLevel, UnitKind
    from org.models import Region, Unit
    from projects.choices import Category, ProjectLevel, ProjectStatus, ReportStatus, ScheduleBasis
    from projects.models import Milestone, Plan, ProgressReport, ProgressValue, Project, Target

    rng = random.Random(args.seed)
    year = timezone.localdate().year - 1  # a finished year: every milestone date is in the past
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE org_region, projects_plan RESTART IDENTITY CASCADE")

    with transaction.atomic():
        province = Region(code="370000", name="山东省", level=RegionLevel.PROVINCE)
        province.save()
        plan_count = min(99, max(1, args.projects // 250))  # two-digit city codes
        regions = []
        for i in range(plan_count):
            region = Region(
                code=f"37{i + 1:02d}00", name=f"测试市{i + 1}", level=RegionLevel.CITY, parent=province
            )
            region.save()
            regions.append(region)
        units = Unit.objects.bulk_create(
            Unit(name=f"测试市{i + 1}民生办", kind=UnitKind.OFFICE, region=region)
            for i, region in enumerate(regions)
        )
        thresholds = [
            (Decimal("0"), Decimal("0.10")),
            (Decimal("0.05"), Decimal("0.15")),
            (Decimal("0.02"), Decimal("0.20")),
        ]
        plans = Plan.objects.bulk_create(
            Plan(
                region=region,
                year=year,
                name=f"{year}年{region.name}民生实事",
                lag_yellow=thresholds[i % 3][0],
                lag_red=thresholds[i % 3][1],
            )
            for i, region in enumerate(regions)
        )

        statuses = (
            [ProjectStatus.IN_PROGRESS] * 90
            + [ProjectStatus.COMPLETED] * 5
            + [ProjectStatus.SUSPENDED] * 3
            + [ProjectStatus.WITHDRAWN] * 2
        )
        categories = list(Category)
        projects = Project.objects.bulk_create(
            (
                Project(
                    plan=plans[i % plan_count],
                    code=f"{i + 1:05d}",
                    sequence=i // plan_count,
                    level=ProjectLevel.CITY,
                    category=rng.choice(categories),
                    title=f"民生实事测试项目{i + 1}",
                    lead_unit=units[i % plan_count],
                    planned_investment=Decimal(rng.randrange(100, 100000)) * 10000,
                    schedule_basis=ScheduleBasis.MILESTONES if rng.random() < 0.15 else ScheduleBasis.LINEAR,
                    status=rng.choice(statuses),
                )
                for i in range(args.projects)
            ),
            batch_size=2000,
        )

        targets_of = {}
        target_rows = []
        for project in projects:
            count = 0 if rng.random() < 0.02 else args.targets
            rows = [
                Target(
                    project=project,
                    sequence=k,
                    name=f"指标{k + 1}",
                    measure="个",
                    annual_target=Decimal(0 if rng.random() < 0.01 else rng.choice(ANNUAL_TARGETS)),
                    weight=Decimal(rng.choice([1, 1, 1, 2, 3])),
                )
                for k in range(count)
            ]
            targets_of[project.pk] = rows
            target_rows.extend(rows)
        Target.objects.bulk_create(target_rows, batch_size=5000)

        milestone_rows = []
        for project in projects:
            if project.schedule_basis == ScheduleBasis.MILESTONES:
                plan_points = [(3, "0.2500"), (6, "0.5000"), (9, "0.8000"), (12, "1.0000")]
            elif rng.random() < 0.2:
                plan_points = [(rng.randint(2, 12), None)]
            else:
                continue
            for k, (month, progress) in enumerate(plan_points):
                planned = date(year, month, 28)
                milestone_rows.append(
                    Milestone(
                        project=project,
                        sequence=k,
                        name=f"节点{k + 1}",
                        planned_date=planned,
                        actual_date=planned if rng.random() < 0.93 else None,
                        planned_progress=Decimal(progress) if progress else None,
                    )
                )
        Milestone.objects.bulk_create(milestone_rows, batch_size=5000)

        report_rows, value_rows = [], []
        for project in projects:
            targets = targets_of[project.pk]
            pace = {t.pk: rng.uniform(0.55, 1.25) for t in targets}
            investment_pace = Decimal(str(round(rng.uniform(0.6, 1.2), 3)))
            cumulative = {t.pk: Decimal(0) for t in targets}
            for month in range(1, args.months + 1):
                if rng.random() < 0.08:
                    continue  # not reported this month
                roll = rng.random()
                status = (
                    ReportStatus.DRAFT
                    if roll < 0.05
                    else ReportStatus.RETURNED
                    if roll < 0.08
                    else ReportStatus.ACCEPTED
                    if roll < 0.60
                    else ReportStatus.SUBMITTED
                )
                report = ProgressReport(
                    project=project,
                    month=month,
                    status=status,
                    investment_completed=(project.planned_investment * investment_pace * month / 12).quantize(
                        Decimal("0.01")
                    ),
                    submitted_at=None
                    if status == ReportStatus.DRAFT
                    else datetime(year, month, 25, tzinfo=UTC),
                    return_reason="数据有误，请核实" if status == ReportStatus.RETURNED else "",
                )
                report_rows.append(report)
                for t in targets:
                    share = min(
                        Decimal(str(round(pace[t.pk] * month / 12 + rng.uniform(-0.03, 0.03), 3))),
                        Decimal("1.4"),
                    )
                    value = max(cumulative[t.pk], (t.annual_target * share).quantize(Decimal(1)))
                    cumulative[t.pk] = value
                    value_rows.append((report, t, value))
        ProgressReport.objects.bulk_create(report_rows, batch_size=5000)
        ProgressValue.objects.bulk_create(
            (ProgressValue(report=r, target=t, value=v) for r, t, v in value_rows), batch_size=10000
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after a load of this size
    return {
        "projects": len(projects),
        "targets": len(target_rows),
        "milestones": len(milestone_rows),
        "reports": len(report_rows),
        "values": len(value_rows),
    }


def existing_counts() -> dict:
    from projects.models import Milestone, ProgressReport, ProgressValue, Project, Target

    return {
        "projects": Project.objects.count(),
        "targets": Target.objects.count(),
        "milestones": Milestone.objects.count(),
        "reports": ProgressReport.objects.count(),
        "values": ProgressValue.objects.count(),
    }


# ---------------------------------------------------------------------------------------------------------
# The two ways


@contextmanager
def count_queries():
    """Count queries with an execute wrapper: cheaper than CaptureQueriesContext, same for both ways."""
    from django.db import connection

    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def ours(month: int) -> dict:
    from projects.models import Project

    return {p.pk: p.light for p in Project.objects.with_progress(month=month)}


def naive(month: int) -> dict:
    """The per-object loop: the docstring of projects/progress.py, in Python, one object at a time."""
    from django.utils import timezone

    from projects.choices import COUNTED_REPORT_STATUSES, INACTIVE_STATUSES, Light, ScheduleBasis
    from projects.models import ProgressReport, ProgressValue, Project

    today = timezone.localdate()
    lights = {}
    for project in Project.objects.select_related("plan"):
        plan = project.plan
        milestones = list(project.milestones.all())
        overdue = any(m.actual_date is None and m.planned_date < today for m in milestones)

        weighted, weights = Decimal(0), Decimal(0)
        for target in project.targets.all():
            if target.annual_target <= 0:
                continue
            value = (
                ProgressValue.objects.filter(
                    target=target, report__status__in=COUNTED_REPORT_STATUSES, report__month__lte=month
                )
                .order_by("-report__month")
                .values_list("value", flat=True)
                .first()
            ) or Decimal(0)
            weighted += min(value / target.annual_target, Decimal(1)) * target.weight
            weights += target.weight
        if weights:
            completion = weighted / weights
        else:
            # No quantified target: judged by investment (latest counted report's / planned).
            latest = (
                ProgressReport.objects.filter(
                    project=project, status__in=COUNTED_REPORT_STATUSES, month__lte=month
                )
                .order_by("-month")
                .values_list("investment_completed", flat=True)
                .first()
            )
            if latest is None or not project.planned_investment:
                completion = None
            else:
                completion = min(latest / project.planned_investment, Decimal(1))

        planned = [m for m in milestones if m.planned_progress is not None]
        if project.schedule_basis == ScheduleBasis.MILESTONES and planned:
            due = [
                m.planned_progress
                for m in planned
                if m.planned_date.year < plan.year
                or (m.planned_date.year == plan.year and m.planned_date.month <= month)
            ]
            expected = max(due, default=Decimal(0))
        else:
            expected = Decimal(month) / 12
        lag = None if completion is None else completion - expected

        if project.status in INACTIVE_STATUSES:
            light = Light.NONE
        elif overdue:
            light = Light.RED
        elif completion is None:
            light = Light.NONE
        elif lag >= -plan.lag_yellow:
            light = Light.GREEN
        elif lag >= -plan.lag_red:
            light = Light.YELLOW
        else:
            light = Light.RED
        lights[project.pk] = str(light)
    return lights


def what_if_jit_off(month: int, repeat: int) -> None:
    """PostgreSQL's JIT can cost more than it saves on this query: our time without it, for information."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        if cursor.fetchone()[0] != "on":
            return
        cursor.execute("SET jit = off")
        try:
            ours(month)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                ours(month)
                times.append(time.perf_counter() - started)
        finally:
            cursor.execute("RESET jit")
    print(
        f"what-if: ours with jit = off (session setting): {statistics.median(times):7.3f} s "
        "(for information; the verdict below uses the server's settings)"
    )


def explain(month: int) -> None:
    from django.db import connection

    from projects.models import Project

    sql, params = Project.objects.with_progress(month=month).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))


# ---------------------------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    setup_django(args.database_url)
    from django.db import connection

    counts = existing_counts() if args.reuse else None
    if counts and counts["projects"] == args.projects:
        print(f"reusing the data of the previous run ({args.database_url})")
        generated_in = None
    else:
        started = time.perf_counter()
        counts = generate(args)
        generated_in = time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    month = 12
    print(
        f"lights as of month {month}: {counts['projects']} projects, {counts['targets']} targets, "
        f"{counts['reports']} reports ({args.months} months), {counts['values']} values, "
        f"{counts['milestones']} milestones; PostgreSQL {server}"
        + (f"; generated in {generated_in:.1f} s" if generated_in else "")
    )

    ours(month)  # warm-up: connection, plan cache, pages in the buffer cache; not timed
    times, our_lights = [], None
    for _ in range(args.repeat):
        with count_queries() as our_queries:
            started = time.perf_counter()
            our_lights = ours(month)
            times.append(time.perf_counter() - started)
    ours_time = statistics.median(times)

    with count_queries() as naive_queries:
        started = time.perf_counter()
        naive_lights = naive(month)
        naive_time = time.perf_counter() - started

    ratio = naive_time / ours_time
    runs = ", ".join(f"{t:.3f}" for t in times)
    print(f"ours : with_progress(): {ours_time:7.3f} s (median of {runs}), {our_queries['n']} query")
    print(f"naive: per-object loop: {naive_time:7.3f} s, {naive_queries['n']} queries")
    print(f"ratio: {ratio:.1f}x faster")

    differing = [pk for pk in naive_lights if our_lights.get(pk) != naive_lights[pk]]
    if differing or our_lights.keys() != naive_lights.keys():
        print(f"MISMATCH: {len(differing)} projects get different lights, e.g.:", file=sys.stderr)
        for pk in differing[:10]:
            print(f"  project {pk}: ours {our_lights.get(pk)}, naive {naive_lights[pk]}", file=sys.stderr)
        return 2
    tally = {light: 0 for light in ("green", "yellow", "red", "none")}
    for light in our_lights.values():
        tally[light] += 1
    print(
        f"both ways agree on all {len(our_lights)} lights: " + ", ".join(f"{k} {v}" for k, v in tally.items())
    )

    what_if_jit_off(month, args.repeat)

    fast = ours_time < GOAL_SECONDS
    far = ratio >= GOAL_RATIO
    print(f"goal under {GOAL_SECONDS:.0f} s : {'PASS' if fast else 'FAIL'} ({ours_time:.3f} s)")
    print(f"goal >= {GOAL_RATIO:.0f}x    : {'PASS' if far else 'FAIL'} ({ratio:.1f}x)")
    if args.explain:
        explain(month)
    return 0 if fast and far else 1


if __name__ == "__main__":
    sys.exit(main())
