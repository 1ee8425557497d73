#!/usr/bin/env python
"""A bulletin for 500 projects end to end, against the bare WeasyPrint render of the same HTML.

Goal (issue 6): end to end (generate the draft from the data, then issue it: numbers, HTML, text, PDF
stored) under 20 s, within 1.3x of the bare render (`weasyprint.HTML(string=html).write_pdf()` of the
issued HTML, the same run), and a PDF under 3 MB.

    .venv/bin/python bench/bulletin.py [--projects 500] [--targets 3] [--seed 2026]

It uses its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/minsheng_bench_bulletin, or
--database-url / BENCH_DATABASE_URL; the name must contain "bench": its data is wiped) and a temporary
MEDIA_ROOT. Exits 0 when every goal is met, 1 otherwise.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal

from lights import setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minsheng_bench_bulletin"
GOAL_SECONDS = 20.0
GOAL_RATIO = 1.3
GOAL_BYTES = 3 * 1024 * 1024
YEAR, MONTH = 2016, 9
NARRATIVE = (
    "各级各部门按照时间节点加快推进，完成年度目标任务的主要工程量，资金拨付及时到位，"
    "群众满意度稳步提升。下一步将加强调度，确保年底前全面完成。"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--targets", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each way, interleaved (median)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def generate(args):
    """One city, its plan of `--projects` projects with targets and an accepted September report each."""
    from django.db import connection, transaction

    from org.choices import RegionLevel, UnitKind
    from org.models import Region, Unit
    from projects.choices import Category, ProjectLevel, ProjectStatus, ReportStatus
    from projects.models import Plan, ProgressReport, ProgressValue, Project, Target

    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE org_region, projects_plan, bulletins_bulletinsettings RESTART IDENTITY CASCADE"
        )
    with transaction.atomic():
        province = Region.objects.create(code="370000", name="山东省", level=RegionLevel.PROVINCE)
        city = Region.objects.create(code="371300", name="临沂市", level=RegionLevel.CITY, parent=province)
        unit = Unit.objects.create(name="临沂市民生工作办公室", kind=UnitKind.OFFICE, region=city)
        plan = Plan.objects.create(
            region=city, year=YEAR, name=f"{YEAR}年临沂市民生实事", reporting_month=MONTH
        )
        projects = Project.objects.bulk_create(
            Project(
                plan=plan,
                code=f"{i + 1:04d}",
                sequence=i + 1,
                level=ProjectLevel.CITY,
                category=rng.choice(list(Category)),
                title=f"民生实事测试项目{i + 1}号工程",
                lead_unit=unit,
                planned_investment=Decimal(rng.randrange(100, 100000)) * 10000,
                status=ProjectStatus.IN_PROGRESS,
            )
            for i in range(args.projects)
        )
        targets = Target.objects.bulk_create(
            Target(
                project=p,
                sequence=k,
                name=f"建设任务{k + 1}",
                measure=rng.choice(["人", "个", "公里", "万平方米", "元"]),
                annual_target=Decimal(rng.choice([100, 200, 500, 1000, 20000, 100000])),
            )
            for p in projects
            for k in range(args.targets)
        )
        submitted = datetime(YEAR, 10, 8, tzinfo=UTC)
        reports = ProgressReport.objects.bulk_create(
            ProgressReport(
                project=p,
                month=MONTH,
                status=ReportStatus.ACCEPTED,
                investment_completed=p.planned_investment * Decimal(str(round(rng.uniform(0.3, 1.1), 3))),
                narrative=NARRATIVE,
                submitted_at=submitted,
                reviewed_at=submitted,
            )
            for p in projects
        )
        report_of = {r.project_id: r for r in reports}
        ProgressValue.objects.bulk_create(
            ProgressValue(
                report=report_of[t.project_id],
                target=t,
                value=(t.annual_target * Decimal(str(round(rng.uniform(0.4, 1.2), 2)))).quantize(Decimal(1)),
            )
            for t in targets
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return city


def fmt(runs) -> str:
    return ", ".join(f"{r:.2f}" for r in runs)


def main() -> int:
    args = parse_args()
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-bulletin-")
    setup_django(args.database_url)

    from django.db import transaction
    from weasyprint import HTML

    from bulletins import services

    city = generate(args)
    HTML(string="<p style='font-family: \"WenQuanYi Micro Hei\"'>预热</p>").write_pdf()  # fonts loaded once

    def end_to_end():
        """Generate and issue inside a transaction rolled back, so every run starts from the same draft-less
        state; returns (seconds, seconds generating, the issued bulletin)."""
        with transaction.atomic():
            start = time.perf_counter()
            draft = services.generate_bulletin(city, YEAR, MONTH)
            generating = time.perf_counter() - start
            issued = services.issue_bulletin(draft)
            seconds = time.perf_counter() - start
            transaction.set_rollback(True)
        return seconds, generating, issued

    def bare_render(html):
        start = time.perf_counter()
        pdf = HTML(string=html).write_pdf()
        return time.perf_counter() - start, pdf

    # Interleaved (ours, bare, bare, ours, ...) so that a change in the machine's load hits both alike.
    ours_runs, bare_runs, generating_runs = [], [], []
    issued = None
    for i in range(args.repeat):
        pair = ["ours", "bare"] if i % 2 == 0 else ["bare", "ours"]
        for which in pair:
            if which == "ours":
                seconds, generating, issued = end_to_end()
                ours_runs.append(seconds)
                generating_runs.append(generating)
            else:
                seconds, bare_pdf = bare_render(issued.html)  # the first pair starts with ours
                bare_runs.append(seconds)
    ours, bare = statistics.median(ours_runs), statistics.median(bare_runs)
    generating = statistics.median(generating_runs)
    ratio = ours / bare
    print(f"projects: {args.projects}, targets each: {args.targets}, load average {os.getloadavg()[0]:.1f}")
    print(
        f"ours : generate + issue:  {ours:6.2f} s median of {fmt(ours_runs)}"
        f" (generating the draft {generating:.2f} s)"
    )
    print(
        f"bare : weasyprint render: {bare:6.2f} s median of {fmt(bare_runs)} ({len(bare_pdf) / 1024:.0f} KB)"
    )
    print(f"ratio: {ratio:.2f}x the bare render")
    print(f"pdf  : {issued.page_count} pages, {issued.pdf.size / 1024:.0f} KB")
    size = issued.pdf.size
    goals = [
        (f"end to end under {GOAL_SECONDS:.0f} s", ours < GOAL_SECONDS, f"{ours:.2f} s"),
        (f"within {GOAL_RATIO}x of bare", ratio <= GOAL_RATIO, f"{ratio:.2f}x"),
        ("PDF under 3 MB", size < GOAL_BYTES, f"{size / 1024 / 1024:.2f} MB"),
    ]
    for name, ok, figure in goals:
        print(f"goal {name:<24}: {'PASS' if ok else 'FAIL'} ({figure})")
    return 0 if all(ok for _, ok, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
