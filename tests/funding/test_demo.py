"""The demo funding: seed 001's split of 7.79亿, totals equal to the entries, the checks it shows."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from funding import checks, summaries
from funding.models import FundingSource
from org.access import SYSTEM

pytestmark = pytest.mark.django_db

YI = Decimal("100000000")


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_funding_follows_the_seeds(demo):
    admin = SYSTEM  # every region (the demo has no superuser: issue 15)
    poverty = FundingSource.objects.filter(project__title="扶贫开发攻坚", project__plan__year=2016)
    assert dict(poverty.values_list("level", "planned")) == {
        "central": Decimal("0.91") * YI,
        "province": Decimal("3.17") * YI,
        "city": Decimal("1.75") * YI,
        "county": Decimal("1.96") * YI,
    }
    assert checks.reconcile(admin) == []
    t = summaries.totals(admin, year=2016, category="poverty")
    assert (t["planned_text"], t["arrived_text"], t["spent_text"]) == ("7.79亿元", "7.03亿元", "5.5亿元")
    (late,) = checks.matching_overdue(admin, as_of=datetime.date(2016, 10, 14))
    assert late.project.title == "扶贫开发攻坚"
    assert late.shortfall == Decimal("1.96") * YI
    # Poverty: the reported investment (5.5亿 by September) equals the money spent. 棚户区改造 reports 120亿
    # completed with only social capital arrived and nothing spent through the books: flagged.
    gaps = {g.project.title for g in checks.investment_gaps(admin, year=2016)}
    assert "扶贫开发攻坚" not in gaps
    assert "棚户区改造" in gaps
