"""Pages of supervision for units and staff outside the admin (filled in by its issue)."""

app_name = "supervision"
urlpatterns: list = []
