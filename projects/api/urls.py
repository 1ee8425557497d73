"""Projects under /api/v1/."""

from rest_framework.routers import SimpleRouter

from .views import ProjectViewSet

# SimpleRouter for the reason given in org/api/urls.py.
router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
urlpatterns = router.urls
