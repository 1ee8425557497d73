"""The public vote under /api/v1/: votes and their options, sending a code, casting a ballot, results and
receipts. Open to everyone (no login); sending codes and casting ballots are rate limited."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.errors import DomainError
from org.api.serializers import ErrorSerializer
from verification import services as verification

from ..errors import VotingErrorCode
from ..models import Ballot, Vote, VoteOption
from ..results import vote_result
from ..services import cast_ballot
from . import fastpath
from .serializers import (
    CastBallotSerializer,
    CodeSentSerializer,
    ReceiptSerializer,
    SendCodeSerializer,
    VoteDetailSerializer,
    VoteResultSerializer,
    VoteSerializer,
)

BALLOT_IP_LIMITS = fastpath.BALLOT_IP_LIMITS


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


class ResultsNotPublic(DomainError):
    code = VotingErrorCode.RESULTS_NOT_PUBLIC
    status = 403


def may_see_results(request, vote) -> bool:
    """The public once results are published; staff of the vote's region at any time."""
    if vote.results_public():
        return True
    user = request.user
    return user.is_authenticated and Vote.objects.restrict(user).filter(pk=vote.pk).exists()


# Votes on candidate lists (comments, not docstrings, on views: see org/api/views.py).
@extend_schema_view(
    list=extend_schema(summary="公众投票列表", description="已发布的公众投票（含未开始、投票中、已结束）。"),
    retrieve=extend_schema(
        summary="公众投票详情",
        description="投票说明、时间、每票最多可选项目数和备选项目（选项）清单。",
        responses={200: VoteDetailSerializer, 404: error("投票不存在。")},
    ),
)
@extend_schema(tags=["公众投票"])
class VoteViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    filter_backends = []
    queryset = Vote.objects.none()

    def get_queryset(self):
        queryset = Vote.objects.published().select_related("region")
        if self.action != "list":
            options = VoteOption.objects.select_related("candidate").order_by("sequence", "pk")
            queryset = queryset.prefetch_related(Prefetch("options", queryset=options))
        return queryset

    def get_serializer_class(self):
        return VoteSerializer if self.action == "list" else VoteDetailSerializer

    @extend_schema(
        summary="投票结果",
        description="各备选项目得票数、排名和有效选票总数。投票截止后公开；设为实时公布的投票在投票期间也公开；"
        "本区划的民生办工作人员登录后随时可查。",
        responses={200: VoteResultSerializer, 403: error("结果尚未公布。"), 404: error("投票不存在。")},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        vote = get_object_or_404(Vote.objects.published(), pk=pk)
        if not may_see_results(request, vote):
            raise ResultsNotPublic("投票结果将于投票截止后公布。")
        return Response(VoteResultSerializer(vote_result(vote)).data)


@extend_schema(tags=["公众投票"])
class CastBallotView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # public: no session, so no CSRF token to carry

    @extend_schema(
        summary="投票",
        description="提交一张选票：手机号、发送到该手机的验证码和所选选项ID。每个手机号在每次投票中只能投一次"
        "（数据库唯一约束保证）；选票无效或该手机号已投过票时不消耗验证码。成功返回回执码，可凭回执码查询。",
        request=CastBallotSerializer,
        responses={
            201: ReceiptSerializer,
            400: error("投票未开始或已截止、选项过多或不在清单中、验证码错误或过期。"),
            404: error("投票不存在。"),
            409: error("该手机号已投过票。"),
            429: error("操作过于频繁。"),
        },
    )
    def post(self, request, pk):
        vote = get_object_or_404(Vote.objects.published(), pk=pk)
        serializer = CastBallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        limits = verification.limits("ballot_ip_limits", BALLOT_IP_LIMITS)
        verification.check_rate(
            f"ballot-ip:{verification.client_ip(request)}", limits, "操作过于频繁，请{wait}后再试。"
        )
        ballot = cast_ballot(
            vote,
            verification.claimed_phone(data["phone"]),
            data["options"],
            verify=lambda: verification.check_code(data["phone"], data["code"], purpose="vote"),
        )
        return Response(ReceiptSerializer(ballot).data, status=status.HTTP_201_CREATED)

    def dispatch(self, request, *args, **kwargs):
        """A well-formed JSON ballot skips DRF (fastpath.py; under gunicorn the WSGI application takes it
        before Django does). Everything else goes through post()."""
        if request.method == "POST":
            ballot = fastpath.well_formed_ballot(request.content_type or "", request.body)
            answer = (
                fastpath.cast(int(kwargs["pk"]), ballot, verification.client_ip(request)) if ballot else None
            )
            if answer is not None:
                status_code, body = answer
                return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})
        return super().dispatch(request, *args, **kwargs)


@extend_schema(tags=["公众投票"])
class SendCodeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="发送短信验证码",
        description="向手机号发送6位验证码（5分钟内有效，最多尝试5次）。按手机号和IP地址限制发送频率。",
        request=SendCodeSerializer,
        responses={202: CodeSentSerializer, 400: error("手机号有误。"), 429: error("发送过于频繁。")},
    )
    def post(self, request):
        serializer = SendCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sent = verification.send_code(
            data["phone"], ip=verification.client_ip(request), purpose=data["purpose"]
        )
        body = {
            "phone_masked": sent.masked,
            "expires_in": verification.limits("code_ttl", verification.CODE_TTL),
        }
        return Response(CodeSentSerializer(body).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["公众投票"])
class ReceiptView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="查询投票回执",
        description="凭回执码确认选票已计入：投票名称、打码手机号、投票时间和所选项目。",
        responses={200: ReceiptSerializer, 404: error("回执码不存在。")},
    )
    def get(self, request, receipt):
        ballot = get_object_or_404(Ballot.objects.select_related("vote"), receipt=receipt.strip().upper())
        return Response(ReceiptSerializer(ballot).data)
