"""Public pages of issue 3: the open round and its proposal form, candidates, voting, results,
"where did my proposal go". Mounted under the publicity namespace."""

from django.urls import path

from voting.views import verify_phone

urlpatterns = [
    path("verify/<slug:purpose>/", verify_phone, name="verify_phone"),
]
