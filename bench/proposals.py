#!/usr/bin/env python
"""Proposals at the scale of a province's collection: the API list, trace() and the year rollover.

    .venv/bin/python bench/proposals.py [--proposals 5000] [--candidates 300] [--projects 1000]

Figures, each against a baseline measured in the same run:
- the proposals API list (pages of 50 and 500) against the same serializer over a queryset without
  select_related/prefetch_related (the N+1 a naive view would make): time, queries, ratio;
- trace() of proposals that went all the way to a project: time and queries per call;
- the rollover of a plan of --projects projects (a third continue, a third exit, the rest merge in
  threes), and the second run, which must change nothing.

It uses its own PostgreSQL database (default postgres://postgres@127.0.0.1:5432/minsheng_bench_proposals, or
--database-url / BENCH_DATABASE_URL; the name must contain "bench": the data is wiped). Exit 1 when the
API's query count grows with the page size or the second rollover changes anything.
"""

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

from lights import setup_django  # bench/ is on sys.path when this script runs

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minsheng_bench_proposals"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", type=int, default=5000)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


@contextmanager
def counted():
    """Count the queries run inside the block: yields a one-item list holding the count."""
    from django.db import connection

    box = [0]

    def wrapper(execute, sql, params, many, context):
        box[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield box


def timed(fn, repeat: int) -> tuple[float, int]:
    """Median seconds of `repeat` runs after one warm-up, and the queries of one run."""
    fn()
    times = []
    for _ in range(repeat):
        with counted() as box:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times), box[0]


