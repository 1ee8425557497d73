#!/usr/bin/env python
"""Funding summaries by region: funding.summaries (SQL GROUP BY) against summing ORM objects in Python.

Goal (issue 4): 5 years x 2,000 projects x 50 money entries each; the region summary computed our way and by
summing in Python over the ORM objects, in the same run; ours at least 20x faster, under 300 ms, with a
constant number of queries.

    .venv/bin/python bench/funding.py [--years 5] [--projects 2000] [--entries 50] [--repeat 5] [--reuse]

Its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/ms_bench_c, or --database-url /
BENCH_DATABASE_URL; the name must contain "bench": the data is wiped). Two of our ways are timed: the
year's totals (running totals on FundingSource) and "as of" 1-9月 (the entries themselves). Exit 0 when
both goals are met by both, 1 when one is missed, 2 when the ways disagree.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lights import count_queries, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ms_bench_c"
GOAL_SECONDS = 0.300
GOAL_RATIO = 20.0
FIRST_YEAR = 2016
CITIES, COUNTIES = 16, 10  # a province, 16 cities, 10 counties each: 177 regions with a plan each year


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--projects", type=int, default=2000, help="projects per year")
    parser.add_argument("--entries", type=int, default=50, help="money entries per project")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of our way (the median counts)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep the data of the previous run if it fits")
    return parser.parse_args()


def generate(args) -> None:
    """Wipe and fill: regions, units, plans, projects, FundingSource rows with totals equal to the entries."""
    from django.db import connection, transaction

    from funding.models import Entry, FundingSource
    from org.choices import RegionLevel
    from org.models import Region, Unit, User
    from projects.models import Plan, Project

    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE funding_entry, funding_fundingsource, funding_historicalentry, projects_project, "
            "projects_plan, org_unit, org_region, org_user CASCADE"
        )
    with transaction.atomic():
        province = Region.objects.create(code="370000", name="山东省", level=RegionLevel.PROVINCE)
        regions = [province]
        for c in range(CITIES):
            city = Region.objects.create(
                code=f"37{c + 1:02d}00", name=f"市{c + 1}", level=RegionLevel.CITY, parent=province
            )
            regions.append(city)
            for k in range(COUNTIES):
                regions.append(
                    Region.objects.create(
                        code=f"37{c + 1:02d}{k + 1:02d}",
                        name=f"县{c + 1}-{k + 1}",
                        level=RegionLevel.COUNTY,
                        parent=city,
                    )
                )
        units = Unit.objects.bulk_create([Unit(name=f"{r.name}民生办", region=r) for r in regions])
        User.objects.create_superuser(username="bench", password="bench")
        plans = Plan.objects.bulk_create(
            [
                Plan(region=r, year=FIRST_YEAR + y, name=f"{FIRST_YEAR + y}年{r.name}民生实事")
                for y in range(args.years)
                for r in regions
            ]
        )
        projects = Project.objects.bulk_create(
            [
                Project(
                    plan=plans[y * len(regions) + i % len(regions)],
                    code=f"{i:05d}",
                    level="county",
                    category="education",
                    title=f"项目{i}",
                    lead_unit=units[i % len(regions)],
                )
                for y in range(args.years)
                for i in range(args.projects)
            ],
            batch_size=5000,
        )
    levels = ["central", "province", "city", "county", "social", "other"]
    sources, entries = [], []
    for project in projects:
        year = project.plan.year
        own = rng.sample(levels, 2)
        share = args.entries // 2  # entries per level: 40% arrivals, 30% disbursements, 30% spending
        for level in own:
            n_arr = max(1, share * 4 // 10)
            n_spe = (share - n_arr) // 2
            n_dis = share - n_arr - n_spe
            unit = Decimal(rng.randint(1, 500) * 100)
            totals = {"arrival": Decimal(0), "disbursement": Decimal(0), "spending": Decimal(0)}
            for kind, count, month0 in (
                ("arrival", n_arr, 1),
                ("disbursement", n_dis, 4),
                ("spending", n_spe, 7),
            ):
                for j in range(count):
                    day = date(year, month0 + j % 6, 1 + j % 28)
                    entries.append(
                        Entry(
                            project=project,
                            kind=kind,
                            level=level,
                            amount=unit,
                            date=day,
                            recipient_unit_id=project.lead_unit_id if kind == "disbursement" else None,
                            purpose="工程款" if kind == "spending" else "",
                        )
                    )
                    totals[kind] += unit
            sources.append(
                FundingSource(
                    project=project,
                    level=level,
                    planned=totals["arrival"] + Decimal(rng.randint(0, 50) * 100),
                    arrived=totals["arrival"],
                    disbursed=totals["disbursement"],
                    spent=totals["spending"],
                )
            )
    with transaction.atomic():
        FundingSource.objects.bulk_create(sources, batch_size=5000)
        Entry.objects.bulk_create(entries, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def counts() -> dict:
    from funding.models import Entry
    from projects.models import Project

    return {"projects": Project.objects.count(), "entries": Entry.objects.count()}


def ours(user, year, as_of=None) -> dict:
    from funding import summaries

    rows = summaries.summarize(user, "region", year=year, region="370000", as_of=as_of)
    return {r["code"]: tuple(r[n] for n in summaries.FIGURES) for r in rows}


def naive(year, as_of=None) -> dict:
    """Sum over ORM objects in Python: the planned amounts of the year's sources and every entry of the year
    (up to `as_of`), with their project's region loaded in the same query."""
    from funding.models import Entry, FundingSource

    sums = defaultdict(lambda: [Decimal(0)] * 4)

    def city(region) -> str:
        # The province's own projects count as the province's "本级" row, as in ours.
        return region.path.split("/")[1] or region.code

    for source in FundingSource.objects.filter(project__plan__year=year).select_related(
        "project__plan__region"
    ):
        sums[city(source.project.plan.region)][0] += source.planned
    index = {"arrival": 1, "disbursement": 2, "spending": 3}
    entries = Entry.objects.filter(project__plan__year=year, cancelled_at__isnull=True)
    if as_of is not None:
        entries = entries.filter(date__lte=as_of)
    for entry in entries.select_related("project__plan__region"):
        sums[city(entry.project.plan.region)][index[entry.kind]] += entry.amount
    return {code: tuple(row) for code, row in sums.items()}


