"""Pages of supervision at /supervision/: the board, alerts, 督办单 and problems."""

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("alerts/", views.alerts, name="alerts"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("problems/", views.problems, name="problems"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
]
