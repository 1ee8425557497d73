"""Public disclosure pages of issue 6: projects, progress, funds, photos, bulletins, surveys.
Mounted under the publicity namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("disclosure/", views.project_list, name="disclosure"),
    path("disclosure/<int:year>/", views.project_list, name="disclosure-year"),
    path("disclosure/projects/<int:pk>/", views.project_detail, name="disclosure-project"),
    path("disclosure/photos/<int:pk>/", views.photo, name="disclosure-photo"),
    path("disclosure/bulletins/", views.bulletin_list, name="disclosure-bulletins"),
]
urlpatterns += [path("disclosure/projects/<int:pk>/survey/", views.survey, name="disclosure-survey")]
