"""Pages of unit filing at /filing/."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "filing"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="filing/login.html",
            redirect_authenticated_user=True,
            next_page=reverse_lazy("filing:home"),
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("filing:login")), name="logout"),
    path("", views.home, name="home"),
    path("review/", views.review_list, name="review"),
    path("projects/<int:pk>/months/<int:month>/", views.report_page, name="report"),
    path("projects/<int:pk>/months/<int:month>/review/", views.review, name="review_report"),
    path("attachments/<int:pk>/delete/", views.delete_attachment, name="delete_attachment"),
]
