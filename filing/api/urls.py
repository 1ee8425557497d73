"""Filing under /api/v1/filing/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import PeriodProjectsView, ReportViewSet

# SimpleRouter for the reason given in org/api/urls.py.
router = SimpleRouter()
router.register("filing/reports", ReportViewSet, basename="filing-report")
urlpatterns = [path("filing/projects/", PeriodProjectsView.as_view(), name="filing-projects"), *router.urls]
