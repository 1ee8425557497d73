"""Each role's home, the 民生办 workbench and the change history (the login lives in minsheng/urls.py)."""

from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("workbench/", views.index, name="index"),
    path("history/", views.changes, name="history"),
]
