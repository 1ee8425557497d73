"""The public disclosure API under /api/v1/public/ (no login)."""

from rest_framework.routers import SimpleRouter

from .views import PublicProjectViewSet

router = SimpleRouter()
router.register("public/projects", PublicProjectViewSet, basename="public-project")
urlpatterns = router.urls
