"""Filter sets for regions and units, shared by the API and the pages; reusable filters for other apps."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q, Subquery
from django_filters.constants import EMPTY_VALUES

from .choices import RegionLevel, UnitKind
from .models import Region, Unit

region_code_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字。")


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (an id, a year): NumberFilter would accept 3.5 and round it silently.

    The schema takes its type from the model field, so point `field_name` at an integer field
    ("lead_unit__id", not "lead_unit": Django compares the foreign key column without a join either way).
    """

    field_class = forms.IntegerField


class YearFilter(IntegerFilter):
    """A year between 2000 and 2100: a year lookup on a date (`found_on__year`) turns 0 or 10000 into a
    date Python cannot build (a 500, issue 15). Out of range is a field error: 400 on the API; a page's
    filter form drops the value."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class RegionCodeFilter(django_filters.CharFilter):
    """A region given by its 6-digit code, together with every region below it.

    `field_name` is the path to the region's materialised `path` ("path", "region__path",
    "plan__region__path"); the prefix match is the one `RegionQuerySet.subtree` makes, done in a subquery
    so that filtering costs no extra round trip.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [region_code_validator])
        kwargs.setdefault("label", "区划代码（含下级区划）")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        path = Subquery(Region.objects.filter(code=value).values("path")[:1])
        return qs.filter(**{f"{self.field_name}__startswith": path})


class SearchFilter(django_filters.CharFilter):
    """A case-insensitive substring search over several text fields."""

    def __init__(self, *args, search_fields: list[str], **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("label", "关键字")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return qs.filter(condition)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Ordering where rows without a figure (no targets, no report yet) come last in both directions,
    followed by the model's default ordering so that pages never overlap."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map.get(param.lstrip("-"), param.lstrip("-")))
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, *qs.model._meta.ordering, "pk")


class RegionFilterSet(django_filters.FilterSet):
    """Regions by level, by parent, or a region with everything below it."""

    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label="层级")
    parent = django_filters.CharFilter(
        field_name="parent__code", validators=[region_code_validator], label="上级区划代码（仅直接下级）"
    )
    region = RegionCodeFilter(field_name="path")
    search = SearchFilter(search_fields=["code", "name"], label="关键字（代码、名称）")

    class Meta:
        model = Region
        fields: list[str] = []


class UnitFilterSet(django_filters.FilterSet):
    """Units by region (with the regions below it), kind and whether they are active."""

    region = RegionCodeFilter(field_name="region__path")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="类型")
    is_active = django_filters.BooleanFilter(label="启用")
    search = SearchFilter(search_fields=["name", "short_name"], label="关键字（名称、简称）")

    class Meta:
        model = Unit
        fields: list[str] = []
