"""Representations of rounds, proposals, candidates and decision steps, and the bodies of the staff actions.

The actions' serializers only validate input; the services decide. Serializers carry comments, not
docstrings (see org/api/serializers.py).
"""

from rest_framework import serializers

from minsheng.api import MoneySerializerField
from org.api.serializers import LabelField, RegionRefSerializer, UnitRefSerializer
from org.models import Unit, User
from projects.choices import AdjustmentKind, Category, ProjectLevel

from ..choices import (
    CandidateStatus,
    DecisionOutcome,
    DecisionStage,
    ProposalActionKind,
    ProposalSource,
    ProposalStatus,
    RiskRating,
)
from ..models import (
    Candidate,
    CollectionRound,
    DecisionStep,
    Proposal,
    ProposalAction,
    ProposalAttachment,
)


class CollectionRoundSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    is_open = serializers.SerializerMethodField(help_text="今天是否在征集期内。")

    class Meta:
        model = CollectionRound
        fields = ["id", "region", "year", "name", "opens_on", "closes_on", "is_open", "description"]

    def get_is_open(self, obj) -> bool:
        return obj.is_open()


class ProposalActionSerializer(serializers.ModelSerializer):
    kind_label = LabelField(ProposalActionKind.choices, source="kind")
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="操作人用户名；群众提交时为空。"
    )
    related_proposal: serializers.SlugRelatedField[Proposal] = serializers.SlugRelatedField(
        slug_field="tracking_code", read_only=True, help_text="合并时：并入的建议的查询码。"
    )

    class Meta:
        model = ProposalAction
        fields = ["kind", "kind_label", "actor", "at", "reason", "related_proposal", "candidate"]


class ProposalAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalAttachment
        fields = ["id", "kind", "file", "caption", "size", "uploaded_at"]


# A proposal with its handling log; the phone appears only masked.
class ProposalSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="round.year", read_only=True)
    region = RegionRefSerializer(source="round.region", read_only=True)
    source_label = LabelField(ProposalSource.choices, source="source")
    category_label = LabelField(Category.choices, source="category")
    status_label = LabelField(ProposalStatus.choices, source="status")
    proposer_unit = UnitRefSerializer(read_only=True, allow_null=True)
    merged_into: serializers.SlugRelatedField[Proposal] = serializers.SlugRelatedField(
        slug_field="tracking_code", read_only=True, help_text="已合并时：并入的建议的查询码。"
    )
    candidates: serializers.PrimaryKeyRelatedField[Candidate] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="所列入的备选项目ID。"
    )
    actions = ProposalActionSerializer(many=True, read_only=True)
    attachments = ProposalAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "tracking_code",
            "round",
            "year",
            "region",
            "source",
            "source_label",
            "proposer_name",
            "proposer_unit",
            "proposer_organisation",
            "reference_number",
            "phone_masked",
            "category",
            "category_label",
            "title",
            "description",
            "estimated_cost",
            "status",
            "status_label",
            "merged_into",
            "decline_reason",
            "candidates",
            "submitted_at",
            "actions",
            "attachments",
        ]
        read_only_fields = fields


