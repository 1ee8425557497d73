"""Read-only API for projects with their progress figures, limited to what the user may see."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from minsheng.api import RestrictedViewSetMixin
from org.api.serializers import ErrorSerializer
from org.api.views import ReadOnlyViewSet

from ..filtersets import ProjectFilterSet, progress_month
from ..models import Milestone, Project, Target
from ..progress import overdue_milestone_q, today
from .serializers import ProjectSerializer

MONTH_PARAMETER = OpenApiParameter(
    "month",
    type={"type": "integer", "minimum": 1, "maximum": 12},
    description="按1-N月计算完成率、序时进度和灯号；不填则按年度计划的统计截至月份（未设定时按当前日期）。",
)
ERROR_400 = OpenApiResponse(ErrorSerializer, description="参数有误（如月份不在1-12之间）。")
ERROR_403 = OpenApiResponse(ErrorSerializer, description="未登录或无权访问。")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="项目不存在或不在可见范围内。")


# Projects the user may see, each with its figures at the requested month (comment, not docstring:
# see org/api/views.py).
@extend_schema_view(
    list=extend_schema(
        summary="民生实事项目列表",
        description=(
            "本人可见的项目（所在区划及下级区划；单位填报员仅限本单位牵头或配合的项目），"
            "附完成率、序时进度、滞后、灯号、指标与时间节点。"
        ),
        parameters=[MONTH_PARAMETER],
        responses={200: ProjectSerializer, 400: ERROR_400, 403: ERROR_403},
    ),
    retrieve=extend_schema(
        summary="民生实事项目详情",
        description="单个项目；不在可见范围内的项目返回404。",
        parameters=[MONTH_PARAMETER],
        responses={200: ProjectSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
)
@extend_schema(tags=["民生实事项目"])
class ProjectViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = Project.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = ProjectSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilterSet

    def refine(self, queryset):
        # Projects and their targets are judged at the same month and on the same day, so that the
        # nested figures always agree with the project's.
        month = progress_month(self.request.query_params)
        on = today()
        targets = Target.objects.with_progress(month=month, on=on).select_related("authoritative_unit")
        milestones = Milestone.objects.annotate(
            is_overdue=ExpressionWrapper(overdue_milestone_q(on), BooleanField())
        )
        return (
            queryset.with_progress(month=month, on=on)
            .select_related("plan__region", "lead_unit", "upkeep_unit")
            .prefetch_related(
                Prefetch("targets", queryset=targets),
                Prefetch("milestones", queryset=milestones),
                "cooperating_units",
            )
        )
