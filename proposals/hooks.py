"""Where other apps feed the decision procedure, so that proposals depends on none of them.

The 公众参与 step copies a candidate's public-vote result. Voting depends on proposals (its options point at
candidates), so it registers its result function here (VotingConfig.ready) instead of proposals importing it.
"""

from collections.abc import Callable
from typing import Any

VoteResultSource = Callable[[Any], dict | None]

_vote_result_source: VoteResultSource | None = None


def register_vote_result(source: VoteResultSource) -> None:
    """Make `source(candidate)` the supplier of a candidate's public-vote result."""
    global _vote_result_source
    _vote_result_source = source


def candidate_result(candidate) -> dict | None:
    """The candidate's public-vote result ({"vote", "votes", "rank", "ballots"}) from the registered
    source, or None when it was never put to a vote or no app supplies vote results."""
    return _vote_result_source(candidate) if _vote_result_source else None
