"""Root URLs: the one login (also at /admin/login/ and /filing/login/), each role's home, the admin, the API
with its schema and docs, /healthz, unit filing, the leader dashboard, and the public portal at the root."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from workbench.views import LoginView

from .files import private_file
from .health import healthz

admin.site.site_header = "民生实事管理系统"
admin.site.site_title = "民生实事管理系统"
admin.site.index_title = "管理后台"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # issue 15 (web): every uploaded file, after the access check (minsheng/files.py).
    path("files/<path:name>", private_file, name="private-file"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The admin signs in on the same page (its own login view is shadowed; `admin:login` resolves here).
    path("admin/login/", LoginView.as_view()),
    path("admin/", admin.site.urls),
    path("", include("twofactor.urls")),  # issue 15: /login/verify/ and /account/2fa/ (second factor)
    path("api/v1/", include("minsheng.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # issue 15 (web): the docs pages without inline script or style (CSP): Swagger UI's set-up script is
    # served by the split view at ?script, both pages use templates/api/ with a static stylesheet.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    # Authentication (issue 15): the account's password and 登录会话 pages.
    path("account/", include("accounts.urls")),
    path("filing/", include("filing.urls")),
    path("notifications/", include("notifications.urls")),
    path("supervision/", include("supervision.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("workbench.urls")),
    path("", include("publicity.urls")),
]

# Chinese error pages carrying the view's reason (DEBUG off).
handler400 = "workbench.errors.bad_request"
handler403 = "workbench.errors.permission_denied"
handler404 = "workbench.errors.page_not_found"
handler500 = "workbench.errors.server_error"
# issue 15 (web): MEDIA_URL is not served, not even in DEBUG: every uploaded file is private and goes
# through /files/ (minsheng/files.py); disclosed photos and public bulletins have their publicity views.
