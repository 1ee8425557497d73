"""System checks: the retention period may not be set below what 等保 2.0 asks for."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import services


@checks.register(checks.Tags.security)
def retention_period(app_configs, **kwargs):
    try:
        services.retention_days()
    except (ImproperlyConfigured, ValueError) as error:
        return [checks.Error(str(error), id="audit.E001")]
    return []