class DecisionStepSerializer(serializers.ModelSerializer):
    stage_label = LabelField(DecisionStage.choices, source="stage")
    outcome_label = LabelField(DecisionOutcome.choices, source="outcome")
    responsible_unit = UnitRefSerializer(read_only=True, allow_null=True)
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = DecisionStep
        fields = [
            "id",
            "candidate",
            "stage",
            "stage_label",
            "held_on",
            "outcome",
            "outcome_label",
            "responsible_unit",
            "notes",
            "document_number",
            "document",
            "social_risk",
            "environmental_risk",
            "fiscal_risk",
            "vote_title",
            "votes",
            "rank",
            "ballots",
            "adjustment",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


# A candidate with its source proposals, its recorded steps, the next expected step and its project.
class CandidateSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    category_label = LabelField(Category.choices, source="category")
    status_label = LabelField(CandidateStatus.choices, source="status")
    proposals: serializers.SlugRelatedField[Proposal] = serializers.SlugRelatedField(
        slug_field="tracking_code", many=True, read_only=True, help_text="来源建议的查询码。"
    )
    steps = DecisionStepSerializer(many=True, read_only=True)
    next_stage = serializers.SerializerMethodField(help_text="决策程序的下一环节；程序结束时为 null。")

    class Meta:
        model = Candidate
        fields = [
            "id",
            "region",
            "year",
            "sequence",
            "title",
            "description",
            "category",
            "category_label",
            "estimated_cost",
            "status",
            "status_label",
            "project",
            "proposals",
            "next_stage",
            "steps",
        ]
        read_only_fields = fields

    def get_next_stage(self, obj) -> str | None:
        from ..services import next_stage

        if obj.status != CandidateStatus.CANDIDATE:
            return None
        return next_stage(obj, [step.stage for step in obj.steps.all()])


# -- bodies of the staff actions --


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="理由或说明。")


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="不予采纳的理由（必填，建议人可见）。")


class MergeSerializer(serializers.Serializer):
    proposals = serializers.ListField(
        child=serializers.IntegerField(), min_length=2, help_text="要合并的建议ID。"
    )
    into = serializers.IntegerField(help_text="合并后保留的建议ID（须在 proposals 中）。")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ShortlistSerializer(serializers.Serializer):
    proposals = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text="已受理的建议ID。"
    )
    candidate = serializers.IntegerField(
        required=False, allow_null=True, help_text="加入已有备选项目；不填则新建。"
    )
    title = serializers.CharField(required=False, allow_blank=True, default="", help_text="新备选项目名称。")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ProposalCreateSerializer(serializers.Serializer):
    round = serializers.IntegerField(help_text="征集活动ID。")
    # A field, not Field.source: DRF's metaclass moves declared fields off the class (the stubs cannot tell).
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[c for c in ProposalSource.choices if c[0] != ProposalSource.PORTAL],
        help_text="来源（群众网上征集由公众页面提交）。",
    )
    proposer_name = serializers.CharField(max_length=100)
    proposer_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    proposer_organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    reference_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text="只保存密文和脱敏号码。",
    )
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    estimated_cost = MoneySerializerField(required=False, allow_null=True, min_value=0)


class ProjectDetailsSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    level = serializers.ChoiceField(choices=ProjectLevel.choices, required=False)
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    cooperating_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    responsible_leader = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)


class DecisionStepCreateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[c for c in DecisionStage.choices if c[0] != DecisionStage.ADJUSTMENT],
        help_text=(
            "须为下一环节（见备选项目的 next_stage），依次为决策动议、公众参与、专家论证、风险评估、"
            "合法性审查、集体讨论决定。"
        ),
    )
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    document = serializers.FileField(
        required=False, allow_null=True, help_text="报告、论证意见、会议纪要等。"
    )
    social_risk = serializers.ChoiceField(
        choices=RiskRating.choices, required=False, allow_blank=True, default=""
    )
    environmental_risk = serializers.ChoiceField(
        choices=RiskRating.choices, required=False, allow_blank=True, default=""
    )
    fiscal_risk = serializers.ChoiceField(
        choices=RiskRating.choices, required=False, allow_blank=True, default=""
    )
    project = ProjectDetailsSerializer(
        required=False, allow_null=True, help_text="集体讨论决定通过时：立项信息。"
    )


class AdjustmentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AdjustmentKind.choices)
    reason = serializers.CharField()
    description = serializers.CharField()
    approved_by = serializers.CharField(max_length=200)
    approval_document = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    approved_on = serializers.DateField()


class TraceEventSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="submit、accept、absorb、decline、shortlist、vote、decision、adjustment、project"
    )
    title = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    detail = serializers.CharField()