def timed(fn, repeat):
    fn()  # warm-up
    times, result = [], None
    for _ in range(repeat):
        with count_queries() as queries:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
    return statistics.median(times), queries["n"], result


def main() -> int:
    args = parse_args()
    setup_django(args.database_url)
    from org.models import User

    existing = counts()
    wanted = {"projects": args.years * args.projects}
    if args.reuse and existing["projects"] == wanted["projects"]:
        print("reusing the data of the previous run")
    else:
        started = time.perf_counter()
        generate(args)
        print(f"generated in {time.perf_counter() - started:.1f} s")
    c = counts()
    user = User.objects.get(username="bench")
    year = FIRST_YEAR + args.years - 1
    print(
        f"{c['projects']} projects over {args.years} years, {c['entries']} entries; region summary of {year}"
    )
    code = 0
    for label, as_of in (("year totals", None), ("as of 1-9月", date(year, 9, 30))):
        ours_time, ours_queries, ours_rows = timed(lambda as_of=as_of: ours(user, year, as_of), args.repeat)
        with count_queries() as naive_queries:
            started = time.perf_counter()
            naive_rows = naive(year, as_of)
            naive_time = time.perf_counter() - started
        ratio = naive_time / ours_time
        print(
            f"{label:12}: ours {ours_time * 1000:7.1f} ms, {ours_queries} queries | "
            f"python sum {naive_time * 1000:8.1f} ms, {naive_queries['n']} queries | {ratio:.1f}x"
        )
        if ours_rows != naive_rows:
            differing = sorted(
                k for k in ours_rows.keys() | naive_rows.keys() if ours_rows.get(k) != naive_rows.get(k)
            )
            print(f"MISMATCH in {label}: regions {differing[:5]}", file=sys.stderr)
            return 2
        if ours_time >= GOAL_SECONDS or ratio < GOAL_RATIO:
            code = 1
    # Constant queries: the same summary for a single city (fewer rows) runs as many queries.
    from funding import summaries

    with count_queries() as small:
        summaries.summarize(user, "region", year=year, region="370100")
    print(f"queries for one city's summary: {small['n']} (same as for the province)")
    print("goals met" if code == 0 else "GOAL MISSED")
    return code


if __name__ == "__main__":
    sys.exit(main())
