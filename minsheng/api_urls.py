"""Everything under /api/v1/: the `api/urls.py` of each of our installed apps, mounted at the same root."""

from django.conf import settings
from django.urls import include, path

API_APPS = [app for app in settings.INSTALLED_APPS if (settings.BASE_DIR / app / "api" / "urls.py").is_file()]

urlpatterns = [path("", include(f"{app}.api.urls")) for app in API_APPS]
