#!/usr/bin/env python
"""The daily supervision scan (supervision.services.scan_alerts) over a large year, at two sizes.

Goal (issue 5): the scan over 100,000 milestones, 20,000 projects and 12 months of reports; the first run
under 5 s, a second run (which must raise nothing new) under 2 s, and a number of queries that does not
grow with the data.

    .venv/bin/python bench/scan.py [--projects 20000] [--small 5000] [--milestones-per-project 5]

For each size it fills the bench database with bench/lights.py's generator (projects, targets, 12 months of
reports with gaps, drafts and returns), tops the milestones up to `--milestones-per-project` per project
(some overdue), then runs the scan twice as of 10 January of the next year (all twelve months' reports
due) and prints time, query count and alerts raised. Exit 1 when a goal is missed.

Database: postgres://postgres@127.0.0.1:5432/ms_bench_b2 (or --database-url / BENCH_DATABASE_URL); the name
must contain "bench" because the data is wiped.
"""

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lights  # noqa: E402 (the generator and Django setup of bench/lights.py, shared)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ms_bench_b2"
GOAL_FIRST, GOAL_SECOND = 5.0, 2.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--small", type=int, default=5000, help="the smaller size, to compare query counts")
    parser.add_argument("--milestones-per-project", type=int, default=5)
    parser.add_argument("--targets", type=int, default=2, help="targets per project")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def top_up_milestones(per_project: int, seed: int) -> int:
    """Add milestones until every project has `per_project`; about 8 % of the new ones are overdue."""
    from django.db import connection
    from django.db.models import Count

    from projects.models import Milestone, Project

    rng = random.Random(seed)
    rows = []
    for project_id, year, have in Project.objects.annotate(n=Count("milestones")).values_list(
        "pk", "plan__year", "n"
    ):
        for k in range(have, per_project):
            planned = date(year, rng.randint(1, 12), rng.randint(1, 28))
            rows.append(
                Milestone(
                    project_id=project_id,
                    sequence=k,
                    name=f"补充节点{k + 1}",
                    planned_date=planned,
                    actual_date=None if rng.random() < 0.08 else planned,
                )
            )
    Milestone.objects.bulk_create(rows, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Milestone.objects.count()


def timed_scan(on: date) -> tuple[float, int, dict]:
    from supervision import services

    with lights.count_queries() as queries:
        started = time.perf_counter()
        result = services.scan_alerts(on)
        elapsed = time.perf_counter() - started
    return elapsed, queries["n"], result.as_dict()


def run_size(args, projects: int) -> dict:
    from django.db.models import Count

    from supervision.models import Alert

    started = time.perf_counter()
    generated = lights.generate(
        argparse.Namespace(projects=projects, months=12, targets=args.targets, seed=args.seed)
    )
    milestones = top_up_milestones(args.milestones_per_project, args.seed)
    year = generated_year()
    on = date(year + 1, 1, 10)
    print(
        f"\n{projects} projects, {milestones} milestones, {generated['reports']} reports (12 months), "
        f"{generated['values']} values; generated in {time.perf_counter() - started:.0f} s; scan as of {on}"
    )
    first = timed_scan(on)
    second = timed_scan(on)
    kinds = dict(Alert.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    for label, (elapsed, queries, result) in (("first ", first), ("second", second)):
        print(f"  {label} run: {elapsed:6.3f} s, {queries} queries, {result}")
    print(f"  open alerts by kind: {kinds}")
    return {"first": first, "second": second}


def generated_year() -> int:
    from projects.models import Plan

    return Plan.objects.values_list("year", flat=True).first()


def main() -> int:
    args = parse_args()
    lights.setup_django(args.database_url)
    small = run_size(args, args.small)
    large = run_size(args, args.projects)

    failures = []
    first_time, second_time = large["first"][0], large["second"][0]
    same_queries = small["first"][1] == large["first"][1] and small["second"][1] == large["second"][1]
    nothing_new = large["second"][2]["raised"] == 0 and small["second"][2]["raised"] == 0
    print()
    for ok, text in (
        (first_time < GOAL_FIRST, f"goal first run < {GOAL_FIRST:.0f} s : {first_time:.3f} s"),
        (second_time < GOAL_SECOND, f"goal second run < {GOAL_SECOND:.0f} s: {second_time:.3f} s"),
        (nothing_new, "second run raised nothing new"),
        (
            same_queries,
            f"queries do not grow: {small['first'][1]}/{small['second'][1]} at {args.small} projects, "
            f"{large['first'][1]}/{large['second'][1]} at {args.projects}",
        ),
    ):
        print(("PASS " if ok else "FAIL ") + text)
        if not ok:
            failures.append(text)
    ratio = large["first"][0] / small["first"][0] if small["first"][0] else float("nan")
    print(f"time ratio large/small (first run): {ratio:.1f}x for {args.projects / args.small:.0f}x the data")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
