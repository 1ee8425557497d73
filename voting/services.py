"""Casting a ballot: the one workflow step of the public vote."""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from minsheng.errors import DomainError

from .models import Ballot, BallotChoice, Vote
from .verification import VerifiedPhone

logger = logging.getLogger(__name__)


class BallotError(DomainError):
    """A ballot was refused; nothing was recorded."""

    code = "ballot_refused"


def check_choices(vote: Vote, option_ids) -> dict[int, str]:
    """The chosen options {id: candidate title} in ballot order, or BallotError (none, repeated, too many,
    not on the paper)."""
    try:
        chosen = [int(pk) for pk in option_ids]
    except (TypeError, ValueError):
        raise BallotError("所选项目无效。", code="unknown_option", field="options") from None
    if not chosen:
        raise BallotError("请至少选择1个项目。", code="no_choice", field="options")
    if len(set(chosen)) != len(chosen):
        raise BallotError("同一项目只能选择一次。", code="repeated_choice", field="options")
    if len(chosen) > vote.max_choices:
        raise BallotError(
            f"每张选票最多可选{vote.max_choices}个项目，您选择了{len(chosen)}个。",
            code="too_many_choices",
            field="options",
        )
    titles = dict(vote.options.filter(pk__in=chosen).values_list("pk", "candidate__title"))
    if len(titles) != len(chosen):
        raise BallotError("所选项目不在本次投票的备选清单中。", code="unknown_option", field="options")
    return {pk: titles[pk] for pk in chosen}


def check_open(vote: Vote, now=None) -> None:
    """BallotError unless the vote accepts ballots at `now`."""
    phase = vote.phase(now)
    if phase == "upcoming":
        raise BallotError(
            f"投票尚未开始（{timezone.localtime(vote.opens_at):%Y-%m-%d %H:%M}开始）。", code="vote_not_open"
        )
    if phase == "closed":
        raise BallotError(
            f"投票已于{timezone.localtime(vote.closes_at):%Y-%m-%d %H:%M}截止。", code="vote_closed"
        )


class AlreadyVoted(BallotError):
    """The phone has a ballot in this vote already."""

    code = "already_voted"
    status = 409

    def __init__(self):
        super().__init__("该手机号已参加过本次投票，每个手机号只能投一次。")


def cast_ballot(
    vote: Vote, phone: VerifiedPhone, option_ids, *, verify: Callable[[], object] | None = None, now=None
) -> Ballot:
    """Record `phone`'s ballot for the options `option_ids`; BallotError (nothing written) when the vote is
    not open, the choices are wrong, or the phone has voted already.

    `verify` (checking the one-time code of a phone that is not verified yet) runs inside the transaction,
    after the ballot is written and before it commits: a ballot refused for any other reason does not use
    up the voter's code, and a failed check rolls the ballot back.

    The vote row is not locked: inserting the ballot takes PostgreSQL's key-share lock on it through the
    foreign key, which keeps the vote from being deleted but lets ballots go in side by side. One ballot
    per phone is the database's unique constraint, not a check made beforehand.
    """
    now = now or timezone.now()
    check_open(vote, now)
    chosen = check_choices(vote, option_ids)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                vote=vote, phone_hash=phone.hash, phone_masked=phone.masked, cast_at=now
            )
            BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, option_id=pk) for pk in chosen])
            if verify is not None:
                verify()
    except IntegrityError as error:
        if Ballot.objects.filter(vote=vote, phone_hash=phone.hash).exists():
            raise AlreadyVoted() from None
        raise error
    ballot.option_titles = list(chosen.values())
    logger.info("ballot %s cast in vote %s by %s", ballot.receipt, vote.pk, phone.masked)
    return ballot


def has_voted(vote: Vote, phone: VerifiedPhone) -> bool:
    return Ballot.objects.filter(vote=vote, phone_hash=phone.hash).exists()
