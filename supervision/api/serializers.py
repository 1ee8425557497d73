"""Representations of alerts, 督办单, problems, rectifications, inspections, the four lists and the
accountability record. Writes go through supervision.services; these only validate and format.
(Comments rather than docstrings on serializers: see org/api/serializers.py.)"""

from rest_framework import serializers

from org.api.serializers import LabelField, RegionRefSerializer, UnitRefSerializer
from org.models import Unit, User
from projects.models import Project

from ..choices import (
    AlertKind,
    AlertStatus,
    InspectionKind,
    OrderStatus,
    ProblemSource,
    ProblemStatus,
    Severity,
    Stage,
)
from ..conf import MAX_STAGE_DAYS
from ..models import (
    Alert,
    Escalation,
    Evidence,
    Inspection,
    OrderResponse,
    Problem,
    Rectification,
    SupervisionOrder,
)


class ProjectRefSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "code", "title", "year"]


class AlertSerializer(serializers.ModelSerializer):
    kind_label = LabelField(AlertKind.choices, source="kind")
    status_label = LabelField(AlertStatus.choices, source="status")
    project = ProjectRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "kind_label",
            "cause_key",
            "project",
            "unit",
            "milestone",
            "month",
            "detail",
            "status",
            "status_label",
            "raised_at",
            "closed_at",
        ]
        read_only_fields = fields


class OrderResponseSerializer(serializers.ModelSerializer):
    stage_label = LabelField(Stage.choices, source="stage")
    author: serializers.StringRelatedField[User] = serializers.StringRelatedField()

    class Meta:
        model = OrderResponse
        fields = ["stage", "stage_label", "text", "author", "created_at"]
        read_only_fields = fields


class EscalationSerializer(serializers.ModelSerializer):
    stage_label = LabelField(Stage.choices, source="stage")

    class Meta:
        model = Escalation
        fields = ["stage", "stage_label", "due_at", "escalated_at"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    status_label = LabelField(OrderStatus.choices, source="status")
    unit = UnitRefSerializer(read_only=True)
    region = RegionRefSerializer(read_only=True)
    project = ProjectRefSerializer(read_only=True)
    issued_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    next_stage = serializers.SerializerMethodField(
        help_text="承办单位下一步应办理的阶段；全部答复后为 null。"
    )
    responses = OrderResponseSerializer(many=True, read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = [
            "id",
            "number",
            "region",
            "unit",
            "project",
            "problem",
            "alert",
            "title",
            "requirement",
            "issued_by",
            "issued_at",
            "acknowledge_due",
            "feedback_due",
            "settle_due",
            "report_due",
            "acknowledged_at",
            "fed_back_at",
            "settled_at",
            "reported_at",
            "status",
            "status_label",
            "next_stage",
            "escalation_level",
            "closed_at",
            "closing_note",
            "responses",
            "escalations",
        ]
        read_only_fields = fields

    def get_next_stage(self, obj) -> str | None:
        stage = obj.next_stage()
        return stage.value if stage else None


# Issuing a 督办单: the unit and what it is about; stage_days overrides the "13710" defaults.
class OrderIssueSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text="承办单位ID。")
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    problem = serializers.PrimaryKeyRelatedField(
        queryset=Problem.objects.all(), required=False, allow_null=True
    )
    alert = serializers.PrimaryKeyRelatedField(queryset=Alert.objects.all(), required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    requirement = serializers.CharField()
    stage_days = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_STAGE_DAYS),
        required=False,
        help_text='各阶段距签发的天数，如 {"acknowledge": 1, "feedback": 3, "settle": 7, "report": 10}。',
    )


class OrderRespondSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    text = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "file", "caption", "size", "uploaded_at"]
        read_only_fields = fields


class RectificationSerializer(serializers.ModelSerializer):
    verified_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "measures",
            "deadline",
            "responsible_person",
            "result",
            "submitted_at",
            "verified_by",
            "verified_at",
            "verification_note",
            "evidence",
        ]
        read_only_fields = fields


