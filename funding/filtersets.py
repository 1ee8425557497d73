"""Filter sets for money entries, shared by the API and the admin."""

import django_filters

from org.filtersets import IntegerFilter, RegionCodeFilter, YearFilter
from projects.choices import Category

from .choices import EntryKind, SourceLevel
from .models import Entry


class EntryFilterSet(django_filters.FilterSet):
    """Entries by year, region (with the regions below it), project, kind, level, category, unit, dates."""

    year = YearFilter(field_name="project__plan__year", label="年度")
    region = RegionCodeFilter(field_name="project__plan__region__path", label="区划代码（含下级区划）")
    project = IntegerFilter(field_name="project_id", label="项目ID")
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices, label="类型")
    level = django_filters.ChoiceFilter(choices=SourceLevel.choices, label="资金来源")
    category = django_filters.ChoiceFilter(
        field_name="project__category", choices=Category.choices, label="领域类别"
    )
    unit = IntegerFilter(field_name="project__lead_unit_id", label="牵头单位ID")
    month = IntegerFilter(field_name="date__month", label="月份（当月发生）", min_value=1, max_value=12)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="起始日期")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="截止日期")
    cancelled = django_filters.BooleanFilter(
        field_name="cancelled_at", lookup_expr="isnull", exclude=True, label="已作废"
    )

    class Meta:
        model = Entry
        fields: list[str] = []
