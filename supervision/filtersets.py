"""Filter sets of supervision, shared by the API and the pages."""

import django_filters

from org.filtersets import IntegerFilter, RegionCodeFilter, SearchFilter, YearFilter
from projects.models import Project

from .choices import (
    AlertKind,
    AlertStatus,
    InspectionKind,
    OrderStatus,
    ProblemSource,
    ProblemStatus,
    Severity,
)
from .models import Alert, Inspection, Problem, SupervisionOrder


class AlertFilterSet(django_filters.FilterSet):
    """Alerts by kind, status, unit, project and year."""

    kind = django_filters.ChoiceFilter(choices=AlertKind.choices, label="类型")
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices, label="状态")
    unit = IntegerFilter(field_name="unit__id", label="责任单位ID")
    project = IntegerFilter(field_name="project__id", label="项目ID")
    year = YearFilter(field_name="project__plan__year", label="年度")

    class Meta:
        model = Alert
        fields: list[str] = []


class OrderFilterSet(django_filters.FilterSet):
    """督办单 by status, unit, project, year and region (with the regions below)."""

    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label="状态")
    unit = IntegerFilter(field_name="unit__id", label="承办单位ID")
    project = IntegerFilter(field_name="project__id", label="项目ID")
    year = YearFilter(field_name="year", label="年度")
    region = RegionCodeFilter(field_name="unit__region__path", label="承办单位所在区划代码（含下级）")
    escalated = django_filters.BooleanFilter(label="已升级（有超期阶段）", method="filter_escalated")
    search = SearchFilter(search_fields=["title", "requirement"], label="关键字")

    class Meta:
        model = SupervisionOrder
        fields: list[str] = []

    def filter_escalated(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(escalation_level__gt=0) if value else qs.filter(escalation_level=0)


class ProblemFilterSet(django_filters.FilterSet):
    """Problems by source, severity, status, unit, project and year found."""

    source = django_filters.ChoiceFilter(choices=ProblemSource.choices, label="来源")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label="严重程度")
    status = django_filters.ChoiceFilter(choices=ProblemStatus.choices, label="状态")
    unit = IntegerFilter(field_name="unit__id", label="责任单位ID")
    project = IntegerFilter(field_name="project__id", label="项目ID")
    year = YearFilter(field_name="found_on__year", label="发现年度")
    search = SearchFilter(search_fields=["description"], label="关键字")

    class Meta:
        model = Problem
        fields: list[str] = []


class InspectionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices, label="方式")
    year = YearFilter(field_name="date__year", label="年度")

    class Meta:
        model = Inspection
        fields: list[str] = []


class ProjectListFilterSet(django_filters.FilterSet):
    """The task and responsibility lists by year, region and unit (lead or cooperating)."""

    year = YearFilter(field_name="plan__year", label="年度")
    region = RegionCodeFilter(field_name="plan__region__path", label="计划所属区划代码（含下级区划）")
    lead_unit = IntegerFilter(field_name="lead_unit__id", label="牵头单位ID")

    class Meta:
        model = Project
        fields: list[str] = []
