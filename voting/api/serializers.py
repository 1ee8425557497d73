"""Public representations of votes, their options, ballots' receipts and results.

Serializers carry comments rather than docstrings: drf-spectacular would publish a docstring as the
description of the component in the Chinese API documentation.
"""

from rest_framework import serializers

from minsheng.api import MoneySerializerField
from verification.services import PURPOSES

from ..models import Ballot, Vote, VoteOption


# A candidate as printed on the ballot paper.
class OptionSerializer(serializers.ModelSerializer):
    candidate_id = serializers.IntegerField(source="candidate.pk", read_only=True)
    title = serializers.CharField(source="candidate.title", read_only=True)
    description = serializers.CharField(source="candidate.description", read_only=True)
    category = serializers.CharField(source="candidate.get_category_display", read_only=True)
    estimated_cost = MoneySerializerField(source="candidate.estimated_cost", read_only=True, allow_null=True)

    class Meta:
        model = VoteOption
        fields = ["id", "sequence", "candidate_id", "title", "description", "category", "estimated_cost"]


class VoteSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", read_only=True)
    phase = serializers.SerializerMethodField(help_text="upcoming 未开始 / open 投票中 / closed 已结束")
    results_public = serializers.SerializerMethodField(help_text="公众现在能否查看得票结果。")

    class Meta:
        model = Vote
        fields = [
            "id",
            "title",
            "description",
            "region",
            "year",
            "opens_at",
            "closes_at",
            "max_choices",
            "results_live",
            "phase",
            "results_public",
        ]

    def get_phase(self, vote) -> str:
        return vote.phase()

    def get_results_public(self, vote) -> bool:
        return vote.results_public()


class VoteDetailSerializer(VoteSerializer):
    options = OptionSerializer(many=True, read_only=True)

    class Meta(VoteSerializer.Meta):
        fields = [*VoteSerializer.Meta.fields, "options"]


# Ask for a one-time code by SMS.
class SendCodeSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, help_text="11位手机号码。")
    purpose = serializers.ChoiceField(choices=sorted(PURPOSES.items()), default="vote")


class CodeSentSerializer(serializers.Serializer):
    phone_masked = serializers.CharField(help_text="打码后的手机号，如138****5678。")
    expires_in = serializers.IntegerField(help_text="验证码有效秒数。")


# A ballot: the phone, the code texted to it, and the chosen option ids (not candidate ids).
class CastBallotSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "验证码为6位数字。"})
    options = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=100,
        help_text="选项ID列表。",
    )


class ReceiptSerializer(serializers.ModelSerializer):
    vote_id = serializers.IntegerField(source="vote.pk", read_only=True)
    vote = serializers.CharField(source="vote.title", read_only=True)
    options = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = ["receipt", "vote_id", "vote", "phone_masked", "cast_at", "options"]

    def get_options(self, ballot) -> list[str]:
        if hasattr(ballot, "option_titles"):  # just cast: the service knows them
            return ballot.option_titles
        choices = ballot.choices.order_by("option__sequence", "option_id")
        return list(choices.values_list("option__candidate__title", flat=True))


class OptionResultSerializer(serializers.Serializer):
    option_id = serializers.IntegerField(source="option.pk")
    candidate_id = serializers.IntegerField(source="option.candidate_id")
    title = serializers.CharField(source="option.candidate.title")
    votes = serializers.IntegerField()
    rank = serializers.IntegerField()
    share = serializers.FloatField(help_text="得票数占有效选票总数的比例（0-1）。")


class VoteResultSerializer(serializers.Serializer):
    vote_id = serializers.IntegerField(source="vote.pk")
    title = serializers.CharField(source="vote.title")
    phase = serializers.CharField(source="vote.phase")
    ballots = serializers.IntegerField(help_text="有效选票总数。")
    options = OptionResultSerializer(many=True)
