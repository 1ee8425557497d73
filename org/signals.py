"""Cross-app effects of org (see org/apps.py)."""

from django.utils import timezone


def record_last_login(sender, user, **kwargs):
    """Set the user's last_login without save(), so signing in leaves no row in the change history."""
    user.last_login = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=user.last_login)
