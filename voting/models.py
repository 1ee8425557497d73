"""Public votes on the candidate list (备选民生实事): votes, their options, ballots and the choices on them.

One ballot per verified phone per vote is a database constraint (`ballot_one_per_phone`), so concurrent
submissions for the same phone leave exactly one ballot. Tallies are counted from the choices, never kept
in a counter of their own, so they always equal the ballots.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from minsheng.codes import random_code
from org.access import Reach, RestrictedQuerySet

RECEIPT_LENGTH = 10


def new_receipt() -> str:
    """A random receipt code such as "TP7K3M9QX2A4" (prefix TP = 投票)."""
    return random_code("TP", RECEIPT_LENGTH)


class VoteQuerySet(RestrictedQuerySet):
    # In the admin: votes of the user's region and below (filers see none).
    reach = Reach(region="region__path")

    def published(self):
        """Votes the public may see: those with options (a vote being prepared stays hidden)."""
        has_options = models.Exists(VoteOption.objects.filter(vote=models.OuterRef("pk")))
        return self.filter(has_options).order_by("-opens_at", "-pk")


class Vote(models.Model):
    """A public vote on a region's candidate list for a plan year: window, choices per ballot, publication."""

    region = models.ForeignKey(
        "org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="votes"
    )
    year = models.PositiveSmallIntegerField(
        "计划年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("投票名称", max_length=200)
    description = models.TextField("投票说明", blank=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间", help_text="截止时间起不再接受投票。")
    max_choices = models.PositiveSmallIntegerField(
        "每票最多可选", default=10, validators=[MinValueValidator(1)], help_text="每张选票最多可选的项目数。"
    )
    results_live = models.BooleanField(
        "实时公布结果", default=False, help_text="勾选则投票期间即公开得票情况；否则截止后公开。"
    )
    candidates = models.ManyToManyField(
        "proposals.Candidate", through="VoteOption", verbose_name="备选项目", related_name="votes"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = VoteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "公众投票"
        verbose_name_plural = "公众投票"
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="vote_closes_after_opening",
                violation_error_message="截止时间必须晚于开始时间。",
            ),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="vote_max_choices_positive"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "截止时间必须晚于开始时间。"})

    def phase(self, now=None) -> str:
        """ "upcoming", "open" or "closed" at `now`."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    def is_open(self, now=None) -> bool:
        return self.phase(now) == "open"

    def results_public(self, now=None) -> bool:
        """Whether the public may see the tallies: after the close, or live if the vote says so."""
        phase = self.phase(now)
        return phase == "closed" or (phase == "open" and self.results_live)

    @property
    def phase_label(self) -> str:
        return {"upcoming": "未开始", "open": "投票中", "closed": "已结束"}[self.phase()]


class VoteOptionQuerySet(RestrictedQuerySet):
    reach = Reach(via="vote")


class VoteOption(models.Model):
    """A candidate on a vote's ballot paper, in the order shown."""

    vote = models.ForeignKey(Vote, verbose_name="投票", on_delete=models.CASCADE, related_name="options")
    candidate = models.ForeignKey(
        "proposals.Candidate", verbose_name="备选项目", on_delete=models.PROTECT, related_name="vote_options"
    )
    sequence = models.PositiveSmallIntegerField("序号", default=0)

    objects = VoteOptionQuerySet.as_manager()

    class Meta:
        verbose_name = "投票选项"
        verbose_name_plural = "投票选项"
        ordering = ["vote", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "candidate"],
                name="vote_option_unique_candidate",
                violation_error_message="同一备选项目在一次投票中只能出现一次。",
            )
        ]

    def __str__(self):
        return str(self.candidate.title) if self.candidate_id else f"选项{self.pk}"

    def clean(self):
        if self.vote_id and self.candidate_id:
            vote, candidate = self.vote, self.candidate
            if candidate.region_id != vote.region_id or candidate.year != vote.year:
                raise ValidationError({"candidate": "只能选择本区划、本年度的备选项目。"})


class BallotQuerySet(VoteQuerySet):
    reach = Reach(region="vote__region__path")


class Ballot(models.Model):
    """One verified phone's ballot in a vote, with the receipt code the voter can check."""

    if TYPE_CHECKING:
        # Set by services.cast_ballot on the ballot it returns: the titles of the options chosen.
        option_titles: list[str]

    vote = models.ForeignKey(Vote, verbose_name="投票", on_delete=models.PROTECT, related_name="ballots")
    # Never the phone in clear: a keyed hash to enforce one ballot per phone, masked digits to show.
    phone_hash = models.CharField("手机号（密文）", max_length=64, editable=False)
    phone_masked = models.CharField("手机号", max_length=11, editable=False)
    receipt = models.CharField("回执码", max_length=16, unique=True, default=new_receipt, editable=False)
    cast_at = models.DateTimeField("投票时间", default=timezone.now, editable=False)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"
        ordering = ["vote", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "phone_hash"],
                name="ballot_one_per_phone",
                violation_error_message="该手机号已参加过本次投票。",
            ),
            models.CheckConstraint(
                condition=Q(phone_hash__regex=r"^[0-9a-f]{64}$"), name="ballot_phone_is_hash"
            ),
            models.CheckConstraint(
                condition=Q(phone_masked__regex=r"^1[0-9]{2}\*{4}[0-9]{4}$"), name="ballot_phone_is_masked"
            ),
        ]

    def __str__(self):
        return self.receipt


class ChoiceQuerySet(VoteQuerySet):
    reach = Reach(region="ballot__vote__region__path")

    def tallies(self):
        """{option id: number of ballots choosing it}."""
        return dict(self.values_list("option_id").annotate(n=Count("pk")).order_by())


class BallotChoice(models.Model):
    """One option marked on a ballot."""

    ballot = models.ForeignKey(Ballot, verbose_name="选票", on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(
        VoteOption, verbose_name="选项", on_delete=models.PROTECT, related_name="choices"
    )

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "选票选项"
        verbose_name_plural = "选票选项"
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="ballot_choice_once")]

    def __str__(self):
        return f"{self.ballot_id}:{self.option_id}"
