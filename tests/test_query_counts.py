"""Query counts of every list: each GET endpoint of the OpenAPI schema without a path parameter and each page
of the URL configuration without one (not the admin, not POST-only actions), opened by the city's staff
with N rows of everything and again with 3N. The count must not grow with the rows (no N+1), and must not
grow over its baseline in tests/query_counts.json.

After a deliberate change (a new endpoint, a query more or fewer), rewrite the baseline with
`UPDATE_QUERY_BASELINE=1 pytest tests/test_query_counts.py` and commit the file with the change.
"""

import datetime
import json
import os
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from tests import factories as f
from tests.clients import VerifiedClient

BASELINE = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("UPDATE_QUERY_BASELINE") == "1"
N = 2
# "Today" as in the filing_day fixture: May of 2026 is being filed, so the lists of this year are full.
TODAY = datetime.datetime(2026, 6, 3, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
YEAR = TODAY.year
# Pages answered only to POST (tests/system/test_permission_matrix.py's POST_ONLY without a parameter).
POST_ONLY = {"logout", "filing:logout", "notifications:read_all", "twofactor:sms", "twofactor:recovery"}
# Lists that need a parameter to answer: the widest view (one row per project where there is a choice).
QUERY = {
    "/api/v1/funding/monthly/": f"?year={YEAR}",
    "/api/v1/funding/summary/": f"?year={YEAR}&by=project",
    "/api/v1/funding/totals/": f"?year={YEAR}",
}


def api_lists() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"].items()
    return sorted(path for path, operations in paths if "get" in operations and "{" not in path)


def pages() -> list[str]:
    def walk(resolver, prefix="", namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if route.startswith(("admin/", "api/", "static/", "media/")):
                    continue
                if not pattern.pattern.regex.groupindex:
                    yield ":".join(filter(None, [namespace, pattern.name]))

    return sorted(set(walk(get_resolver())) - POST_ONLY)


def populate(org, start: int, count: int) -> None:
    """`count` rows of every kind the lists show, in the city and in one of its counties."""
    for i in range(start, start + count):
        for region, lead in ((org.city, org.hrss), (org.lanshan, org.lanshan_gov)):
            project = f.ProjectFactory(
                plan__region=region,
                plan__year=YEAR,
                code=f"Q{i:02d}",
                lead_unit=lead,
                targets={"新增就业": "1000", "培训人数": "500"},
            )
            project.cooperating_units.add(org.edu)
            f.MilestoneFactory(project=project)
            f.ProgressReportFactory(project=project, month=4)
            f.ProgressReportFactory(project=project, month=5, values={"新增就业": "100"})  # lagging
            f.FundingSourceFactory(project=project)
            f.EntryFactory(project=project, recorded_by=org.staff)
            alert = f.AlertFactory(project=project)
            problem = f.ProblemFactory(project=project, alert=alert, recorded_by=org.staff)
            f.SupervisionOrderFactory(project=project, problem=problem, issued_by=org.staff, serial=100 + i)
            f.ProjectPublicationFactory(project=project)
        f.UnitFactory(region=org.city, name=f"测试局{i}")
        f.InspectionFactory(region=org.city, date=datetime.date(YEAR, 5, 10))
        collection = f.CollectionRoundFactory(
            region=org.city,
            year=YEAR + 1,
            opens_on=datetime.date(YEAR, 5, 1),
            closes_on=datetime.date(YEAR, 7, 31),
        )
        f.ProposalFactory(round=collection, proposer_unit=org.hrss)
        candidate = f.CandidateFactory(region=org.city, year=YEAR + 1)
        f.DecisionStepFactory(candidate=candidate)
        f.VoteFactory(
            region=org.city,
            year=YEAR + 1,
            opens_at=f.aware(YEAR, 6, 1),
            closes_at=f.aware(YEAR, 6, 30),
        )
        f.IssuedBulletinFactory(region=org.city, year=YEAR, month=i % 12 + 1, is_public=True)
        f.NotificationFactory(user=org.staff)


def measure(client: Client, urls: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """{key: (queries, status, size of the answer)} for each URL."""
    counts = {}
    for key, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[key] = (len(queries), response.status_code, len(response.content))
    return counts


def populate_by_the_clock(org, start: int, count: int) -> None:
    """populate() on a running clock before TODAY: rows get distinct times in the order they were made (the
    history page orders by time), so the same rows land on each page from run to run."""
    with time_machine.travel(TODAY - datetime.timedelta(hours=1), tick=True):
        populate(org, start, count)


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_rows_nor_over_the_baseline(org):
    urls = {path: path + QUERY.get(path, "") for path in api_lists()}
    urls |= {name: reverse(name) for name in pages()}
    client = VerifiedClient()
    client.force_login(org.staff)

    populate_by_the_clock(org, 0, N)
    with time_machine.travel(TODAY, tick=False):
        measure(client, urls)  # warm up: per-process caches (content types, the schema) fill on first use
        few = measure(client, urls)
    populate_by_the_clock(org, N, 2 * N)
    with time_machine.travel(TODAY, tick=False):
        many = measure(client, urls)

    problems = []
    for key in urls:
        (queries, status, _), (more_queries, more_status, _) = few[key], many[key]
        if status >= 400 or more_status >= 400:
            problems.append(f"{key}: answered {status}/{more_status} to the city's staff")
        if more_queries > queries:
            problems.append(f"{key}: {queries} queries with {N} of each, {more_queries} with {3 * N}")

    counts = {key: many[key][0] for key in urls}
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if UPDATE:
        BASELINE.write_text(json.dumps(counts, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        for key, count in counts.items():
            if key not in baseline:
                problems.append(f"{key}: no baseline (run with UPDATE_QUERY_BASELINE=1 and commit the file)")
            elif count > baseline[key]:
                problems.append(f"{key}: {count} queries, baseline {baseline[key]}")
        problems += [f"{key}: in the baseline, no longer a list" for key in baseline.keys() - counts.keys()]
    assert not problems, "\n".join(problems)

    # The lists did show the rows: most answers grew with them (a few show counts or a fixed window).
    grew = [key for key in urls if many[key][2] > few[key][2]]
    assert len(grew) > len(urls) * 2 // 3, sorted(set(urls) - set(grew))
