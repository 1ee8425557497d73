"""Casting a ballot: the one workflow step of the public vote."""

import logging
import time
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from minsheng.errors import DomainError
from verification.errors import VerificationErrorCode
from verification.services import VerificationError, VerifiedPhone

from .errors import VotingErrorCode
from .models import Ballot, BallotChoice, Vote, VoteOption, new_receipt

logger = logging.getLogger(__name__)


class BallotError(DomainError):
    """A ballot was refused; nothing was recorded."""

    code = VotingErrorCode.BALLOT_REFUSED


def check_choices(vote: Vote, option_ids, titles: dict[int, str] | None = None) -> dict[int, str]:
    """The chosen options {id: candidate title} in ballot order, or BallotError (none, repeated, too many,
    not on the paper). `titles` ({id: title} of the chosen options found on the vote's paper) saves the
    query when the caller read them already (ballot_paper)."""
    try:
        chosen = [int(pk) for pk in option_ids]
    except (TypeError, ValueError):
        raise BallotError("所选项目无效。", code=VotingErrorCode.UNKNOWN_OPTION, field="options") from None
    if not chosen:
        raise BallotError("请至少选择1个项目。", code=VotingErrorCode.NO_CHOICE, field="options")
    if len(set(chosen)) != len(chosen):
        raise BallotError("同一项目只能选择一次。", code=VotingErrorCode.REPEATED_CHOICE, field="options")
    if len(chosen) > vote.max_choices:
        raise BallotError(
            f"每张选票最多可选{vote.max_choices}个项目，您选择了{len(chosen)}个。",
            code=VotingErrorCode.TOO_MANY_CHOICES,
            field="options",
        )
    if titles is None:
        titles = dict(vote.options.filter(pk__in=chosen).values_list("pk", "candidate__title"))
    if any(pk not in titles for pk in chosen):
        raise BallotError(
            "所选项目不在本次投票的备选清单中。", code=VotingErrorCode.UNKNOWN_OPTION, field="options"
        )
    return {pk: titles[pk] for pk in chosen}


BALLOT_VOTE_FIELDS = ["id", "title", "opens_at", "closes_at", "max_choices"]
PAPER_TTL = 5.0  # seconds a process keeps a vote's ballot paper (ballot_paper)
_papers: dict[int, tuple[float, Vote, dict[int, str]]] = {}


