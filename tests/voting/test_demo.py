"""The vote demo: 临沂市's closed 2016 vote with its ballots, results copied into 公众参与, idempotent."""

import io

import pytest
from django.core.management import call_command

from fixtures.demo import voting as demo
from proposals.choices import DecisionStage
from proposals.models import DecisionStep
from voting.models import Ballot, BallotChoice, Vote
from voting.results import candidate_result, vote_result

pytestmark = pytest.mark.django_db


def test_demo_vote_ballots_and_results():
    call_command("seed_demo", stdout=io.StringIO())
    vote = Vote.objects.get(title=demo.VOTE["title"])
    assert vote.phase() == "closed"
    assert vote.options.count() == 11
    assert Ballot.objects.filter(vote=vote).count() == demo.VOTERS
    result = vote_result(vote)
    assert result.ballots == demo.VOTERS
    per_ballot = BallotChoice.objects.filter(ballot__vote=vote).count()
    assert sum(r.votes for r in result.options) == per_ballot
    assert all(1 <= b.choices.count() <= 5 for b in Ballot.objects.filter(vote=vote)[:50])
    steps = DecisionStep.objects.filter(stage=DecisionStage.PARTICIPATION, candidate__votes=vote)
    assert steps.count() == 11
    for step in steps.select_related("candidate"):
        figures = candidate_result(step.candidate)
        assert figures["vote"] == step.vote_title == vote.title
        assert (figures["votes"], figures["rank"], figures["ballots"]) == (
            step.votes,
            step.rank,
            step.ballots,
        )
    practice = Vote.objects.get(title=demo.PRACTICE["title"])
    assert practice.results_live
    assert practice.options.count() == 11

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "未作修改" in out.getvalue()
