"""Money entries and summaries in the API. (Comments, not docstrings: see org/api/serializers.py.)"""

from typing import Any

from rest_framework import serializers

from minsheng.api import MoneySerializerField
from minsheng.fields import MONEY
from minsheng.numbers import HumanDecimalSerializerField
from org.api.serializers import LabelField
from org.models import Unit
from projects.choices import Category
from projects.models import Project

from ..choices import EntryKind, SourceLevel
from ..models import Entry


# A computed rate as a fraction with six decimals; null when there is nothing to divide by.
class FundingRateField(serializers.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=12, decimal_places=6, allow_null=True, read_only=True, **kwargs)


# One arrival, disbursement or spending as recorded (cancelled entries stay, with who, when and why).
class EntrySerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    kind_label = LabelField(EntryKind.choices, source="kind")
    level_label = LabelField(SourceLevel.choices, source="level")
    recipient_unit_name = serializers.CharField(source="recipient_unit.name", read_only=True, default=None)
    is_cancelled = serializers.BooleanField(read_only=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "project",
            "project_code",
            "kind",
            "kind_label",
            "level",
            "level_label",
            "amount",
            "date",
            "document_number",
            "recipient_unit",
            "recipient_unit_name",
            "voucher",
            "purpose",
            "note",
            "recorded_at",
            "is_cancelled",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = ["recorded_at", "cancelled_at", "cancel_reason"]


# What a staff member sends to record an entry; the service checks the rest (amount, date, balances).
class EntryCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), help_text="项目ID。")
    kind = serializers.ChoiceField(
        choices=EntryKind.choices, help_text="arrival 到位、disbursement 拨付、spending 支出。"
    )
    level = serializers.ChoiceField(choices=SourceLevel.choices, help_text="资金来源层级。")
    amount = HumanDecimalSerializerField(
        digits=MONEY, unit="元", help_text="金额（元），最多两位小数；可写作数字或“9640万”“7.6亿”等文字。"
    )
    date = serializers.DateField(help_text="日期，须在项目计划年度内。")
    document_number = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="文号。"
    )
    recipient_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(),
        required=False,
        allow_null=True,
        help_text="拨付至的实施单位ID（拨付必填）。",
    )
    voucher = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="凭证号。")
    purpose = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="用途（支出必填）。"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = Project.objects.restrict(request.user)
            self.fields["recipient_unit"].queryset = Unit.objects.restrict(request.user)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="作废原因。", max_length=2000)


# The figures every summary row carries: yuan, rates as fractions (null when there is nothing to divide
# by) and the text bulletins print (亿元/万元, percent).
class FiguresSerializer(serializers.Serializer):
    planned = MoneySerializerField(read_only=True)
    arrived = MoneySerializerField(read_only=True)
    disbursed = MoneySerializerField(read_only=True)
    spent = MoneySerializerField(read_only=True)
    arrival_rate = FundingRateField(help_text="到位率 = 已到位 / 计划。")
    disbursement_rate = FundingRateField(help_text="拨付率 = 已拨付 / 已到位。")
    execution_rate = FundingRateField(help_text="执行率 = 已支出 / 已到位。")
    planned_text = serializers.CharField(read_only=True)
    arrived_text = serializers.CharField(read_only=True)
    disbursed_text = serializers.CharField(read_only=True)
    spent_text = serializers.CharField(read_only=True)
    arrival_rate_text = serializers.CharField(read_only=True)
    disbursement_rate_text = serializers.CharField(read_only=True)
    execution_rate_text = serializers.CharField(read_only=True)


class SummaryRowSerializer(FiguresSerializer):
    key = serializers.CharField(
        read_only=True, help_text="分组键：项目ID、单位ID、区划路径、来源层级或领域类别。"
    )
    # A field, not Field.label: DRF's metaclass moves declared fields off the class (the stubs cannot tell).
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    code = serializers.CharField(read_only=True, required=False, help_text="区划代码（按区划汇总时）。")


class TotalsSerializer(FiguresSerializer):
    year = serializers.IntegerField(read_only=True)
    as_of = serializers.DateField(read_only=True, allow_null=True)
    yoy_arrived = FundingRateField(help_text="到位资金同比增长（小数）。", required=False)
    yoy_spent = FundingRateField(help_text="支出同比增长（小数）。", required=False)


class MonthRowSerializer(serializers.Serializer):
    month = serializers.IntegerField(read_only=True)
    # A field, not Field.label: DRF's metaclass moves declared fields off the class (the stubs cannot tell).
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    planned = MoneySerializerField(read_only=True)
    arrived = MoneySerializerField(read_only=True, help_text="当月到位。")
    disbursed = MoneySerializerField(read_only=True, help_text="当月拨付。")
    spent = MoneySerializerField(read_only=True, help_text="当月支出。")
    cum_arrived = MoneySerializerField(read_only=True, help_text="1-N月累计到位。")
    cum_disbursed = MoneySerializerField(read_only=True)
    cum_spent = MoneySerializerField(read_only=True)
    last_cum_arrived = MoneySerializerField(read_only=True, help_text="上年同期累计到位。")
    last_cum_disbursed = MoneySerializerField(read_only=True)
    last_cum_spent = MoneySerializerField(read_only=True)
    arrival_rate = FundingRateField()
    execution_rate = FundingRateField()
    yoy_arrived = FundingRateField(help_text="累计到位同比增长。")
    yoy_spent = FundingRateField(help_text="累计支出同比增长。")


# Query parameters of the summary endpoints.
class SummaryQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="计划年度。")
    region = serializers.RegexField(r"^\d{6}$", required=False, help_text="区划代码（含下级区划）。")
    level = serializers.ChoiceField(choices=SourceLevel.choices, required=False, help_text="资金来源层级。")
    category = serializers.ChoiceField(choices=Category.choices, required=False, help_text="领域类别。")
    unit = serializers.IntegerField(required=False, help_text="牵头单位ID。")
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text="统计至1-N月末（不填则为全部登记数）。"
    )


class SummaryByQuerySerializer(SummaryQuerySerializer):
    by = serializers.ChoiceField(
        choices=[
            ("project", "按项目"),
            ("unit", "按牵头单位"),
            ("region", "按区划（下一级，含下级区划）"),
            ("level", "按资金来源层级"),
            ("category", "按领域类别"),
        ],
        help_text="汇总维度。",
    )
