"""The signed-in user's own notifications under /api/v1/notifications/."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from org.api.serializers import ErrorSerializer

from .. import services
from ..models import Notification
from .serializers import MarkedSerializer, NotificationSerializer

ERROR_403 = OpenApiResponse(ErrorSerializer, description="未登录。")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="不存在或不是本人的消息。")


class NotificationFilterSet(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="仅未读")

    class Meta:
        model = Notification
        fields = ["unread", "event"]


# The user's own inbox, newest first (comments, not docstrings, on viewsets: see org/api/views.py).
@extend_schema_view(
    list=extend_schema(
        summary="我的消息",
        description="本人的站内消息，最新在前；unread=true 仅看未读。",
        responses={200: NotificationSerializer, 403: ERROR_403},
    ),
    retrieve=extend_schema(
        summary="消息详情", responses={200: NotificationSerializer, 403: ERROR_403, 404: ERROR_404}
    ),
)
@extend_schema(tags=["消息通知"])
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Notification.objects.none()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        # Own only, even for a superuser: this is an inbox, not an audit view (the admin is that).
        return Notification.objects.filter(user=self.request.user)

    @extend_schema(
        summary="标记为已读",
        request=None,
        responses={200: NotificationSerializer, 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.mark_read(request.user, [notification])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(summary="全部标记为已读", request=None, responses={200: MarkedSerializer, 403: ERROR_403})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_read(request.user)})