def generate(args):
    """A city's round with proposals (each with its log), candidates with six steps, and a plan to roll."""
    from django.db import connection, transaction

    from org.choices import RegionLevel, Role, UnitKind
    from org.models import Region, Unit, User
    from projects.choices import Category, ProjectLevel
    from projects.models import Plan, Project
    from proposals.choices import (
        DECISION_ORDER,
        CandidateStatus,
        CarryOverDecision,
        DecisionOutcome,
        ProposalActionKind,
        ProposalSource,
        ProposalStatus,
    )
    from proposals.models import (
        Candidate,
        CarryOver,
        CollectionRound,
        DecisionStep,
        Proposal,
        ProposalAction,
        new_tracking_code,
    )

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE org_region, org_user, projects_plan RESTART IDENTITY CASCADE")
    with transaction.atomic():
        province = Region.objects.create(code="370000", name="山东省", level=RegionLevel.PROVINCE)
        city = Region.objects.create(code="371300", name="临沂市", level=RegionLevel.CITY, parent=province)
        office = Unit.objects.create(name="临沂市民生办", kind=UnitKind.OFFICE, region=city)
        staff = User.objects.create_user(username="bench", password="x", unit=office, role=Role.STAFF)
        round = CollectionRound.objects.create(
            region=city, year=2017, name="征集", opens_on=date(2016, 8, 1), closes_on=date(2016, 9, 30)
        )
        categories = list(Category)
        at = datetime(2016, 8, 15, tzinfo=UTC)
        proposals = Proposal.objects.bulk_create(
            Proposal(
                round=round,
                tracking_code=new_tracking_code(),
                source=ProposalSource.LETTER,
                proposer_name=f"建议人{i}",
                category=categories[i % len(categories)],
                title=f"建议{i}",
                description="建议内容" * 20,
                estimated_cost=Decimal(1000 * i),
                status=ProposalStatus.SHORTLISTED if i < args.candidates * 5 else ProposalStatus.ACCEPTED,
                created_by=staff,
            )
            for i in range(args.proposals)
        )
        ProposalAction.objects.bulk_create(
            ProposalAction(proposal=p, kind=kind, actor=staff, at=at)
            for p in proposals
            for kind in (ProposalActionKind.SUBMIT, ProposalActionKind.ACCEPT)
        )
        plan = Plan.objects.create(region=city, year=2017, name="2017年")
        candidates = []
        for c in range(args.candidates):
            project = Project.objects.create(
                plan=plan,
                code=f"C{c:04d}",
                level=ProjectLevel.CITY,
                category="services",
                title=f"备选{c}",
                lead_unit=office,
            )
            candidates.append(
                Candidate(
                    region=city,
                    year=2017,
                    sequence=c,
                    title=f"备选{c}",
                    category="services",
                    status=CandidateStatus.APPROVED,
                    project=project,
                )
            )
        Candidate.objects.bulk_create(candidates)
        Candidate.proposals.through.objects.bulk_create(
            Candidate.proposals.through(candidate=candidates[i // 5], proposal=proposals[i])
            for i in range(min(len(proposals), args.candidates * 5))
        )
        DecisionStep.objects.bulk_create(
            DecisionStep(
                candidate=candidate,
                stage=stage,
                held_on=date(2016, 10, 1 + n),
                outcome=DecisionOutcome.PASSED,
                social_risk="low",
                environmental_risk="low",
                fiscal_risk="low",
                recorded_by=staff,
            )
            for candidate in candidates
            for n, stage in enumerate(DECISION_ORDER)
        )
        old = Plan.objects.create(region=city, year=2016, name="2016年")
        projects = Project.objects.bulk_create(
            Project(
                plan=old,
                code=f"2016-{i:04d}",
                level=ProjectLevel.CITY,
                category="services",
                title=f"项目{i}",
                lead_unit=office,
                sequence=i,
            )
            for i in range(args.projects)
        )
        third = len(projects) // 3
        CarryOver.objects.bulk_create(
            CarryOver(
                project=p,
                decision=(
                    CarryOverDecision.CONTINUE
                    if i < third
                    else CarryOverDecision.EXIT
                    if i < 2 * third
                    else CarryOverDecision.MERGE
                ),
                merge_code=f"2017-M{i // 3:04d}" if i >= 2 * third else "",
                merge_title=f"归并项目{i // 3}" if i >= 2 * third else "",
            )
            for i, p in enumerate(projects)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return staff, city, proposals


def main() -> int:
    args = parse_args()
    setup_django(args.database_url)
    from rest_framework.test import APIClient

    from proposals import services
    from proposals.api.serializers import ProposalSerializer
    from proposals.models import Proposal

    print(
        f"data: {args.proposals} proposals, {args.candidates} candidates x 6 steps, {args.projects} projects"
    )
    start = time.perf_counter()
    staff, city, proposals = generate(args)
    print(f"generated in {time.perf_counter() - start:.1f} s\n")
    failed = False

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host
    client = APIClient()
    client.force_authenticate(staff)
    api_queries = {}
    for size in (50, 500):

        def ours(size=size):
            response = client.get("/api/v1/proposals/", {"page_size": size})
            assert response.status_code == 200, response.content[:300]
            assert len(response.json()["results"]) == size

        def naive(size=size):
            rows = Proposal.objects.restrict(staff)[:size]
            assert len(ProposalSerializer(rows, many=True).data) == size

        t_ours, q_ours = timed(ours, args.repeat)
        t_naive, q_naive = timed(naive, args.repeat)
        api_queries[size] = q_ours
        print(
            f"API list, page of {size:>3}: ours {t_ours * 1000:7.1f} ms, {q_ours} queries | "
            f"naive serializer {t_naive * 1000:7.1f} ms, {q_naive} queries | {t_naive / t_ours:.1f}x"
        )
    if api_queries[50] != api_queries[500]:
        print("FAIL: the API's query count grows with the page size")
        failed = True

    traced = proposals[: min(200, len(proposals))]
    start = time.perf_counter()
    with counted() as box:
        for p in traced:
            story = services.trace(p)
    elapsed = time.perf_counter() - start
    per_call = elapsed / len(traced) * 1000
    print(
        f"\ntrace(): {per_call:.1f} ms and {box[0] / len(traced):.0f} queries per proposal "
        f"({len(story)} events each, {len(traced)} proposals)"
    )

    from projects.models import Project

    before = Project.objects.count()
    start = time.perf_counter()
    with counted() as box:
        result = services.rollover(city, 2016)
    first = time.perf_counter() - start
    created = Project.objects.count() - before
    start = time.perf_counter()
    again = services.rollover(city, 2016)
    second = time.perf_counter() - start
    print(
        f"\nrollover of {args.projects} projects: {first:.2f} s, {box[0]} queries ({result.summary()} "
        f"{created} projects created) | second run {second * 1000:.1f} ms, changed: {again.changed}"
    )
    if again.changed or Project.objects.count() != before + created:
        print("FAIL: the second rollover changed something")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
