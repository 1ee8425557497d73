"""Pages of unit filing at /filing/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from workbench.views import LoginView

from . import views

app_name = "filing"
urlpatterns = [
    # The one login of minsheng (workbench.views.LoginView): a filer lands on the filing page, others on
    # the home of their role.
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("review/", views.review_list, name="review"),
    path("projects/<int:pk>/months/<int:month>/", views.report_page, name="report"),
    path("projects/<int:pk>/months/<int:month>/review/", views.review, name="review_report"),
    path("projects/<int:pk>/months/<int:month>/submit/", views.submit, name="submit_report"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("attachments/<int:pk>/delete/", views.delete_attachment, name="delete_attachment"),
]
