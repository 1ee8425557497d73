#!/usr/bin/env python
"""The leader dashboard's API at 5 years x 500 projects x 12 months: p50/p95 time and queries per call.

Goal (from the issue): every /api/v1/dashboard/ endpoint under 300 ms at the 95th percentile, with at most
10 queries per call, for a leader of the city that sees all of it.

    .venv/bin/python bench/dashboard.py [--years 5] [--projects 500] [--months 12] [--repeat 30] [--reuse]

Calls go through Django's test client (middleware, session, authentication, DRF, JSON), so the figures are
a whole request without the network. The database is postgres://postgres@127.0.0.1:5432/ms_bench_d2 (or
--database-url / BENCH_DATABASE_URL; the name must contain "bench": the data is wiped). It exits 0 when
every endpoint meets both goals, 1 otherwise. As a baseline measured in the same run, it also times the
bare `with_progress()` query for the same year's projects, which every endpoint but the trend builds on.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lights import ANNUAL_TARGETS, count_queries, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ms_bench_d2"
GOAL_P95_MS = 300.0
GOAL_QUERIES = 10
ENDPOINTS = ["overview", "categories", "units", "projects", "lagging", "trend", "funds", "supervision"]
COUNTIES = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--projects", type=int, default=500, help="projects per year")
    parser.add_argument("--months", type=int, default=12, help="months of reports per project (1-12)")
    parser.add_argument("--targets", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per endpoint and filter")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep the data of the previous run if it fits")
    return parser.parse_args()


def generate(args) -> dict:
    """A city and its counties, their units, one plan per region and year, projects, targets, milestones
    and monthly reports, with bulk_create; then ANALYZE."""
    from django.db import connection, transaction
    from django.utils import timezone

    from org.choices import RegionLevel, Role, UnitKind
    from org.models import Region, Unit, User
    from projects.choices import Category, ProjectLevel, ProjectStatus, ReportStatus, ScheduleBasis
    from projects.models import Milestone, Plan, ProgressReport, ProgressValue, Project, Target

    rng = random.Random(args.seed)
    last_year = timezone.localdate().year - 1
    years = list(range(last_year - args.years + 1, last_year + 1))
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE org_region, projects_plan, org_user, funding_entry, funding_fundingsource,"
            " supervision_problem, supervision_supervisionorder RESTART IDENTITY CASCADE"
        )

    with transaction.atomic():
        province = Region(code="370000", name="山东省", level=RegionLevel.PROVINCE)
        province.save()
        city = Region(code="371300", name="测试市", level=RegionLevel.CITY, parent=province)
        city.save()
        regions = [city]
        for i in range(COUNTIES):
            county = Region(
                code=f"3713{i + 1:02d}", name=f"测试县{i + 1}", level=RegionLevel.COUNTY, parent=city
            )
            county.save()
            regions.append(county)
        office = Unit.objects.create(name="测试市民生办", kind=UnitKind.OFFICE, region=city)
        units = Unit.objects.bulk_create(
            [Unit(name=f"测试市部门{i + 1}", region=city) for i in range(20)]
            + [
                Unit(name=f"测试县{i + 1}政府", kind=UnitKind.GOVERNMENT, region=r)
                for i, r in enumerate(regions[1:])
            ]
        )
        User.objects.create_user(username="bench_leader", password="x", unit=office, role=Role.LEADER)

        plans = Plan.objects.bulk_create(
            Plan(region=region, year=year, name=f"{year}年{region.name}民生实事")
            for year in years
            for region in regions
        )
        plans_of = {year: [p for p in plans if p.year == year] for year in years}
        statuses = (
            [ProjectStatus.IN_PROGRESS] * 90 + [ProjectStatus.COMPLETED] * 6 + [ProjectStatus.SUSPENDED] * 4
        )
        projects = Project.objects.bulk_create(
            (
                Project(
                    # Half the projects are the city's, the rest spread over the counties.
                    plan=plans_of[year][0 if i % 2 == 0 else 1 + i % COUNTIES],
                    code=f"{year}-{i + 1:04d}",
                    sequence=i,
                    level=ProjectLevel.CITY if i % 2 == 0 else ProjectLevel.COUNTY,
                    category=rng.choice(list(Category)),
                    title=f"民生实事测试项目{year}-{i + 1}",
                    lead_unit=units[i % 20] if i % 2 == 0 else units[20 + i % COUNTIES],
                    planned_investment=Decimal(rng.randrange(100, 100000)) * 10000,
                    schedule_basis=ScheduleBasis.MILESTONES if rng.random() < 0.15 else ScheduleBasis.LINEAR,
                    status=rng.choice(statuses),
                )
                for year in years
                for i in range(args.projects)
            ),
            batch_size=2000,
        )

        targets_of, target_rows = {}, []
        for project in projects:
            rows = [
                Target(
                    project=project,
                    sequence=k,
                    name=f"指标{k + 1}",
                    measure="个",
                    annual_target=Decimal(rng.choice(ANNUAL_TARGETS)),
                    weight=Decimal(rng.choice([1, 1, 2])),
                )
                for k in range(0 if rng.random() < 0.03 else args.targets)
            ]
            targets_of[project.pk] = rows
            target_rows.extend(rows)
        Target.objects.bulk_create(target_rows, batch_size=5000)

        milestone_rows = []
        for project in projects:
            if project.schedule_basis != ScheduleBasis.MILESTONES:
                continue
            for k, (month, share) in enumerate([(3, "0.25"), (6, "0.5"), (9, "0.8"), (12, "1")]):
                planned = date(project.plan.year, month, 28)
                milestone_rows.append(
                    Milestone(
                        project=project,
                        sequence=k,
                        name=f"节点{k + 1}",
                        planned_date=planned,
                        actual_date=planned if rng.random() < 0.9 else None,
                        planned_progress=Decimal(share),
                    )
                )
        Milestone.objects.bulk_create(milestone_rows, batch_size=5000)

        report_rows, value_rows = [], []
        for project in projects:
            pace = {t.pk: rng.uniform(0.5, 1.2) for t in targets_of[project.pk]}
            for month in range(1, args.months + 1):
                if rng.random() < 0.06:
                    continue
                status = ReportStatus.DRAFT if rng.random() < 0.04 else ReportStatus.ACCEPTED
                report = ProgressReport(
                    project=project,
                    month=month,
                    status=status,
                    investment_completed=(project.planned_investment * month / 12).quantize(Decimal("0.01")),
                    submitted_at=None
                    if status == ReportStatus.DRAFT
                    else datetime(project.plan.year, month, 25, tzinfo=UTC),
                )
                report_rows.append(report)
                for t in targets_of[project.pk]:
                    value = (t.annual_target * Decimal(str(round(pace[t.pk] * month / 12, 3)))).quantize(1)
                    value_rows.append(ProgressValue(report=report, target=t, value=value))
        ProgressReport.objects.bulk_create(report_rows, batch_size=5000)
        ProgressValue.objects.bulk_create(value_rows, batch_size=10000)
        generate_money_and_supervision(rng, projects, office)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "years": len(years),
        "projects": len(projects),
        "targets": len(target_rows),
        "reports": len(report_rows),
        "values": len(value_rows),
        "milestones": len(milestone_rows),
    }


def generate_money_and_supervision(rng, projects, office) -> None:
    """Funding by source level with monthly arrivals and spending; open problems and 督办单 on 10 % and 5 %
    of the projects."""
    import datetime as dt

    from django.utils import timezone

    from funding.models import Entry, FundingSource
    from org.models import User
    from supervision.models import Problem, SupervisionOrder

    sources, entries, problems, orders = [], [], [], []
    issuer = User.objects.get(username="bench_leader")
    now = timezone.now()
    for project in projects:
        year = project.plan.year
        for level, share in (
            ("province", Decimal("0.3")),
            ("city", Decimal("0.5")),
            ("county", Decimal("0.2")),
        ):
            planned = (project.planned_investment * share).quantize(Decimal("0.01"))
            arrived = (planned * Decimal("0.9")).quantize(Decimal("0.01"))
            spent = (arrived * Decimal("0.7")).quantize(Decimal("0.01"))
            sources.append(
                FundingSource(
                    project=project,
                    level=level,
                    planned=planned,
                    arrived=arrived,
                    disbursed=arrived,
                    spent=spent,
                )
            )
            for month, kind, amount in (
                (3, "arrival", arrived),
                (6, "disbursement", arrived),
                (9, "spending", spent),
            ):
                entries.append(
                    Entry(
                        project=project,
                        kind=kind,
                        level=level,
                        amount=amount,
                        date=dt.date(year, month, 15),
                        recipient_unit=project.lead_unit if kind == "disbursement" else None,
                    )
                )
        if rng.random() < 0.10:
            problems.append(
                Problem(
                    source="report",
                    project=project,
                    unit=project.lead_unit,
                    description="进度滞后，需加快推进",
                    severity=rng.choice(["minor", "major", "serious"]),
                    found_on=dt.date(year, 9, 1),
                )
            )
        if rng.random() < 0.05:
            issued = now - dt.timedelta(days=rng.randint(0, 30))
            orders.append(
                SupervisionOrder(
                    region=project.plan.region,
                    year=year,
                    serial=len(orders) + 1,
                    unit=project.lead_unit,
                    project=project,
                    title=f"督促{project.title}",
                    requirement="按期完成",
                    issued_by=issuer,
                    issued_at=issued,
                    acknowledge_due=issued + dt.timedelta(days=1),
                    feedback_due=issued + dt.timedelta(days=3),
                    settle_due=issued + dt.timedelta(days=7),
                    report_due=issued + dt.timedelta(days=10),
                )
            )
    FundingSource.objects.bulk_create(sources, batch_size=5000)
    Entry.objects.bulk_create(entries, batch_size=5000)
    Problem.objects.bulk_create(problems)
    SupervisionOrder.objects.bulk_create(orders)


def existing_counts() -> dict:
    from projects.models import Plan, ProgressReport, ProgressValue, Project, Target

    return {
        "years": Plan.objects.values("year").distinct().count(),
        "projects": Project.objects.count(),
        "targets": Target.objects.count(),
        "reports": ProgressReport.objects.count(),
        "values": ProgressValue.objects.count(),
    }


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(call, baseline, repeat: int) -> dict:
    """p50/p95 in ms of `call` over `repeat` calls after a warm-up, the most queries one call made, and the
    p95 of `baseline`, run alternately with the calls so that both see the same load on a shared machine."""
    call()
    baseline()
    times, base_times, queries = [], [], 0
    for _ in range(repeat):
        with count_queries() as counter:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, counter["n"])
        started = time.perf_counter()
        baseline()
        base_times.append((time.perf_counter() - started) * 1000)
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": queries,
        "base_p95": percentile(base_times, 0.95),
    }


def main() -> int:
    args = parse_args()
    # The test client's host must be allowed by the base settings the bench runs.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    setup_django(args.database_url)
    from django.db import connection
    from django.test import Client

    from org.models import User
    from projects.models import Plan, Project

    counts = existing_counts() if args.reuse else None
    wanted = args.years * args.projects
    if counts and counts["projects"] == wanted and User.objects.filter(username="bench_leader").exists():
        print(f"reusing the data of the previous run ({args.database_url})")
    else:
        started = time.perf_counter()
        counts = generate(args)
        print(f"generated in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    year = Plan.objects.order_by("-year").values_list("year", flat=True).first()
    print(
        f"data: {counts['years']} years, {counts['projects']} projects, {counts['targets']} targets, "
        f"{counts['reports']} reports, {counts['values']} values; PostgreSQL {server}; "
        f"{args.repeat} calls each"
    )
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(f"baseline: the bare with_progress() query for the {year} projects' lights, run between the calls")

    leader = User.objects.get(username="bench_leader")
    client = Client()
    client.force_login(leader)

    def baseline():
        projects = Project.objects.restrict(leader).filter(plan__year=year)
        return list(projects.with_progress().values("light"))

    filters = {
        "whole city": {"year": year},
        "one county": {"year": year, "region": "371301"},
        "one category": {"year": year, "category": "education"},
    }
    print(
        f"{'endpoint':<12} {'filter':<13} {'p50 ms':>8} {'p95 ms':>8} {'base p95':>9} {'ratio':>6} "
        f"{'queries':>8}"
    )
    failed = []
    for endpoint in ENDPOINTS:
        for label, params in filters.items():
            url = f"/api/v1/dashboard/{endpoint}/"

            def call(url=url, params=params):
                response = client.get(url, params)
                if response.status_code != 200:
                    raise SystemExit(
                        f"{url} {params}: HTTP {response.status_code} {response.content[:200]!r}"
                    )

            m = measure(call, baseline, args.repeat)
            ok = m["p95"] < GOAL_P95_MS and m["queries"] <= GOAL_QUERIES
            if not ok:
                failed.append((endpoint, label))
            print(
                f"{endpoint:<12} {label:<13} {m['p50']:8.1f} {m['p95']:8.1f} {m['base_p95']:9.1f} "
                f"{m['p95'] / m['base_p95']:6.2f} {m['queries']:8d}  {'PASS' if ok else 'FAIL'}"
            )
    print(
        f"goal p95 < {GOAL_P95_MS:.0f} ms and <= {GOAL_QUERIES} queries per call: "
        + ("PASS" if not failed else f"FAIL ({', '.join(f'{e} [{f}]' for e, f in failed)})")
    )
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
