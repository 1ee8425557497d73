"""Read-only API for regions and units, limited to what the user may see."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.pagination import PageNumberPagination

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


class ApiPagination(PageNumberPagination):
    """Pages of 50 by default; `page_size` lets a client ask for up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose "not found" is an API error with a code like every other one."""

    def get_object(self):
        # get_object raises Django's Http404, which minsheng.api.exception_handler passes through
        # without a "code"; NotFound goes through its APIException branch. Drop this once the handler
        # maps Http404 itself.
        try:
            return super().get_object()
        except Http404 as exc:
            raise exceptions.NotFound() from exc


def without_role_sees_nothing(queryset, user):
    """`ProjectQuerySet.visible_to` already shows nothing to a user without a role; regions and units
    follow the same rule here, because their `visible_to` only looks at the user's unit."""
    if user.is_superuser or user.role:
        return queryset
    return queryset.none()


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
class RegionViewSet(ReadOnlyViewSet):
    queryset = Region.objects.none()  # the model, for the schema; get_queryset decides what is visible
    serializer_class = RegionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RegionFilterSet
    pagination_class = ApiPagination
    lookup_field = "code"
    lookup_value_regex = r"\d{6}"

    def get_queryset(self):
        user = self.request.user
        regions = without_role_sees_nothing(Region.objects.visible_to(user), user)
        return regions.select_related("parent")


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
class UnitViewSet(ReadOnlyViewSet):
    queryset = Unit.objects.none()
    serializer_class = UnitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = UnitFilterSet
    pagination_class = ApiPagination

    def get_queryset(self):
        user = self.request.user
        units = without_role_sees_nothing(Unit.objects.visible_to(user), user)
        return units.select_related("region")
