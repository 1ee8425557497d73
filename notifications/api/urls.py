"""Notifications under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .views import NotificationViewSet

# SimpleRouter for the reason given in org/api/urls.py.
router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = router.urls
