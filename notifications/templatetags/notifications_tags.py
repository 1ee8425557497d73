"""The unread count shown beside the inbox link of the unit pages."""

from django import template

from ..models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user).unread().count()
