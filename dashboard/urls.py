"""Pages of dashboard (filled in by its issue)."""

app_name = "dashboard"
urlpatterns: list = []
