"""Template filters of the admin's change history: field names and empty values in Chinese."""

from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.filter
def field_label(name: str, opts) -> str:
    """The verbose name of a model field given by name (as simple_history's deltas name it)."""
    try:
        return str(opts.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


@register.filter
def history_value(value):
    """An old or new value of a delta: nothing recorded reads （空）, never None."""
    if value in (None, "", "None"):
        return "（空）"
    return value
