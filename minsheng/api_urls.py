"""Everything under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("org.api.urls")),
    path("", include("projects.api.urls")),
]
