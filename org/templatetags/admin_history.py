"""Template filters of the admin's change history: empty values in Chinese."""

from django import template

register = template.Library()


@register.filter
def history_value(value):
    """An old or new value of a delta: nothing recorded reads （空）, never None."""
    if value in (None, "", "None"):
        return "（空）"
    return value