class ProblemSerializer(serializers.ModelSerializer):
    source_label = LabelField(ProblemSource.choices, source="source")
    severity_label = LabelField(Severity.choices, source="severity")
    status_label = LabelField(ProblemStatus.choices, source="status")
    unit = UnitRefSerializer(read_only=True)
    project = ProjectRefSerializer(read_only=True)
    rectification = RectificationSerializer(read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "source",
            "source_label",
            "project",
            "unit",
            "description",
            "severity",
            "severity_label",
            "status",
            "status_label",
            "found_on",
            "inspection",
            "alert",
            "reporter_name",
            "created_at",
            "closed_at",
            "rectification",
        ]
        read_only_fields = fields


class ProblemCreateSerializer(serializers.Serializer):
    # A field, not Field.source: DRF's metaclass moves declared fields off the class (the stubs cannot tell).
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[c for c in ProblemSource.choices if c[0] != "inspection"]
    )
    description = serializers.CharField()
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MINOR)
    found_on = serializers.DateField(required=False)
    alert = serializers.PrimaryKeyRelatedField(queryset=Alert.objects.all(), required=False, allow_null=True)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")


class RectificationPlanSerializer(serializers.Serializer):
    measures = serializers.CharField()
    deadline = serializers.DateField()
    responsible_person = serializers.CharField(required=False, allow_blank=True, default="")


class RectificationResultSerializer(serializers.Serializer):
    result = serializers.CharField()


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    caption = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class InspectionSerializer(serializers.ModelSerializer):
    kind_label = LabelField(InspectionKind.choices, source="kind")
    region = RegionRefSerializer(read_only=True)
    projects = ProjectRefSerializer(many=True, read_only=True)
    findings: serializers.PrimaryKeyRelatedField[Problem] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="发现问题的ID。"
    )
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "kind_label",
            "region",
            "date",
            "title",
            "inspectors",
            "projects",
            "summary",
            "findings",
            "photos",
            "created_at",
        ]
        read_only_fields = fields

    def get_photos(self, obj) -> list[str]:
        return [photo.file.url for photo in obj.photos.all()]


class FindingSerializer(serializers.Serializer):
    description = serializers.CharField()
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MINOR)


class InspectionCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    date = serializers.DateField()
    title = serializers.CharField(max_length=200)
    inspectors = serializers.CharField(max_length=300)
    projects = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), many=True, required=False)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    findings = FindingSerializer(many=True, required=False)


# 任务清单: a project's task, targets and deadline.
class TaskSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)
    lead_unit = UnitRefSerializer(read_only=True)
    targets = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "year",
            "code",
            "title",
            "content",
            "work_standard",
            "targets",
            "deadline",
            "lead_unit",
        ]
        read_only_fields = fields

    def get_targets(self, obj) -> list[str]:
        return [str(target) for target in obj.targets.all()]


# 责任清单: who answers for a project.
class ResponsibilitySerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)
    lead_unit = UnitRefSerializer(read_only=True)
    cooperating_units = UnitRefSerializer(many=True, read_only=True)
    upkeep_unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "year",
            "code",
            "title",
            "lead_unit",
            "cooperating_units",
            "responsible_leader",
            "contact_person",
            "contact_phone",
            "deadline",
            "upkeep_unit",
        ]
        read_only_fields = fields


class AccountabilitySerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    orders = serializers.IntegerField(read_only=True, help_text="本年度收到的督办单数。")
    missed_stages = serializers.IntegerField(
        read_only=True, help_text="督办阶段超期次数（逾期办理或至今未办）。"
    )
    reports_overdue = serializers.IntegerField(read_only=True, help_text="月报逾期未报次数（预警记录）。")
    returned_reports = serializers.IntegerField(read_only=True, help_text="被退回的月报数。")
    problems_found = serializers.IntegerField(read_only=True, help_text="本年度发现的问题数。")
    open_problems = serializers.IntegerField(read_only=True, help_text="其中尚未核验销号的问题数。")
    overdue_rectifications = serializers.IntegerField(
        read_only=True, help_text="超过整改时限仍未销号的问题数。"
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "region",
            "orders",
            "missed_stages",
            "reports_overdue",
            "returned_reports",
            "problems_found",
            "open_problems",
            "overdue_rectifications",
        ]
        read_only_fields = fields
