"""Pages of filing (filled in by its issue)."""

app_name = "filing"
urlpatterns: list = []
