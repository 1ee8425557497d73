"""Password history and expiry: when an account's password was set, whether it must be changed now."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from minsheng.security_events import EventKind, emit

from .models import PasswordHistory


def _current_request():
    """The request being served, when there is one (simple_history's middleware keeps it for the change
    history): who changed a password through the admin, and from where."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


@transaction.atomic
def record_password(user, *, at, keep: int = 5) -> PasswordHistory:
    """Keep the hash of `user`'s new password (the last `keep` only) and emit PASSWORD_CHANGED unless it is
    the account's first password (its creation)."""
    latest = PasswordHistory.objects.filter(user=user).first()
    if latest is not None and latest.password == user.password:
        return latest  # already recorded (a new account saved by set_password: post_save came first)
    first = latest is None
    entry = PasswordHistory.objects.create(user=user, password=user.password, created=at)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    if not first:
        request = _current_request()
        actor = getattr(request, "user", None) if request is not None else None
        emit(
            EventKind.PASSWORD_CHANGED,
            request=request,
            user=actor if actor is not None and actor.is_authenticated else user,
            target=f"user:{user.get_username()}",
            detail={"by_self": actor is None or getattr(actor, "pk", None) == user.pk},
        )
    return entry


def password_set_at(user):
    """When `user`'s current password was set (None: no record, e.g. an account without a password)."""
    entry = PasswordHistory.objects.filter(user=user).only("created").first()
    return entry.created if entry is not None else None


def password_expired(user, *, now=None) -> bool:
    """Whether `user` must change their password before going on (every account is staff-type: the public
    signs in to nothing)."""
    max_age = settings.MINSHENG_PASSWORD_MAX_AGE_DAYS
    if not max_age or not user.is_authenticated or not user.has_usable_password():
        return False
    set_at = password_set_at(user)
    return set_at is not None and (now or timezone.now()) - set_at > timedelta(days=max_age)
