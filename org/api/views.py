"""Read-only API for regions and units, limited to what the user may see."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from minsheng.api import RestrictedViewSetMixin

from ..filtersets import RegionFilterSet, UnitFilterSet
from ..models import Region, Unit
from .serializers import ErrorSerializer, RegionSerializer, UnitSerializer

ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="参数有误。"),
    403: OpenApiResponse(ErrorSerializer, description="未登录或无权访问。"),
}
DETAIL_ERROR_RESPONSES = {
    403: OpenApiResponse(ErrorSerializer, description="未登录或无权访问。"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不在可见范围内。"),
}


ReadOnlyViewSet = viewsets.ReadOnlyModelViewSet


# Regions the user may see, looked up by their 6-digit code. (Comments, not docstrings, on viewsets:
# a docstring would become an operation description in the Chinese schema.)
@extend_schema_view(
    list=extend_schema(
        summary="行政区划列表",
        description="本人所在区划及其下级区划。",
        responses={200: RegionSerializer, **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="行政区划详情",
        description="按6位行政区划代码查询。",
        responses={200: RegionSerializer, **DETAIL_ERROR_RESPONSES},
    ),
)
@extend_schema(tags=["区划与单位"])
class RegionViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = Region.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = RegionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"\d{6}"

    def refine(self, queryset):
        return queryset.select_related("parent")


# Units the user may see.
@extend_schema_view(
    list=extend_schema(
        summary="单位列表",
        description="本人所在区划及其下级区划的单位；单位填报员只看到本单位。",
        responses={200: UnitSerializer, **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="单位详情",
        description="按单位ID查询。",
        responses={200: UnitSerializer, **DETAIL_ERROR_RESPONSES},
    ),
)
@extend_schema(tags=["区划与单位"])
class UnitViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = UnitFilterSet

    def refine(self, queryset):
        return queryset.select_related("region")
