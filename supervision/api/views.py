"""Supervision under /api/v1/supervision/: alerts, 督办单, problems and rectification, inspections, the
task and responsibility lists, the accountability record and the board. Lists follow `restrict`; every
write is a service call, which checks the role (staff issue and verify, units answer)."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.api import RestrictedViewSetMixin
from minsheng.errors import CommonErrorCode, DomainError, PermissionDenied
from org.admin_base import can_view
from org.models import Unit
from projects.models import Project

from .. import services
from ..accountability import with_accountability
from ..board import build_board
from ..filtersets import (
    AlertFilterSet,
    InspectionFilterSet,
    OrderFilterSet,
    ProblemFilterSet,
    ProjectListFilterSet,
)
from ..models import Alert, Inspection, Problem, SupervisionOrder
from . import serializers as s

TAG = ["督查督办"]


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Alerts raised by the daily scan (read-only).
@extend_schema(tags=TAG)
class AlertViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Alert.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = s.AlertSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AlertFilterSet

    def refine(self, queryset):
        return queryset.select_related("project__plan", "unit")


# 督办单: staff issue and close; the unit's filers answer each stage in turn.
@extend_schema(tags=TAG)
class OrderViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = SupervisionOrder.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = s.OrderSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrderFilterSet

    def refine(self, queryset):
        return queryset.select_related("unit", "region", "project__plan", "issued_by").prefetch_related(
            Prefetch("responses", queryset=s.OrderResponse.objects.select_related("author")),
            "escalations",
        )

    def _detail(self, order, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data, status=code)

    @extend_schema(request=s.OrderIssueSerializer, responses={201: s.OrderSerializer}, summary="签发督办单")
    def create(self, request, *args, **kwargs):
        order = services.issue_order(actor=request.user, **_valid(s.OrderIssueSerializer, request))
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.OrderRespondSerializer, responses={200: s.OrderSerializer}, summary="承办单位答复"
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        order = self.get_object()
        services.respond_to_order(order, actor=request.user, **_valid(s.OrderRespondSerializer, request))
        return self._detail(order)

    @extend_schema(request=s.NoteSerializer, responses={200: s.OrderSerializer}, summary="办结销号")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        order = self.get_object()
        services.close_order(order, actor=request.user, note=_valid(s.NoteSerializer, request)["note"])
        return self._detail(order)


# 问题清单 with each problem's rectification (整改清单).
@extend_schema(tags=TAG)
class ProblemViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Problem.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = s.ProblemSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProblemFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def refine(self, queryset):
        return queryset.select_related(
            "unit", "project__plan", "rectification__verified_by"
        ).prefetch_related("rectification__evidence")

    def _detail(self, problem, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=problem.pk)).data, status=code)

    @extend_schema(
        request=s.ProblemCreateSerializer, responses={201: s.ProblemSerializer}, summary="登记问题"
    )
    def create(self, request, *args, **kwargs):
        problem = services.record_problem(actor=request.user, **_valid(s.ProblemCreateSerializer, request))
        return self._detail(problem, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.RectificationPlanSerializer, responses={200: s.ProblemSerializer}, summary="填写整改措施"
    )
    @action(detail=True, methods=["post"])
    def rectification(self, request, pk=None):
        problem = self.get_object()
        services.plan_rectification(
            problem, actor=request.user, **_valid(s.RectificationPlanSerializer, request)
        )
        return self._detail(problem)

    @extend_schema(
        request=s.EvidenceUploadSerializer, responses={200: s.ProblemSerializer}, summary="上传佐证材料"
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        problem = self.get_object()
        services.add_evidence(problem, actor=request.user, **_valid(s.EvidenceUploadSerializer, request))
        return self._detail(problem)

    @extend_schema(
        request=s.RectificationResultSerializer, responses={200: s.ProblemSerializer}, summary="报送核验"
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        problem = self.get_object()
        services.submit_rectification(
            problem, actor=request.user, **_valid(s.RectificationResultSerializer, request)
        )
        return self._detail(problem)

    @extend_schema(request=s.NoteSerializer, responses={200: s.ProblemSerializer}, summary="核验销号")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        problem = self.get_object()
        services.verify_rectification(
            problem, actor=request.user, note=_valid(s.NoteSerializer, request)["note"]
        )
        return self._detail(problem)

    @extend_schema(request=s.NoteSerializer, responses={200: s.ProblemSerializer}, summary="核验不通过退回")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        problem = self.get_object()
        services.reject_rectification(
            problem, actor=request.user, note=_valid(s.NoteSerializer, request)["note"]
        )
        return self._detail(problem)


# 明查暗访 (office staff, leaders and auditors only; units see the problems found).
@extend_schema(tags=TAG)
class InspectionViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Inspection.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = s.InspectionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InspectionFilterSet

    def refine(self, queryset):
        return queryset.select_related("region").prefetch_related(
            Prefetch("projects", queryset=Project.objects.select_related("plan")), "findings", "photos"
        )

    @extend_schema(
        request=s.InspectionCreateSerializer, responses={201: s.InspectionSerializer}, summary="登记明查暗访"
    )
    def create(self, request, *args, **kwargs):
        data = _valid(s.InspectionCreateSerializer, request)
        findings = [services.Finding(**finding) for finding in data.pop("findings", [])]
        inspection = services.record_inspection(actor=request.user, findings=findings, **data)
        body = self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)


# 任务清单: each visible project's task, targets and deadline.
@extend_schema(tags=TAG)
class TaskViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = s.TaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectListFilterSet

    def refine(self, queryset):
        return queryset.select_related("plan", "lead_unit").prefetch_related("targets")


# 责任清单: lead and cooperating units, responsible leader, contact and deadline of each project.
@extend_schema(tags=TAG)
class ResponsibilityViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = s.ResponsibilitySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectListFilterSet

    def refine(self, queryset):
        return queryset.select_related("plan", "lead_unit", "upkeep_unit").prefetch_related(
            "cooperating_units"
        )


YEAR = OpenApiParameter("year", int, description="年度（默认当年）。")


def year_param(request) -> int:
    raw = (request.query_params.get("year") or "").strip()
    if not raw:
        return timezone.localdate().year
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    raise DomainError(
        "年度参数（year）应为2000到2100之间的整数。", code=CommonErrorCode.INVALID_YEAR, field="year"
    )


# 问责记录: per unit, missed 督办 stages, overdue and returned reports, problems; for the year-end evaluation.
@extend_schema(tags=TAG, parameters=[YEAR])
class AccountabilityViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Unit.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = s.AccountabilitySerializer

    def refine(self, queryset):
        units = queryset.select_related("region")
        return with_accountability(units, year_param(self.request))


# The board's counts for the user (the page /supervision/ shows the rows too).
class BoardView(APIView):
    @extend_schema(tags=TAG, summary="督查看板汇总", responses={200: dict})
    def get(self, request):
        if not can_view(request.user):
            raise PermissionDenied("督查看板仅供民生办、领导和审计人员查看。")
        board = build_board(request.user, _on(request))
        return Response(
            {
                "on": board.on,
                "lagging": board.lagging_count,
                "overdue_milestones": board.milestones_count,
                "missing_reports": board.missing_reports_count,
                "late_reports": board.late_reports_count,
                "funds_idle": board.funds_count,
                "open_alerts": board.open_alerts,
                "open_orders": board.open_orders,
                "escalated_orders": board.overdue_orders,
                "open_problems": board.open_problems,
            }
        )


def _on(request) -> datetime.date | None:
    raw = (request.query_params.get("on") or "").strip()
    if not raw:
        return None
    try:
        on = datetime.date.fromisoformat(raw)
    except ValueError:
        on = None
    # The board counts back from `on` (report months, retention days): 0001-01-01 underflowed (a 500).
    if on is None or not 2000 <= on.year <= 2100:
        raise DomainError(
            "日期参数（on）格式应为YYYY-MM-DD，年份在2000到2100之间。",
            code=CommonErrorCode.INVALID_DATE,
            field="on",
        )
    return on
