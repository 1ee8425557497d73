"""Filter sets for projects, shared by the API and the pages, and the `month` the figures are judged at."""

from collections.abc import Mapping

import django_filters

from minsheng.errors import DomainError
from org.filtersets import IntegerFilter, NullsLastOrderingFilter, RegionCodeFilter, SearchFilter, YearFilter

from .choices import Category, ChangeType, Light, ProjectLevel, ProjectStatus
from .models import Project

MONTH_ERROR = "月份参数（month）应为1到12之间的整数。"


def progress_month(params: Mapping[str, str]) -> int | None:
    """The optional `month` parameter for `with_progress(month=...)`; None leaves the plan's default.

    It is not a filter: it changes the computed figures (and so what `light` filters on), so it is read
    before the queryset is built.
    """
    raw = (params.get("month") or "").strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 12:
        return int(raw)
    raise DomainError(MONTH_ERROR, code="invalid_month", field="month")


class ProjectFilterSet(django_filters.FilterSet):
    """Projects by year, region (with the regions below it), level, category, units, status and light.

    `light` and the `completion`/`lag` orderings need a queryset annotated by `with_progress()`.
    """

    year = YearFilter(field_name="plan__year", label="年度")
    region = RegionCodeFilter(field_name="plan__region__path", label="计划所属区划代码（含下级区划）")
    level = django_filters.ChoiceFilter(choices=ProjectLevel.choices, label="项目层级")
    category = django_filters.ChoiceFilter(choices=Category.choices, label="领域类别")
    lead_unit = IntegerFilter(field_name="lead_unit__id", label="牵头单位ID")
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label="状态")
    change_type = django_filters.ChoiceFilter(choices=ChangeType.choices, label="与上年相比")
    light = django_filters.ChoiceFilter(field_name="light", choices=Light.choices, label="灯号")
    search = SearchFilter(
        search_fields=["code", "title", "lead_unit__name", "lead_unit__short_name"],
        label="关键字（项目编号、名称、牵头单位）",
    )
    ordering = NullsLastOrderingFilter(
        fields=(("code", "code"), ("sequence", "sequence"), ("completion", "completion"), ("lag", "lag")),
        field_labels={
            "code": "项目编号",
            "sequence": "序号",
            "completion": "完成率",
            "lag": "滞后（完成率−序时进度）",
        },
        label="排序",
    )

    class Meta:
        model = Project
        fields: list[str] = []
