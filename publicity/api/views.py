"""The public disclosure API: no login, published projects only, explicit public serializers."""

from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from bulletins.models import Bulletin
from projects.models import Project

from ..disclosure import queries
from .serializers import PublicBulletinSerializer, PublicProjectDetailSerializer, PublicProjectSerializer

YEAR_FIELD = forms.IntegerField(required=False, min_value=2000, max_value=2100)
YEAR = OpenApiParameter("year", type=int, description="年度。")


# Published projects, for anyone (comments, not docstrings: see org/api/views.py).
@extend_schema_view(
    list=extend_schema(summary="公开的民生实事项目", parameters=[YEAR]),
    retrieve=extend_schema(summary="公开的民生实事项目详情"),
)
@extend_schema(tags=["信息公开"])
class PublicProjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.none()
    permission_classes = [AllowAny]
    authentication_classes: list = []  # public: no session, so no CSRF and no per-user answers
    filter_backends: list = []

    def get_serializer_class(self):
        return PublicProjectDetailSerializer if self.action == "retrieve" else PublicProjectSerializer

    def get_queryset(self):
        if self.action == "retrieve":
            return queries.public_project_detail()
        projects = queries.public_projects()
        year = YEAR_FIELD.clean(self.request.query_params.get("year"))
        return projects.filter(plan__year=year) if year else projects

    def get_object(self):
        project = super().get_object()
        project.public_photo_list = list(queries.public_photos(project.pk))
        return project


# Issued bulletins staff published, for anyone.
@extend_schema_view(
    list=extend_schema(summary="公开的工作简报", parameters=[YEAR]),
    retrieve=extend_schema(summary="公开的工作简报详情"),
)
@extend_schema(tags=["信息公开"])
class PublicBulletinViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Bulletin.objects.none()
    permission_classes = [AllowAny]
    authentication_classes: list = []
    filter_backends: list = []
    serializer_class = PublicBulletinSerializer

    def get_queryset(self):
        return queries.public_bulletins(YEAR_FIELD.clean(self.request.query_params.get("year")))
