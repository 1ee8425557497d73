"""Casting ballots: the rules (window, choices, one per phone), the database's one-ballot guarantee under
real concurrent requests, tallies equal to ballots, results and ranks."""

import datetime
import threading

import pytest
from django.db import connection

from tests.fixtures.voting import phone
from voting.models import Ballot, BallotChoice, VoteOption
from voting.results import candidate_result, vote_result
from voting.services import AlreadyVoted, BallotError, cast_ballot

pytestmark = pytest.mark.django_db


def option_ids(vote):
    return list(vote.options.order_by("sequence").values_list("pk", flat=True))


def refused(vote, voter, options, **kwargs):
    with pytest.raises(BallotError) as caught:
        cast_ballot(vote, voter, options, **kwargs)
    return caught.value


def test_ballot_records_choices_and_a_receipt(make_vote, voting_open):
    vote = make_vote()
    a, b, *_ = option_ids(vote)
    ballot = cast_ballot(vote, phone(1), [b, a])
    assert ballot.receipt.startswith("TP")
    assert len(ballot.receipt) == 12
    assert ballot.phone_masked == "139****0001"
    assert sorted(ballot.choices.values_list("option_id", flat=True)) == [a, b]


@pytest.mark.parametrize(
    ("at", "code", "text"),
    [
        (datetime.datetime(2016, 10, 8, 8, 59, tzinfo=datetime.UTC), "vote_not_open", "投票尚未开始"),
        (datetime.datetime(2016, 10, 31, 16, 0, tzinfo=datetime.UTC), "vote_closed", "2016-11-01 00:00截止"),
    ],
)
def test_out_of_window_ballot_is_refused(make_vote, at, code, text):
    vote = make_vote()
    error = refused(vote, phone(1), option_ids(vote)[:1], now=at)
    assert error.code == code
    assert text in error.message
    assert not Ballot.objects.exists()


def test_choice_rules(make_vote, voting_open):
    vote = make_vote(max_choices=2)
    other = make_vote(["另一项目"], title="另一次投票")
    a, b, c, _ = option_ids(vote)
    assert refused(vote, phone(1), [a, b, c]).message == "每张选票最多可选2个项目，您选择了3个。"
    assert refused(vote, phone(1), []).code == "no_choice"
    assert refused(vote, phone(1), [a, a]).code == "repeated_choice"
    assert refused(vote, phone(1), [a, option_ids(other)[0]]).message == "所选项目不在本次投票的备选清单中。"
    assert refused(vote, phone(1), ["x"]).code == "unknown_option"
    assert not Ballot.objects.exists()
    assert not BallotChoice.objects.exists()


def test_second_ballot_of_a_phone_is_refused_and_changes_nothing(make_vote, voting_open):
    vote = make_vote()
    a, b, c, _ = option_ids(vote)
    first = cast_ballot(vote, phone(1), [a])
    error = refused(vote, phone(1), [b, c])
    assert isinstance(error, AlreadyVoted)
    assert error.status == 409
    assert "已参加过本次投票" in error.message
    assert list(Ballot.objects.values_list("receipt", flat=True)) == [first.receipt]
    assert list(BallotChoice.objects.values_list("option_id", flat=True)) == [a]


def test_the_same_phone_may_vote_in_another_vote(make_vote, voting_open):
    vote, other = make_vote(), make_vote(["另一项目"], title="另一次投票")
    cast_ballot(vote, phone(1), option_ids(vote)[:1])
    cast_ballot(other, phone(1), option_ids(other))
    assert Ballot.objects.count() == 2


def test_a_refused_ballot_does_not_run_the_verification(make_vote, voting_open):
    vote = make_vote(max_choices=1)
    calls = []
    refused(vote, phone(1), option_ids(vote)[:2], verify=lambda: calls.append(1))
    assert calls == []
    cast_ballot(vote, phone(1), option_ids(vote)[:1], verify=lambda: calls.append(1))
    assert calls == [1]
    # A phone that voted already is refused before its code is looked at.
    refused(vote, phone(1), option_ids(vote)[1:2], verify=lambda: calls.append(2))
    assert calls == [1]


@pytest.mark.django_db(transaction=True)
def test_with_unverify_the_code_is_checked_first_and_given_back_when_the_ballot_is_refused(
    make_vote, voting_open
):
    vote = make_vote()
    a, b, *_ = option_ids(vote)
    calls = []
    check, give_back = (lambda: calls.append("verify")), (lambda: calls.append("give back"))
    cast_ballot(vote, phone(1), [a], verify=check, unverify=give_back)
    assert calls == ["verify"]
    error = refused(vote, phone(1), [b], verify=check, unverify=give_back)
    assert isinstance(error, AlreadyVoted)
    assert calls == ["verify", "verify", "give back"]
    assert list(BallotChoice.objects.values_list("option_id", flat=True)) == [a]


