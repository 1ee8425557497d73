"""Bulletins under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import BuildBulletinView, BulletinViewSet, PublicBulletinDocxView, PublicBulletinPdfView

router = SimpleRouter()
router.register("bulletins", BulletinViewSet, basename="bulletin")
urlpatterns = [
    path("bulletins/build/", BuildBulletinView.as_view(), name="bulletin-build"),
    path("bulletins/public/<int:pk>/pdf/", PublicBulletinPdfView.as_view(), name="bulletin-public-pdf"),
    path("bulletins/public/<int:pk>/docx/", PublicBulletinDocxView.as_view(), name="bulletin-public-docx"),
    *router.urls,
]
