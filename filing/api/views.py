"""Filing under /api/v1/filing/: my projects with the period's status; reports created, updated and
submitted by filers, reviewed by staff. The same services and visibility as the pages."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.api import ApiPagination, RestrictedViewSetMixin
from minsheng.errors import CommonErrorCode, DomainError
from org.api.serializers import ErrorSerializer
from projects import services
from projects.models import ProgressReport, Project, ReportContribution
from projects.periods import Period

from ..status import period_projects, period_rows, role_on
from .serializers import (
    PeriodProjectSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
    ReportWriteSerializer,
    ReturnSerializer,
)

ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer, description="数据有误或不符合填报规则（如累计数回落未说明原因、未来月份）。"
    ),
    403: OpenApiResponse(ErrorSerializer, description="未登录或无权操作该项目。"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不在可见范围内。"),
    409: OpenApiResponse(ErrorSerializer, description="报告状态不允许该操作（如已采纳的报告被修改）。"),
}
PERIOD = OpenApiParameter("period", str, description="期间，如 2026-05；不填为当前填报期（上月）。")


@extend_schema(
    tags=["月度填报"],
    summary="我的项目及本期填报状态",
    description="填报员：本单位牵头或配合的项目；民生办等：可见范围内的项目。附本期状态与截止日期。",
    parameters=[PERIOD],
    responses={200: PeriodProjectSerializer(many=True), 403: ERRORS[403]},
)
class PeriodProjectsView(APIView):
    def get(self, request):
        period = Period.parse(request.query_params.get("period")) or Period.filed_on()
        year, month = period.year, period.month
        paginator = ApiPagination()
        page = paginator.paginate_queryset(period_projects(request.user, year, month), request, view=self)
        rows = period_rows(request.user, year, month, page)
        response = paginator.get_paginated_response(PeriodProjectSerializer(rows, many=True).data)
        response.data = {"year": year, "month": month, **response.data}
        return response


def _write(user, project, month, data):
    """The lead unit (or staff) saves the report; a cooperating unit's filer saves its own part."""
    values = {item["target"]: item["value"] for item in data.get("values", [])}
    fields = {k: data[k] for k in ("investment_completed", "narrative", "problems") if k in data}
    if role_on(user, project) == "part":
        services.save_contribution(project, month, actor=user, values=values, **fields)
        return ProgressReport.objects.get(project=project, month=month)
    for key in ("next_steps", "correction_reason"):
        if key in data:
            fields[key] = data[key]
    return services.save_report(project, month, actor=user, values=values, **fields)


# Reports the user may see; filers write theirs (comments, not docstrings, on viewsets).
@extend_schema_view(
    list=extend_schema(summary="进展报告列表", responses={200: ReportSerializer, 403: ERRORS[403]}),
    retrieve=extend_schema(summary="进展报告详情", responses={200: ReportSerializer, **ERRORS}),
    create=extend_schema(
        summary="填写（保存草稿）",
        description="牵头单位填报员或民生办保存本月报告（草稿）；配合单位填报员保存本单位的配合内容。",
        request=ReportWriteSerializer,
        responses={201: ReportSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="修改草稿", request=ReportUpdateSerializer, responses={200: ReportSerializer, **ERRORS}
    ),
)
@extend_schema(tags=["月度填报"])
class ReportViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ProgressReport.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = ReportSerializer
    filterset_fields = ["project", "month", "status"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def refine(self, queryset):
        return (
            queryset.select_related("project")
            .prefetch_related(
                Prefetch(
                    "values",
                    queryset=ProgressReport.values.rel.related_model.objects.select_related("target"),
                ),
                Prefetch(
                    "contributions",
                    queryset=ReportContribution.objects.select_related("unit").prefetch_related(
                        "values__target"
                    ),
                ),
            )
            .order_by("project_id", "month")
        )

    def _visible_project(self, pk):
        return get_object_or_404(Project.objects.restrict(self.request.user).select_related("plan"), pk=pk)

    def _respond(self, report, code=status.HTTP_200_OK):
        return Response(ReportSerializer(self.get_queryset().get(pk=report.pk)).data, status=code)

    def create(self, request):
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = self._visible_project(data.validated_data["project"])
        report = _write(request.user, project, data.validated_data["month"], data.validated_data)
        return self._respond(report, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = ReportUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        report = _write(request.user, report.project, report.month, data.validated_data)
        return self._respond(report)

    @extend_schema(
        summary="删除草稿",
        description="只能删除草稿或被退回的报告；已采纳（锁定）的报告任何人都不能删除，须提交更正并说明原因。",
        request=None,
        responses={204: None, **ERRORS},
    )
    def destroy(self, request, pk=None):
        services.delete_report(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="报送", request=None, responses={200: ReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(services.submit_report(self.get_object(), actor=request.user))

    @extend_schema(summary="采纳（民生办）", request=None, responses={200: ReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._respond(services.accept_report(self.get_object(), actor=request.user))

    @extend_schema(
        summary="退回（民生办）", request=ReturnSerializer, responses={200: ReportSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        data = ReturnSerializer(data=request.data)
        if not data.is_valid():
            raise DomainError("退回报告必须说明原因。", code=CommonErrorCode.REASON_REQUIRED, field="reason")
        return self._respond(
            services.return_report(
                self.get_object(), actor=request.user, reason=data.validated_data["reason"]
            )
        )
