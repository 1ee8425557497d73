"""The public portal (no login): home, participation (issue 3) and disclosure (issue 6)."""

from django.urls import include, path

from . import views

app_name = "publicity"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("publicity.participation.urls")),
    path("", include("publicity.disclosure.urls")),
]
