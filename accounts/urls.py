"""The account's own pages at /account/: password change, 登录会话."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/end/", views.end_session, name="end_session"),
]