@pytest.mark.django_db(transaction=True)
def test_with_unverify_a_failed_check_writes_nothing_and_gives_nothing_back(make_vote, voting_open):
    from verification.services import VerificationError

    vote = make_vote()
    calls = []

    def wrong_code():
        raise VerificationError("验证码错误，还可尝试4次。", code="code_wrong")

    with pytest.raises(VerificationError):
        cast_ballot(vote, phone(1), option_ids(vote)[:1], verify=wrong_code, unverify=lambda: calls.append(1))
    assert calls == []
    assert not Ballot.objects.exists()


def test_a_failed_verification_rolls_the_ballot_back(make_vote, voting_open):
    from verification.services import VerificationError

    vote = make_vote()

    def wrong_code():
        raise VerificationError("验证码错误，还可尝试4次。", code="code_wrong")

    with pytest.raises(VerificationError):
        cast_ballot(vote, phone(1), option_ids(vote)[:2], verify=wrong_code)
    assert not Ballot.objects.exists()
    assert not BallotChoice.objects.exists()


def test_results_count_the_ballots_with_shared_ranks(make_vote, voting_open):
    vote = make_vote(max_choices=2)
    a, b, c, d = option_ids(vote)
    for n, choice in enumerate([[a, b], [a, c], [b], [a], [c, b]]):
        cast_ballot(vote, phone(n), choice)
    result = vote_result(vote)
    assert result.ballots == 5
    ranked = [(r.option.pk, r.votes, r.rank) for r in result.options]
    assert ranked == [(a, 3, 1), (b, 3, 1), (c, 2, 3), (d, 0, 4)]
    assert [r.share_display for r in result.options] == ["60.0%", "60.0%", "40.0%", "0.0%"]
    assert sum(r.votes for r in result.options) == BallotChoice.objects.filter(ballot__vote=vote).count()
    candidate = VoteOption.objects.get(pk=c).candidate
    assert candidate_result(candidate) == {"vote": vote.title, "votes": 2, "rank": 3, "ballots": 5}


def test_candidate_never_voted_on_has_no_result(make_vote):
    from proposals.models import Candidate

    make_vote()
    region = VoteOption.objects.first().vote.region
    loose = Candidate.objects.create(region=region, year=2017, title="未投票项目")
    assert candidate_result(loose) is None


def test_phone_columns_hold_only_hash_and_mask(make_vote, voting_open):
    vote = make_vote()
    cast_ballot(vote, phone(42), option_ids(vote)[:1])
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone_hash, phone_masked FROM voting_ballot")
        ((digest, masked),) = cursor.fetchall()
    assert len(digest) == 64
    assert masked == "139****0042"


# -- real concurrency against PostgreSQL -----------------------------------------------------------------


def run_concurrently(count, work):
    """Run work(i) in `count` threads released together; each thread has its own database connection."""
    from django.db import connections

    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def target(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_ballots_of_one_phone_leave_exactly_one(make_vote, voting_open):
    vote = make_vote(max_choices=2)
    ids = option_ids(vote)
    outcomes = run_concurrently(12, lambda i: cast_ballot(vote, phone(7), [ids[i % 4]]))
    accepted = [o for o in outcomes if isinstance(o, Ballot)]
    assert len(accepted) == 1
    assert all(isinstance(o, AlreadyVoted) for o in outcomes if o not in accepted)
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert BallotChoice.objects.filter(ballot__vote=vote).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_ballots_of_many_phones_are_all_counted(make_vote, voting_open):
    vote = make_vote(max_choices=2)
    a, b, c, d = option_ids(vote)
    papers = [[a, b], [c], [a, d], [b]]
    outcomes = run_concurrently(24, lambda i: cast_ballot(vote, phone(100 + i), papers[i % 4]))
    assert all(isinstance(o, Ballot) for o in outcomes)
    result = vote_result(vote)
    assert result.ballots == 24 == Ballot.objects.filter(vote=vote).count()
    assert {r.option.pk: r.votes for r in result.options} == {a: 12, b: 12, c: 6, d: 6}


def test_candidate_result_comes_from_the_latest_closed_vote(make_vote, voting_open):
    september = datetime.datetime(2016, 9, 10, tzinfo=datetime.UTC)
    earlier = make_vote(
        title="九月投票", opens_at=september, closes_at=september + datetime.timedelta(days=5), max_choices=1
    )
    make_vote(title="十月投票", results_live=True)  # open now: not the one a decision step cites
    first = earlier.options.order_by("sequence").first()
    cast_ballot(earlier, phone(1), [first.pk], now=september + datetime.timedelta(days=1))
    assert candidate_result(first.candidate) == {"vote": "九月投票", "votes": 1, "rank": 1, "ballots": 1}
