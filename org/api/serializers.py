"""Read-only representations of regions and units, and the small pieces other apps' serializers reuse.

Serializers carry comments rather than docstrings: drf-spectacular would publish a docstring as the
description of the component in the Chinese API documentation.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.errors import error_code_choices

from ..choices import RegionLevel, UnitKind
from ..models import Region, Unit


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.ReadOnlyField):
    """The Chinese label of a choice value (model field or annotation), e.g. "city" -> "市级"."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.labels.get(value, value)


# The body of every API error (see minsheng/api.py).
class ErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=error_code_choices(),
        help_text="稳定的错误代码（各应用 errors.py 中的枚举），如 invalid、not_found、permission_denied。",
    )
    detail = serializers.CharField(help_text="错误说明（中文）。")
    # A field, not Serializer.fields: DRF's metaclass moves declared fields off the class.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="按参数或字段列出的错误（仅在参数或字段有误时出现）。",
    )


# A region as it appears inside other objects.
class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


# A unit as it appears inside other objects.
class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "short_name"]


class RegionSerializer(serializers.ModelSerializer):
    level_label = LabelField(RegionLevel.choices, source="level")
    # A field, not Field.parent: DRF's metaclass moves declared fields off the class (the stubs cannot tell).
    parent: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, help_text="上级区划代码。"
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "parent"]


class UnitSerializer(serializers.ModelSerializer):
    kind_label = LabelField(UnitKind.choices, source="kind")
    region = RegionRefSerializer(read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "kind_label", "region", "is_active"]
