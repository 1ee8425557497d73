from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (receivers and system checks register on import)
