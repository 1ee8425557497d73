"""The leader dashboard's JSON endpoints under /api/v1/dashboard/."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/overview/", views.OverviewView.as_view(), name="dashboard-overview"),
    path("dashboard/categories/", views.CategoryView.as_view(), name="dashboard-categories"),
    path("dashboard/units/", views.UnitRankingView.as_view(), name="dashboard-units"),
    path("dashboard/projects/", views.ProjectListView.as_view(), name="dashboard-projects"),
    path("dashboard/lagging/", views.LaggingView.as_view(), name="dashboard-lagging"),
    path("dashboard/trend/", views.TrendView.as_view(), name="dashboard-trend"),
    path("dashboard/funds/", views.FundsView.as_view(), name="dashboard-funds"),
    path("dashboard/supervision/", views.SupervisionView.as_view(), name="dashboard-supervision"),
]
