"""Regions and units under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .views import RegionViewSet, UnitViewSet

# SimpleRouter, not DefaultRouter: every app's router is included at the same prefix, and several
# DefaultRouters would each add an API root at /api/v1/ (the first shadowing the others).
router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("units", UnitViewSet, basename="unit")
urlpatterns = router.urls
