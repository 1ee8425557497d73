"""Funding API: money entries (list, detail; staff record and cancel through the services) and summaries,
all limited to what the user may see. (Comments, not docstrings, on views: see org/api/views.py.)"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.api import RestrictedViewSetMixin
from minsheng.errors import DomainError
from org.api.serializers import ErrorSerializer
from org.models import Region, Unit

from .. import services, summaries
from ..errors import FundingErrorCode
from ..filtersets import EntryFilterSet
from ..models import Entry
from .serializers import (
    CancelSerializer,
    EntryCreateSerializer,
    EntrySerializer,
    MonthRowSerializer,
    SummaryByQuerySerializer,
    SummaryQuerySerializer,
    SummaryRowSerializer,
    TotalsSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="参数有误或被业务规则拒绝（如拨付超过已到位资金）。"),
    403: OpenApiResponse(ErrorSerializer, description="未登录或无权操作。"),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="不存在或不在可见范围内。")}


# Money entries the user may see; staff of the project's region record and cancel them.
@extend_schema_view(
    list=extend_schema(
        summary="资金流水列表",
        description="到位、拨付、支出流水（含已作废的，见 is_cancelled）；可见范围同项目。",
        responses={200: EntrySerializer, **ERRORS},
    ),
    retrieve=extend_schema(summary="资金流水详情", responses={200: EntrySerializer, **ERRORS, **NOT_FOUND}),
    create=extend_schema(
        summary="登记资金流水",
        description=(
            "民生办工作人员登记到位（文号）、拨付（拨付单位）或支出（用途）。按资金来源层级校验："
            "累计支出≤累计拨付≤累计到位（按日期逐日校验），日期须在计划年度内；被拒绝时不写入任何数据。"
        ),
        request=EntryCreateSerializer,
        responses={201: EntrySerializer, **ERRORS},
    ),
)
@extend_schema(tags=["资金保障"])
class EntryViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Entry.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = EntrySerializer
    filterset_class = EntryFilterSet
    search_fields = ["project__code", "project__title", "document_number", "voucher", "purpose"]
    ordering_fields = ["date", "amount", "recorded_at"]

    def refine(self, queryset):
        return queryset.select_related("project", "recipient_unit").order_by("-date", "-pk")

    def get_serializer_class(self):
        return EntryCreateSerializer if self.action == "create" else EntrySerializer

    def create(self, request, *args, **kwargs):
        incoming = EntryCreateSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        project = data.pop("project")
        entry = services.record_entry(project, actor=request.user, **data)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="作废资金流水",
        description="作废一笔登记错误的流水（须说明原因）；作废后不再计入合计。",
        request=CancelSerializer,
        responses={200: EntrySerializer, **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        entry = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.cancel_entry(entry, actor=request.user, reason=body.validated_data["reason"])
        return Response(EntrySerializer(entry).data)


def summary_filters(request, serializer_class) -> dict:
    """Validated query parameters, with region and unit looked up within what the user may see."""
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    data = dict(params.validated_data)
    if "region" in data:
        region = Region.objects.restrict(request.user).filter(code=data["region"]).first()
        if region is None:
            raise DomainError(
                "区划不存在或不在您的可见范围内。", code=FundingErrorCode.UNKNOWN_REGION, field="region"
            )
        data["region"] = region
    if "unit" in data:
        unit = Unit.objects.restrict(request.user).filter(pk=data["unit"]).first()
        if unit is None:
            raise DomainError(
                "单位不存在或不在您的可见范围内。", code=FundingErrorCode.UNKNOWN_UNIT, field="unit"
            )
        data["unit"] = unit
    return data


@extend_schema(tags=["资金保障"])
class SummaryView(APIView):
    @extend_schema(
        summary="资金汇总",
        description=(
            "按项目、牵头单位、区划（下一级区划，各含其下级；另列本级）、资金来源层级或领域类别汇总计划、到位、"
            "拨付、支出及到位率、拨付率、执行率；金额为元，另附万元/亿元文字。指定 month 时统计至该月末。"
        ),
        parameters=[SummaryByQuerySerializer],
        responses={200: SummaryRowSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        data = summary_filters(request, SummaryByQuerySerializer)
        by = data.pop("by")
        rows = [summaries.with_text(row) for row in summaries.summarize(request.user, by, **data)]
        return Response(SummaryRowSerializer(rows, many=True).data)


@extend_schema(tags=["资金保障"])
class TotalsView(APIView):
    @extend_schema(
        summary="资金年度合计",
        description=(
            "年度合计（可按区划、来源层级、类别、单位筛选）；"
            "指定 month 时统计至该月末并与上年同期比较（同比）。"
        ),
        parameters=[SummaryQuerySerializer],
        responses={200: TotalsSerializer, **ERRORS},
    )
    def get(self, request):
        data = summary_filters(request, SummaryQuerySerializer)
        return Response(TotalsSerializer(summaries.totals(request.user, **data)).data)


@extend_schema(tags=["资金保障"])
class MonthlyView(APIView):
    @extend_schema(
        summary="资金按月汇总",
        description="12个月：当月与1-N月累计的到位、拨付、支出，上年同期累计及同比增长。",
        parameters=[SummaryQuerySerializer],
        responses={200: MonthRowSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        data = summary_filters(request, SummaryQuerySerializer)
        data.pop("month", None)
        return Response(MonthRowSerializer(summaries.monthly(request.user, **data), many=True).data)
