"""Tallies of a vote, counted from the ballots' choices, with ranks; and one candidate's result."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from minsheng.formatting import percent

from .models import Ballot, BallotChoice, Vote, VoteOption


@dataclass(frozen=True)
class OptionResult:
    """One option's votes, share of ballots and rank (1 = most votes; ties share a rank)."""

    option: VoteOption
    votes: int
    rank: int
    ballots: int
    share: float  # of ballots, 0..1

    @property
    def share_display(self) -> str:
        return percent(Decimal(self.votes) / self.ballots if self.ballots else None)

    @property
    def bar_width(self) -> int:
        """The share as a whole percentage, for a bar's CSS width."""
        return round(self.share * 100)


@dataclass(frozen=True)
class VoteResult:
    vote: Vote
    ballots: int
    options: list[OptionResult]  # by rank, then by ballot order


def vote_result(vote: Vote) -> VoteResult:
    """The vote's tallies in two queries (options, then choices counted per option) plus the ballot count."""
    options = list(vote.options.select_related("candidate"))
    counts = BallotChoice.objects.filter(option__vote=vote).tallies()
    ballots = Ballot.objects.filter(vote=vote).count()
    ordered = sorted(options, key=lambda o: (-counts.get(o.pk, 0), o.sequence, o.pk))
    results, rank, previous = [], 0, None
    for position, option in enumerate(ordered, start=1):
        votes = counts.get(option.pk, 0)
        if votes != previous:
            rank, previous = position, votes
        results.append(OptionResult(option, votes, rank, ballots, votes / ballots if ballots else 0.0))
    return VoteResult(vote, ballots, results)


def candidate_result(candidate) -> dict | None:
    """The candidate's result in its latest closed vote (or, if none has closed, its latest vote):
    {"vote": title, "votes": n, "rank": r, "ballots": total}, or None when it was never put to a vote.
    Attached to the 公众参与 decision step."""
    options = VoteOption.objects.filter(candidate=candidate).select_related("vote")
    now = timezone.now()
    option = (
        options.filter(vote__closes_at__lte=now).order_by("-vote__closes_at", "-vote__pk").first()
        or options.order_by("-vote__closes_at", "-vote__pk").first()
    )
    if option is None:
        return None
    result = vote_result(option.vote)
    mine = next(r for r in result.options if r.option.pk == option.pk)
    return {"vote": option.vote.title, "votes": mine.votes, "rank": mine.rank, "ballots": result.ballots}
