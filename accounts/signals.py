"""Receivers: a sign-in opens a login session, a sign-out closes it, an axes lockout is a LOCKOUT event.

(Login, logout and failed-login events themselves are recorded by the audit app from Django's signals.)
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import lockout, sessions


@receiver(user_logged_in, dispatch_uid="accounts.start_session")
def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.start_session(request, user)


@receiver(user_logged_out, dispatch_uid="accounts.close_session")
def on_logged_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.close_current(request, reason=sessions.EndReason.LOGOUT)


user_locked_out.connect(lockout.on_locked_out, dispatch_uid="accounts.lockout_event")
