"""Public disclosure pages of issue 6: projects, progress, funds, bulletins, surveys.
Mounted under the publicity namespace."""

urlpatterns: list = []
