"""Read-only representations of projects with the figures computed by `with_progress()`.

The figures are annotations; these serializers only format them (rates as strings with four decimals,
1 = 100%) and never compute them again. Serializers carry comments, not docstrings (see
org/api/serializers.py).
"""

from decimal import ROUND_HALF_UP

from rest_framework import serializers

from minsheng.api import FigureSerializerField, MoneySerializerField
from org.api.serializers import LabelField, RegionRefSerializer, UnitRefSerializer

from ..choices import Category, ChangeType, Light, ProjectLevel, ProjectStatus
from ..models import Milestone, Project, Target


class RateField(serializers.DecimalField):
    """A rate as a fraction (1 = 100%; completion may exceed 1, lag be negative): four decimals, or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "比率（1表示100%），保留4位小数；无法计算时为 null。")
        super().__init__(
            max_digits=None,
            decimal_places=4,
            rounding=ROUND_HALF_UP,
            read_only=True,
            allow_null=True,
            **kwargs,
        )


class AsOfMonthField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "统计截至月份（0表示年度尚未开始）。")
        super().__init__(read_only=True, **kwargs)


# A target with its own figures at the as-of month.
class TargetSerializer(serializers.ModelSerializer):
    authoritative_unit = UnitRefSerializer(read_only=True, allow_null=True)
    as_of_month = AsOfMonthField()
    value = FigureSerializerField(
        read_only=True,
        allow_null=True,
        help_text="截至统计月份的累计完成值；尚无已报送数据时为 null。",
    )
    completion = RateField(help_text="完成率 = 累计完成值 / 年度目标，可超过1；年度目标为0时为 null。")
    expected = RateField(help_text="序时进度。")
    lag = RateField(help_text="完成率 − 序时进度。")

    class Meta:
        model = Target
        fields = [
            "id",
            "sequence",
            "name",
            "measure",
            "annual_target",
            "weight",
            "authoritative_unit",
            "as_of_month",
            "value",
            "completion",
            "expected",
            "lag",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True, help_text="计划日期已过而尚未完成。")

    class Meta:
        model = Milestone
        fields = ["id", "sequence", "name", "planned_date", "actual_date", "planned_progress", "is_overdue"]


# A project with its units, targets, milestones and progress figures.
class ProjectSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)
    region = RegionRefSerializer(source="plan.region", read_only=True)
    level_label = LabelField(ProjectLevel.choices, source="level")
    change_type_label = LabelField(ChangeType.choices, source="change_type")
    category_label = LabelField(Category.choices, source="category")
    status_label = LabelField(ProjectStatus.choices, source="status")
    lead_unit = UnitRefSerializer(read_only=True)
    cooperating_units = UnitRefSerializer(many=True, read_only=True)
    upkeep_unit = UnitRefSerializer(read_only=True, allow_null=True)

    as_of_month = AsOfMonthField()
    completion = RateField(help_text="项目完成率：各指标完成率（每项封顶1）的加权平均；无指标时为 null。")
    expected = RateField(help_text="序时进度：按月均衡为 m/12，按节点计划为到期节点的计划累计进度。")
    lag = RateField(help_text="完成率 − 序时进度；负数表示滞后。")
    light = serializers.ChoiceField(choices=Light.choices, read_only=True, help_text="红黄绿灯。")
    light_label = LabelField(Light.choices, source="light")
    has_overdue_milestone = serializers.BooleanField(read_only=True, help_text="有逾期未完成的时间节点。")
    latest_month = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="统计月份及以前最近一期已报送月报的月份。"
    )
    latest_investment = MoneySerializerField(
        read_only=True, allow_null=True, help_text="该期月报的累计完成投资（元）。"
    )
    investment_rate = RateField(help_text="累计完成投资 / 年度计划投资。")

    targets = TargetSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "sequence",
            "year",
            "region",
            "level",
            "level_label",
            "change_type",
            "change_type_label",
            "category",
            "category_label",
            "title",
            "content",
            "lead_unit",
            "cooperating_units",
            "responsible_leader",
            "contact_person",
            "contact_phone",
            "work_standard",
            "deadline",
            "upkeep_unit",
            "status",
            "status_label",
            "schedule_basis",
            "planned_investment",
            "as_of_month",
            "completion",
            "expected",
            "lag",
            "light",
            "light_label",
            "has_overdue_milestone",
            "latest_month",
            "latest_investment",
            "investment_rate",
            "targets",
            "milestones",
        ]
        read_only_fields = fields
