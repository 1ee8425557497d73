"""Supervision under /api/v1/supervision/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AccountabilityViewSet,
    AlertViewSet,
    BoardView,
    InspectionViewSet,
    OrderViewSet,
    ProblemViewSet,
    ResponsibilityViewSet,
    TaskViewSet,
)

# SimpleRouter for the reason given in org/api/urls.py.
router = SimpleRouter()
router.register("supervision/alerts", AlertViewSet, basename="supervision-alert")
router.register("supervision/orders", OrderViewSet, basename="supervision-order")
router.register("supervision/problems", ProblemViewSet, basename="supervision-problem")
router.register("supervision/inspections", InspectionViewSet, basename="supervision-inspection")
router.register("supervision/tasks", TaskViewSet, basename="supervision-task")
router.register("supervision/responsibilities", ResponsibilityViewSet, basename="supervision-responsibility")
router.register("supervision/accountability", AccountabilityViewSet, basename="supervision-accountability")
urlpatterns = [path("supervision/board/", BoardView.as_view(), name="supervision-board"), *router.urls]
