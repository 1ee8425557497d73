"""The second step after the password and the enrolment of the second factor."""

from django.urls import path

from . import views

app_name = "twofactor"
urlpatterns = [
    path("login/verify/", views.verify, name="verify"),
    path("login/verify/sms/", views.send_sms, name="sms"),
    path("account/2fa/", views.enrol, name="enrol"),
    path("account/2fa/recovery/", views.new_recovery_codes, name="recovery"),
]
