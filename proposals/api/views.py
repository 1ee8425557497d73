"""API for rounds, proposals, candidates and decision steps, limited to what the user may see; staff
actions are POSTs that call the services (leaders and auditors get 403, other regions 404)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from minsheng.api import RestrictedViewSetMixin
from minsheng.errors import CommonErrorCode, DomainError
from org.api.serializers import ErrorSerializer
from org.api.views import ReadOnlyViewSet
from org.models import Unit

from .. import services
from ..filtersets import (
    CandidateFilterSet,
    CollectionRoundFilterSet,
    DecisionStepFilterSet,
    ProposalFilterSet,
)
from ..models import Candidate, CollectionRound, DecisionStep, Proposal, ProposalAction
from .serializers import (
    AdjustmentCreateSerializer,
    CandidateSerializer,
    CollectionRoundSerializer,
    DecisionStepCreateSerializer,
    DecisionStepSerializer,
    MergeSerializer,
    ProposalCreateSerializer,
    ProposalSerializer,
    ReasonSerializer,
    RequiredReasonSerializer,
    ShortlistSerializer,
    TraceEventSerializer,
)

LIST_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="参数有误。"),
    403: OpenApiResponse(ErrorSerializer, description="未登录或无权访问。"),
}
DETAIL_ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="未登录或无权访问。"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不在可见范围内。"),
}
ACTION_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误或不符合办理规则（中文说明）。"),
    403: OpenApiResponse(ErrorSerializer, description="只有本区划民生办工作人员可以办理。"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不在可见范围内。"),
    409: OpenApiResponse(ErrorSerializer, description="当前状态不允许此操作（如决策环节顺序不对）。"),
}


def _visible_units(user):
    return Unit.objects.restrict(user)


def _resolve(queryset, ids, message):
    """The objects with these ids among the visible ones, or a 404-like DomainError."""
    found = list(queryset.filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise DomainError(message, code=CommonErrorCode.NOT_FOUND)
    return found


# Collection rounds the user may see.
@extend_schema_view(
    list=extend_schema(summary="征集活动列表", responses={200: CollectionRoundSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(
        summary="征集活动详情", responses={200: CollectionRoundSerializer, **DETAIL_ERRORS}
    ),
)
@extend_schema(tags=["建议征集与决策"])
class CollectionRoundViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = CollectionRound.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = CollectionRoundSerializer
    filterset_class = CollectionRoundFilterSet
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def refine(self, queryset):
        return queryset.select_related("region")


# Proposals the user may see, with their handling log; staff handle them through the POST actions.
@extend_schema_view(
    list=extend_schema(
        summary="建议列表",
        description="本人所在区划及下级区划的建议；单位填报员只看到本单位报送的建议。手机号只显示脱敏号码。",
        responses={200: ProposalSerializer, **LIST_ERRORS},
    ),
    retrieve=extend_schema(summary="建议详情", responses={200: ProposalSerializer, **DETAIL_ERRORS}),
)
@extend_schema(tags=["建议征集与决策"])
class ProposalViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = Proposal.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def refine(self, queryset):
        return queryset.select_related("round__region", "proposer_unit", "merged_into").prefetch_related(
            Prefetch("actions", queryset=ProposalAction.objects.select_related("actor", "related_proposal")),
            "attachments",
            "candidates",
        )

    def _respond(self, proposal, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data, status=code)

    @extend_schema(
        summary="登记建议（来信、邮件、单位报送、代表建议等）",
        request=ProposalCreateSerializer,
        responses={201: ProposalSerializer, **ACTION_ERRORS},
    )
    def create(self, request):
        body = ProposalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        round = get_object_or_404(CollectionRound.objects.restrict(request.user), pk=data.pop("round"))
        phone = data.pop("phone") or None
        proposal = services.submit_proposal(
            round, data, phone=phone, source=data.pop("source"), actor=request.user
        )
        return self._respond(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        summary="受理建议", request=ReasonSerializer, responses={200: ProposalSerializer, **ACTION_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.accept_proposal(self.get_object(), actor=request.user, **body.validated_data)
        )

    @extend_schema(
        summary="不予采纳（须说明理由）",
        request=RequiredReasonSerializer,
        responses={200: ProposalSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        body = RequiredReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.decline_proposal(self.get_object(), actor=request.user, **body.validated_data)
        )

    @extend_schema(
        summary="合并建议",
        description="把多条建议合并为其中一条（into），其余建议保留指向它的链接，状态为“已合并”。",
        request=MergeSerializer,
        responses={200: ProposalSerializer, **ACTION_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def merge(self, request):
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        proposals = _resolve(self.get_queryset(), data["proposals"], "所选建议不存在或不在可见范围内。")
        into = next((p for p in proposals if p.pk == data["into"]), None)
        if into is None:
            raise DomainError("保留的建议须是所选建议之一。", code=CommonErrorCode.INVALID, field="into")
        return self._respond(
            services.merge_proposals(proposals, into=into, actor=request.user, reason=data["reason"])
        )

    @extend_schema(
        summary="列入备选项目",
        description="把已受理的建议列入已有备选项目（candidate），或新建一个备选项目。",
        request=ShortlistSerializer,
        responses={200: CandidateSerializer, **ACTION_ERRORS},
    )
    @action(detail=False, methods=["post"])
    def shortlist(self, request):
        body = ShortlistSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        proposals = _resolve(self.get_queryset(), data["proposals"], "所选建议不存在或不在可见范围内。")
        candidate = None
        if data.get("candidate"):
            candidate = get_object_or_404(Candidate.objects.restrict(request.user), pk=data["candidate"])
        candidate = services.shortlist_proposals(
            proposals, actor=request.user, candidate=candidate, title=data["title"], reason=data["reason"]
        )
        return Response(
            CandidateSerializer(
                with_candidate_details(Candidate.objects.restrict(request.user)).get(pk=candidate.pk)
            ).data
        )

    @extend_schema(
        summary="建议去向",
        description="按时间顺序：提交、受理、合并、列入备选、投票结果、决策程序、立项。",
        responses={200: TraceEventSerializer(many=True), **DETAIL_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def trace(self, request, pk=None):
        return Response(TraceEventSerializer(services.trace(self.get_object()), many=True).data)


def with_candidate_details(queryset):
    return queryset.select_related("region").prefetch_related(
        "proposals",
        Prefetch("steps", queryset=DecisionStep.objects.select_related("responsible_unit", "recorded_by")),
    )


# Candidates (备选项目) the user may see, with their decision steps; staff record the next step by POST.
@extend_schema_view(
    list=extend_schema(summary="备选项目列表", responses={200: CandidateSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(summary="备选项目详情", responses={200: CandidateSerializer, **DETAIL_ERRORS}),
)
@extend_schema(tags=["建议征集与决策"])
class CandidateViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = Candidate.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilterSet
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def refine(self, queryset):
        return with_candidate_details(queryset)

    @extend_schema(
        summary="登记决策环节",
        description=(
            "按顺序登记下一决策环节：决策动议 → 公众参与（自动附投票结果）→ 专家论证 → 风险评估（三项风险等级"
            "和书面报告）→ 合法性审查 → 集体讨论决定（通过时须给出 project：编号、牵头单位等，自动立项）。"
            "结论为“不通过”时程序结束。上传文件请用 multipart（此时不能带 project）。"
        ),
        request={
            "application/json": DecisionStepCreateSerializer,
            "multipart/form-data": DecisionStepCreateSerializer,
        },
        responses={201: DecisionStepSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def steps(self, request, pk=None):
        body = DecisionStepCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        _require_units_visible(request.user, data)
        step = services.record_decision_step(self.get_object(), actor=request.user, **data)
        return Response(DecisionStepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记动态调整",
        description="已立项的备选项目的动态调整：记入项目的调整记录，并作为决策程序的一步。",
        request=AdjustmentCreateSerializer,
        responses={201: DecisionStepSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def adjustments(self, request, pk=None):
        body = AdjustmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = services.record_candidate_adjustment(
            self.get_object(), actor=request.user, **body.validated_data
        )
        return Response(DecisionStepSerializer(step).data, status=status.HTTP_201_CREATED)


def _require_units_visible(user, data) -> None:
    """Units named in a step must be ones the user may see (a forged id from elsewhere is refused)."""
    project = data.get("project") or {}
    units = [data.get("responsible_unit"), project.get("lead_unit"), *project.get("cooperating_units", [])]
    ids = {u.pk for u in units if u is not None}
    if ids and _visible_units(user).filter(pk__in=ids).count() != len(ids):
        raise DomainError(
            "所选单位不在您的可见范围内。", code=CommonErrorCode.INVALID, field="responsible_unit"
        )


# Every recorded decision step the user may see.
@extend_schema_view(
    list=extend_schema(summary="决策程序记录列表", responses={200: DecisionStepSerializer, **LIST_ERRORS}),
    retrieve=extend_schema(
        summary="决策程序记录详情", responses={200: DecisionStepSerializer, **DETAIL_ERRORS}
    ),
)
@extend_schema(tags=["建议征集与决策"])
class DecisionStepViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = DecisionStep.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    serializer_class = DecisionStepSerializer
    filterset_class = DecisionStepFilterSet
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def refine(self, queryset):
        return queryset.select_related("responsible_unit", "recorded_by")
