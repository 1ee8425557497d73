"""Serializers of the filing API: the period's projects, and reports as the lead unit writes them.
Serializers carry comments, not docstrings (see org/api/serializers.py)."""

from django.db.models import Model
from rest_framework import serializers

from minsheng.fields import FIGURE, MONEY
from minsheng.numbers import HumanDecimalSerializerField
from org.api.serializers import UnitRefSerializer
from projects.models import (
    ContributionValue,
    ProgressReport,
    ProgressValue,
    ReportContribution,
)

from ..status import ROLE_LABELS, status_label


# One project of the period with its report's status and due date.
class PeriodProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code")
    title = serializers.CharField(source="project.title")
    year = serializers.IntegerField(source="project.plan.year")
    lead_unit = UnitRefSerializer(source="project.lead_unit")
    role = serializers.CharField(help_text="lead 牵头单位 / part 配合单位 / staff 民生办 / viewer 只读。")
    role_label = serializers.SerializerMethodField()
    status = serializers.CharField(allow_null=True, help_text="本期报告状态；null 表示未开始。")
    status_label = serializers.CharField(source="label", help_text="未开始/草稿/已提交/已退回/已采纳。")
    due = serializers.DateField(help_text="本期截止日期。")
    overdue = serializers.BooleanField()

    def get_role_label(self, row) -> str:
        return ROLE_LABELS[row.role]


class ValueSerializer(serializers.Serializer):
    target = serializers.IntegerField(help_text="指标 id。")
    value = HumanDecimalSerializerField(
        digits=FIGURE, min_value=0, help_text="1月至本月的累计完成值；可写作数字或“95,600”“9.3万”等文字。"
    )


class ReportValueSerializer(serializers.ModelSerializer):
    target_name = serializers.CharField(source="target.name", read_only=True)

    class Meta:
        model: type[Model] = ProgressValue
        fields = ["target", "target_name", "value"]


class ContributionValueSerializer(ReportValueSerializer):
    class Meta(ReportValueSerializer.Meta):
        model = ContributionValue


class ContributionSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    values = ContributionValueSerializer(many=True, read_only=True)

    class Meta:
        model = ReportContribution
        fields = ["unit", "values", "investment_completed", "narrative", "problems", "updated_at"]


# A monthly report; writing it goes through projects.services (save_report / save_contribution).
class ReportSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="draft 草稿 / submitted 已提交 / returned 已退回 / accepted 已采纳。"
    )
    status_label = serializers.SerializerMethodField()
    values = ReportValueSerializer(many=True, read_only=True)
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "month",
            "status",
            "status_label",
            "values",
            "investment_completed",
            "narrative",
            "problems",
            "next_steps",
            "correction_reason",
            "return_reason",
            "revision",
            "contributions",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields

    def get_status_label(self, report) -> str:
        return status_label(report.status)


class ReportWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目 id。")
    month = serializers.IntegerField(min_value=1, max_value=12)
    values = ValueSerializer(many=True, required=False, default=list)
    investment_completed = HumanDecimalSerializerField(
        digits=MONEY,
        unit="元",
        required=False,
        allow_null=True,
        min_value=0,
        help_text="累计完成投资（元）；可写作数字或“9640万”“7.6亿”等文字。",
    )
    narrative = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    next_steps = serializers.CharField(required=False, allow_blank=True)
    correction_reason = serializers.CharField(required=False, allow_blank=True)


class ReportUpdateSerializer(ReportWriteSerializer):
    # None takes the inherited field out (DRF); the stubs only know fields.
    project = None  # type: ignore[assignment]
    month = None  # type: ignore[assignment]


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="退回原因（必填）。")
