"""Funding under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import EntryViewSet, MonthlyView, SummaryView, TotalsView

# SimpleRouter for the reason given in org/api/urls.py.
router = SimpleRouter()
router.register("funding/entries", EntryViewSet, basename="funding-entry")
urlpatterns = [
    path("funding/summary/", SummaryView.as_view(), name="funding-summary"),
    path("funding/totals/", TotalsView.as_view(), name="funding-totals"),
    path("funding/monthly/", MonthlyView.as_view(), name="funding-monthly"),
    *router.urls,
]
