"""Receivers: a sign-in opens a login session, a sign-out closes it, an axes lockout is a LOCKOUT event.

(Login, logout and failed-login events themselves are recorded by the audit app from Django's signals.)
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from . import lockout, passwords, sessions


@receiver(user_logged_in, dispatch_uid="accounts.start_session")
def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.start_session(request, user)


@receiver(user_logged_out, dispatch_uid="accounts.close_session")
def on_logged_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.close_current(request, reason=sessions.EndReason.LOGOUT)


user_locked_out.connect(lockout.on_locked_out, dispatch_uid="accounts.lockout_event")


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.first_password")
def on_user_created(sender, instance, created, raw=False, **kwargs):
    """A new account's first password starts its history (create_user() writes the hash directly, without
    the set_password() that makes Django call the validators' password_changed())."""
    if created and not raw and instance.has_usable_password():
        passwords.record_password(instance, at=timezone.now(), keep=settings.MINSHENG_PASSWORD_HISTORY)
