"""Public pages of issue 3: the open round and its proposal form, candidates, voting, results,
"where did my proposal go". Mounted under the publicity namespace."""

from django.urls import path

from verification.views import verify_phone

from . import views

urlpatterns = [
    path("participate/", views.participate, name="participate"),
    path("proposals/rounds/<int:pk>/", views.round_detail, name="round"),
    path("proposals/submitted/<str:code>/", views.proposal_submitted, name="proposal_submitted"),
    path("proposals/track/", views.track, name="track"),
    path("votes/", views.votes, name="votes"),
    path("votes/<int:pk>/", views.vote_detail, name="vote"),
    path("votes/<int:pk>/results/", views.vote_results, name="vote_results"),
    path("votes/receipts/", views.receipt_check, name="receipt_check"),
    path("votes/receipts/<str:receipt>/", views.receipt_detail, name="receipt_detail"),
    path("verify/<slug:purpose>/", verify_phone, name="verify_phone"),
]
