"""Demo data of the public vote: 临沂市's online vote on its 2016 candidate list (proposals/demo.py), closed,
with a reproducible set of ballots; the 公众参与 steps of the candidates carry its result; and an always-open
practice vote over the same list so that the voting pages can be tried.

What the seeds give: the vote by SMS/web on the 备选民生实事 and "一人一票" with a maximum number of choices
(seed 002, 三). What this demo assumes: the window (late October to mid November 2015, before 公众参与 was
recorded on 20 November), five choices per ballot, 240 voters with made-up phone numbers (kept only hashed
and masked) and their choices, drawn from a fixed seed.
"""

import datetime
import random

from django.utils import timezone

from minsheng.codes import random_code
from minsheng.phones import hash_phone, mask_phone
from projects.demo.org import LINYI
from proposals.choices import DecisionStage
from proposals.models import Candidate, DecisionStep

from .models import RECEIPT_LENGTH, Ballot, BallotChoice, Vote, VoteOption
from .results import vote_result

SEEDED_MODELS = [Vote, VoteOption, Ballot, BallotChoice]

VOTERS = 240
SEED = 2015


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


VOTE = {
    "title": "2016年临沂市民生大事备选项目网上投票",
    "description": (
        "从征集到的建议中梳理出11项备选民生大事，现面向社会公开投票。每个手机号限投一票，每票最多选5项。"
        "投票结果将作为“公众参与”环节的依据，提请市政府常务会议研究确定。（投票数据为演示数据）"
    ),
    "opens_at": at(2015, 10, 26, 9),
    "closes_at": at(2015, 11, 15, 18),
    "max_choices": 5,
    "results_live": False,
}
PRACTICE = {
    "title": "（演示）民生实事网上投票体验",
    "description": (
        "供体验投票流程的演示投票，选项为2016年临沂市备选民生大事。验证码在开发环境中打印在控制台。"
    ),
    "opens_at": at(2026, 1, 1, 0),
    "closes_at": at(2030, 12, 31, 18),
    "max_choices": 3,
    "results_live": True,
}


def load(loader) -> None:
    """Write the two votes, their options, the closed vote's ballots, and its result into 公众参与."""
    region = loader.regions[LINYI]
    candidates = list(Candidate.objects.filter(region=region, year=2016).order_by("sequence", "pk"))
    if not candidates:
        return
    vote = _vote(loader, region, VOTE, candidates)
    if loader.is_fresh(vote):
        _ballots(loader, vote)
    else:  # the ballots of a vote from an earlier run are its own: kept, and not read one by one
        loader.keep(Ballot, Ballot.objects.filter(vote=vote).count())
    _vote(loader, region, PRACTICE, candidates)
    result = {r.option.candidate_id: r for r in vote_result(vote).options}
    total = Ballot.objects.filter(vote=vote).count()
    for step in DecisionStep.objects.filter(candidate__in=candidates, stage=DecisionStage.PARTICIPATION):
        row = result[step.candidate_id]
        loader.upsert(
            DecisionStep,
            {"pk": step.pk},
            vote_title=vote.title,
            votes=row.votes,
            rank=row.rank,
            ballots=total,
        )


def _vote(loader, region, values, candidates) -> Vote:
    lookup = {"region": region, "year": 2016, "title": values["title"]}
    vote = loader.upsert(Vote, lookup, **{k: v for k, v in values.items() if k != "title"})
    for sequence, candidate in enumerate(candidates, start=1):
        loader.upsert(VoteOption, {"vote": vote, "candidate": candidate}, sequence=sequence)
    return vote


def _ballots(loader, vote: Vote) -> None:
    rng = random.Random(SEED)
    options = list(vote.options.order_by("sequence"))
    # Earlier items on the list (the ones that became the ten big items) draw more votes.
    weights = [len(options) - i + 3 for i in range(len(options))]
    span = int((vote.closes_at - vote.opens_at).total_seconds())
    for n in range(VOTERS):
        phone = f"1990000{n:04d}"  # made-up numbers
        count = rng.randint(1, vote.max_choices)
        chosen: list = []
        while len(chosen) < count:
            option = rng.choices(options, weights)[0]
            if option not in chosen:
                chosen.append(option)
        receipt = random_code("TP", RECEIPT_LENGTH, rng=rng)
        ballot = loader.upsert(
            Ballot,
            {"vote": vote, "phone_hash": hash_phone(phone)},
            phone_masked=mask_phone(phone),
            receipt=receipt,
            cast_at=vote.opens_at + datetime.timedelta(seconds=rng.randrange(span)),
        )
        for option in chosen:
            loader.upsert(BallotChoice, {"ballot": ballot, "option": option})


def load_current(loader, current) -> None:
    """The demo year's vote on next year's candidates (proposals/demo.py), open from two days before `today`
    to three weeks after; an existing vote of that year is kept as it is."""
    region = loader.regions[LINYI]
    year = current.today.year + 1
    if Vote.objects.filter(region=region, year=year).exists():
        loader.keep(Vote)
        return
    candidates = list(Candidate.objects.filter(region=region, year=year).order_by("sequence", "pk"))
    if not candidates:
        return
    today = datetime.datetime.combine(current.today, datetime.time(9))
    vote = loader.upsert(
        Vote,
        {"region": region, "year": year, "title": f"{year}年临沂市民生实事备选项目网上投票"},
        description=(
            f"{year}年民生实事征集中梳理出的备选项目，现面向社会公开投票。每个手机号限投一票，每票最多选2项。"
            "（演示数据）"
        ),
        opens_at=timezone.make_aware(today - datetime.timedelta(days=2)),
        closes_at=timezone.make_aware(today + datetime.timedelta(days=21)),
        max_choices=2,
        results_live=True,
    )
    for sequence, candidate in enumerate(candidates, start=1):
        loader.upsert(VoteOption, {"vote": vote, "candidate": candidate}, sequence=sequence)
