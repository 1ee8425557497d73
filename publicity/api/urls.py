"""The public disclosure API under /api/v1/public/ (no login)."""

from rest_framework.routers import SimpleRouter

from .views import PublicBulletinViewSet, PublicProjectViewSet

router = SimpleRouter()
router.register("public/projects", PublicProjectViewSet, basename="public-project")
router.register("public/bulletins", PublicBulletinViewSet, basename="public-bulletin")
urlpatterns = router.urls
