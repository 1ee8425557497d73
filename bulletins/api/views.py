"""Bulletins under /api/v1/: list, detail and PDF with the admin's visibility; building a draft (staff)."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.api import RestrictedViewSetMixin
from minsheng.errors import PermissionDenied
from org import access
from org.api.serializers import ErrorSerializer
from org.api.views import ReadOnlyViewSet
from org.models import Region

from ..downloads import docx_response, pdf_response
from ..models import Bulletin
from ..tasks import build_bulletin_task
from .serializers import (
    BuildRequestSerializer,
    BuildResponseSerializer,
    BulletinDetailSerializer,
    BulletinSerializer,
)

ERROR_403 = OpenApiResponse(ErrorSerializer, description="未登录或无权访问。")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="简报不存在或不在可见范围内。")
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="PDF文件（附中文文件名）。")
DOCX = OpenApiResponse(OpenApiTypes.BINARY, description="Word文件（.docx，附中文文件名）。")


# Bulletins the user may see: staff their region's drafts and issued bulletins, other roles issued ones.
@extend_schema_view(
    list=extend_schema(
        summary="工作简报列表",
        description="本人所在区划及下级区划的简报；民生办工作人员可见草稿，其他角色只见已印发的简报。",
        responses={200: BulletinSerializer, 403: ERROR_403},
    ),
    retrieve=extend_schema(
        summary="工作简报详情",
        description="含各章节文字；已印发简报的文字为定稿，不随数据变化。",
        responses={200: BulletinDetailSerializer, 403: ERROR_403, 404: ERROR_404},
    ),
)
@extend_schema(tags=["工作简报"])
class BulletinViewSet(RestrictedViewSetMixin, ReadOnlyViewSet):
    queryset = Bulletin.objects.all()  # the model; RestrictedViewSetMixin scopes it to the user
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["year", "month", "status", "is_public"]

    def get_serializer_class(self):
        return BulletinDetailSerializer if self.action == "retrieve" else BulletinSerializer

    def refine(self, queryset):
        qs = queryset.select_related("region")
        if self.action == "retrieve":
            qs = qs.prefetch_related("sections")
        return qs.order_by("-year", "-month", "region__path", "-pk")

    @extend_schema(summary="简报PDF", responses={200: PDF, 403: ERROR_403, 404: ERROR_404})
    @action(detail=True, url_path="pdf", url_name="pdf")
    def pdf(self, request, pk=None):
        return pdf_response(self.get_object(), request)

    @extend_schema(summary="简报Word文件", responses={200: DOCX, 403: ERROR_403, 404: ERROR_404})
    @action(detail=True, url_path="docx", url_name="docx")
    def docx(self, request, pk=None):
        return docx_response(self.get_object(), request)


@extend_schema(tags=["工作简报"])
class BuildBulletinView(APIView):
    @extend_schema(
        summary="生成简报草稿",
        description="民生办工作人员按区划和期间生成（或重新生成）简报草稿，后台任务执行。",
        request=BuildRequestSerializer,
        responses={202: BuildResponseSerializer, 400: OpenApiResponse(ErrorSerializer), 403: ERROR_403},
    )
    def post(self, request):
        data = BuildRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        region = Region.objects.restrict(request.user).filter(code=data.validated_data["region"]).first()
        if region is None or not access.may_edit(request.user):
            raise PermissionDenied("只有本级及上级民生办工作人员可以生成简报。")
        result = build_bulletin_task.delay(
            region.pk,
            data.validated_data["year"],
            data.validated_data["month"],
            request.user.pk,
            data.validated_data["regenerate"],
        )
        bulletin = result.result if result.ready() else None
        return Response({"task_id": result.id, "bulletin": bulletin}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["工作简报"])
class PublicBulletinPdfView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="公开简报PDF",
        description="已印发并公开的简报定稿PDF，无需登录。",
        responses={200: PDF, 404: ERROR_404},
    )
    def get(self, request, pk):
        return pdf_response(get_object_or_404(Bulletin.objects.public().select_related("region"), pk=pk))


@extend_schema(tags=["工作简报"])
class PublicBulletinDocxView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="公开简报Word文件",
        description="已印发并公开的简报（.docx），无需登录。",
        responses={200: DOCX, 404: ERROR_404},
    )
    def get(self, request, pk):
        return docx_response(get_object_or_404(Bulletin.objects.public().select_related("region"), pk=pk))
