"""Two disbursements entered at the same moment cannot together exceed what arrived (real PostgreSQL)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from funding import services
from funding.models import Entry, FundingSource
from minsheng.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


def disbursing(org, project, level, amount):
    def disburse():
        return services.record_disbursement(
            project,
            level=level,
            amount=amount,
            date=datetime.date(2016, 3, 2),
            recipient_unit=org.hrss,
            actor=org.staff,
        )

    return disburse


def run_at_once(jobs):
    """Run callables in threads with their own database connections, released together by a barrier."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_concurrent_disbursements_cannot_exceed_arrivals(org, make_project, attempt):
    project = make_project()
    services.record_arrival(
        project, level="central", amount="1000", date=datetime.date(2016, 3, 1), actor=org.staff
    )

    disburse = disbursing(org, project, "central", "600")
    results = run_at_once([disburse, disburse])
    refused = [r for r in results if isinstance(r, DomainError)]
    done = [r for r in results if isinstance(r, Entry)]
    assert len(done) == 1, results
    assert len(refused) == 1, results
    assert refused[0].code == "disbursement_exceeds_arrival"
    source = FundingSource.objects.get(project=project, level="central")
    assert (source.arrived, source.disbursed) == (Decimal("1000"), Decimal("600"))
    assert Entry.objects.filter(kind="disbursement").count() == 1


def test_concurrent_disbursements_that_fit_are_all_applied(org, make_project):
    project = make_project()
    services.record_arrival(
        project, level="city", amount="1000", date=datetime.date(2016, 3, 1), actor=org.staff
    )

    results = run_at_once([disbursing(org, project, "city", "250")] * 4)
    assert all(isinstance(r, Entry) for r in results), results
    assert FundingSource.objects.get(project=project, level="city").disbursed == Decimal("1000")


def test_first_entries_of_a_level_created_concurrently_share_one_row(org, make_project):
    project = make_project()

    def arrive():
        return services.record_arrival(
            project, level="social", amount="100", date=datetime.date(2016, 3, 1), actor=org.staff
        )

    results = run_at_once([arrive] * 3)
    assert all(isinstance(r, Entry) for r in results), results
    assert FundingSource.objects.get(project=project, level="social").arrived == Decimal("300")
