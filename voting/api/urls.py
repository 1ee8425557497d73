"""The public vote under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CastBallotView, ReceiptView, SendCodeView, VoteViewSet

# SimpleRouter for the reason given in org/api/urls.py.
router = SimpleRouter()
router.register("votes", VoteViewSet, basename="vote")
urlpatterns = [
    *router.urls,
    path("votes/<int:pk>/ballots/", CastBallotView.as_view(), name="vote-ballots"),
    path("verification/codes/", SendCodeView.as_view(), name="verification-codes"),
    path("receipts/<str:receipt>/", ReceiptView.as_view(), name="receipt"),
]
