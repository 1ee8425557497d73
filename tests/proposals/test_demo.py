"""The proposals demo: drawn from the seeds (临沂 2016's ten items as approved candidates with the full
procedure, 庐阳 2017's carry-over decisions), idempotent, and its rollover runs."""

import io

import pytest
from django.core.management import call_command

from projects.models import Project
from proposals import services
from proposals.choices import DECISION_ORDER, CandidateStatus, DecisionStage, ProposalStatus
from proposals.models import Candidate, CarryOver, DecisionStep, Proposal, ProposalAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_linyi_items_were_chosen_through_the_procedure(seeded):
    approved = Candidate.objects.filter(year=2016, status=CandidateStatus.APPROVED).select_related("project")
    assert approved.count() == 10
    assert {c.project.plan.name for c in approved} == {"2016年临沂市十件民生大事"}
    assert all(c.title == c.project.title for c in approved)
    for candidate in approved:
        assert list(candidate.steps.values_list("stage", flat=True)) == list(DECISION_ORDER)
    stopped = Candidate.objects.get(status=CandidateStatus.REJECTED)
    assert stopped.steps.last().stage == DecisionStage.EXPERT
    assert Proposal.objects.filter(round__year=2016, status=ProposalStatus.DECLINED).get().decline_reason


def test_merged_citizen_proposal_traces_to_its_project(seeded):
    proposal = Proposal.objects.get(source="portal", status=ProposalStatus.MERGED)
    assert proposal.phone_masked == "138****0001"
    story = services.trace(proposal)
    assert story[-1].kind == "project"
    assert story[-1].obj.title == "解决城市交通拥堵"


def test_second_seed_writes_nothing(seeded):
    counts = {m: m.objects.count() for m in (Proposal, ProposalAction, Candidate, DecisionStep, CarryOver)}
    history = Candidate.history.count() + Proposal.history.count() + DecisionStep.history.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert {m: m.objects.count() for m in counts} == counts
    assert Candidate.history.count() + Proposal.history.count() + DecisionStep.history.count() == history


def test_luyang_rollover_from_the_demo(seeded):
    assert CarryOver.objects.filter(project__plan__region__code="340103").count() == 8
    call_command("rollover", region="340103", year=2017, stdout=io.StringIO())
    next_year = Project.objects.filter(plan__region__code="340103", plan__year=2018)
    assert sorted(next_year.values_list("code", flat=True)) == [
        "2018-D01",
        "2018-D02",
        "2018-D03",
        "2018-D05",
        "2018-D06",
        "2018-D07",
    ]