def ballot_paper(vote_id: int, *, fresh: bool = False) -> tuple[Vote | None, dict[int, str]]:
    """The published vote `vote_id` (None if there is none) with only the fields a ballot needs, and its
    options {id: candidate title}: one query, kept by the process for PAPER_TTL seconds.

    This is the start of every ballot through the API, the public vote's hot path (bench/ballots.py). A copy
    up to five seconds old is safe: on PostgreSQL the ballot's INSERT checks the window and the options
    again (_INSERT_BALLOT), so a vote closed or changed meanwhile refuses the ballot all the same, and
    cast_ballot then reads the paper afresh to say why."""
    now = time.monotonic()
    cached = None if fresh else _papers.get(vote_id)
    if cached is not None and cached[0] > now:
        return cached[1], cached[2]
    candidate_table = VoteOption._meta.get_field("candidate").related_model._meta.db_table
    sql = f"""
        SELECT v.id, v.title, v.opens_at, v.closes_at, v.max_choices, o.id, c.title
        FROM {Vote._meta.db_table} v
        JOIN {VoteOption._meta.db_table} o ON o.vote_id = v.id
        JOIN {candidate_table} c ON c.id = o.candidate_id
        WHERE v.id = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [vote_id])
        rows = cursor.fetchall()
    if not rows:  # no such vote, or one without options: not published
        _papers.pop(vote_id, None)
        return None, {}
    vote = Vote.from_db(connection.alias, BALLOT_VOTE_FIELDS, rows[0][:5])
    titles = {row[5]: row[6] for row in rows}
    if len(_papers) > 100:
        _papers.clear()
    _papers[vote_id] = (now + PAPER_TTL, vote, titles)
    return vote, titles


def check_open(vote: Vote, now=None) -> None:
    """BallotError unless the vote accepts ballots at `now`."""
    phase = vote.phase(now)
    if phase == "upcoming":
        raise BallotError(
            f"投票尚未开始（{timezone.localtime(vote.opens_at):%Y-%m-%d %H:%M}开始）。",
            code=VotingErrorCode.VOTE_NOT_OPEN,
        )
    if phase == "closed":
        raise BallotError(
            f"投票已于{timezone.localtime(vote.closes_at):%Y-%m-%d %H:%M}截止。",
            code=VotingErrorCode.VOTE_CLOSED,
        )


class PaperChanged(BallotError):
    """The vote changed while a ballot was cast (window or options); nothing was recorded."""

    code = VotingErrorCode.VOTE_CHANGED

    def __init__(self):
        super().__init__("投票信息刚刚有变动，请刷新页面后重新投票。")


class AlreadyVoted(BallotError):
    """The phone has a ballot in this vote already."""

    code = VotingErrorCode.ALREADY_VOTED
    status = 409

    def __init__(self):
        super().__init__("该手机号已参加过本次投票，每个手机号只能投一次。")


def cast_ballot(
    vote: Vote,
    phone: VerifiedPhone,
    option_ids,
    *,
    verify: Callable[[], object] | None = None,
    unverify: Callable[[], object] | None = None,
    now=None,
    titles: dict[int, str] | None = None,
) -> Ballot:
    """Record `phone`'s ballot for the options `option_ids`; BallotError (nothing written) when the vote is
    not open, the choices are wrong, or the phone has voted already.

    `verify` checks the one-time code of a phone that is not verified yet; a ballot refused for another
    reason must not use the code up. Two ways to keep that:

    - `verify` alone runs inside the transaction, after the ballot is written and before it commits, so a
      failed check rolls the ballot back and a refused ballot never reaches it;
    - with `unverify` (giving the code back), `verify` runs first and the ballot is then written in one
      statement without a transaction of its own; when the ballot is refused after all (the phone voted
      already, the vote changed), `unverify` runs. On PostgreSQL that saves the BEGIN and COMMIT round
      trips: the API's hot path (voting/api/fastpath.py) takes it.

    The vote row is not locked: inserting the ballot takes PostgreSQL's key-share lock on it through the
    foreign key, which keeps the vote from being deleted but lets ballots go in side by side. One ballot
    per phone is the database's unique constraint, not a check made beforehand.
    """
    now = now or timezone.now()
    check_open(vote, now)
    chosen = check_choices(vote, option_ids, titles)
    single = unverify is not None and not connection.in_atomic_block
    try:
        if single:
            if verify is not None:
                _verify_first(verify, vote, phone)
            ballot = _insert_ballot(vote, phone, list(chosen), now)
            if ballot is None:
                raise PaperChanged()
        else:
            with transaction.atomic():
                ballot = _insert_ballot(vote, phone, list(chosen), now)
                if ballot is None:
                    raise PaperChanged()
                if verify is not None:
                    verify()
    except IntegrityError as error:
        if single and unverify is not None:
            unverify()
        if has_voted(vote, phone):
            raise AlreadyVoted() from None
        raise error
    except PaperChanged:
        if single and unverify is not None:
            unverify()
        # The vote closed or its options changed since `vote` was read: say what is wrong now.
        fresh, titles = ballot_paper(vote.pk, fresh=True)
        if fresh is None:
            raise BallotError("本次投票已撤销。", code=VotingErrorCode.VOTE_WITHDRAWN) from None
        check_open(fresh, now)
        check_choices(fresh, option_ids, titles)
        raise
    ballot.option_titles = list(chosen.values())
    logger.info("ballot %s cast in vote %s by %s", ballot.receipt, vote.pk, phone.masked)
    return ballot


def _verify_first(verify: Callable[[], object], vote: Vote, phone: VerifiedPhone) -> None:
    """Check the code before the ballot is written. A used-up code from a phone that has voted already
    is most likely the same ballot sent twice: say that it counted, not that the code is spent."""
    try:
        verify()
    except VerificationError as error:
        if error.code == VerificationErrorCode.CODE_EXPIRED and has_voted(vote, phone):
            raise AlreadyVoted() from None
        raise


# The ballot and its choices in one statement, inserted only if the vote is open at `now` and every chosen
# option is on its paper: the checks cast_ballot made on a copy of the vote, made again on the rows. The
# table names are filled in once, at import, not per ballot.
_INSERT_BALLOT = f"""
    WITH chosen AS (
        SELECT unnest(%(options)s::bigint[]) AS option_id
    ), ballot AS (
        INSERT INTO {Ballot._meta.db_table} (vote_id, phone_hash, phone_masked, receipt, cast_at)
        SELECT v.id, %(hash)s, %(masked)s, %(receipt)s, %(now)s
        FROM {Vote._meta.db_table} v
        WHERE v.id = %(vote)s AND v.opens_at <= %(now)s AND v.closes_at > %(now)s
            AND v.max_choices >= (SELECT count(*) FROM chosen)
            AND (
                SELECT count(*) FROM {VoteOption._meta.db_table} o JOIN chosen ON o.id = chosen.option_id
                WHERE o.vote_id = v.id
            ) = (SELECT count(*) FROM chosen)
        RETURNING id
    ), choices AS (
        INSERT INTO {BallotChoice._meta.db_table} (ballot_id, option_id)
        SELECT ballot.id, chosen.option_id FROM ballot, chosen
    )
    SELECT id FROM ballot
"""


def _insert_ballot(vote: Vote, phone: VerifiedPhone, option_ids: list[int], now) -> Ballot | None:
    """The ballot and its choices in one guarded statement (one round trip, no ORM query building on the
    hot path); None when the guard finds the vote closed or the options off its paper."""
    ballot = Ballot(
        vote=vote, phone_hash=phone.hash, phone_masked=phone.masked, receipt=new_receipt(), cast_at=now
    )
    params = {
        "hash": ballot.phone_hash,
        "masked": ballot.phone_masked,
        "receipt": ballot.receipt,
        "now": now,
        "vote": vote.pk,
        "options": option_ids,
    }
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_BALLOT, params)
        row = cursor.fetchone()
    if row is None:
        return None
    ballot.pk = row[0]
    ballot._state.adding = False
    ballot._state.db = connection.alias
    return ballot


def has_voted(vote: Vote, phone: VerifiedPhone) -> bool:
    return Ballot.objects.filter(vote=vote, phone_hash=phone.hash).exists()
