"""Which device verified a session, looked up without a database query on every request.

django-otp's OTPMiddleware loads the session's device row on each request. Here the facts it checks (whose
device, confirmed) are kept in the cache under the device's persistent id, written when a device is saved and
dropped when it is deleted (twofactor/apps.py connects the signals), so a verified request costs a cache read
(Redis in production) instead of a query, and a reset (devices deleted) still unverifies every session at once
when the cache is shared. With a per-process cache (no REDIS_URL) another process may trust a deleted device
for at most CACHE_SECONDS.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django_otp.models import Device

CACHE_SECONDS = 300


@dataclass(frozen=True)
class VerifiedDevice:
    """The device a session was verified with, as request.user.otp_device: enough for django-otp's checks
    (`user_id`, `confirmed`); `device` loads the row when a caller really needs it."""

    persistent_id: str
    user_id: int
    confirmed: bool

    @cached_property
    def device(self) -> Device | None:
        return Device.from_persistent_id(self.persistent_id)


def _key(persistent_id: str) -> str:
    return f"twofactor:device:{persistent_id}"


def remember(device: Device) -> None:
    if device.confirmed:
        cache.set(_key(device.persistent_id), (device.user_id, True), CACHE_SECONDS)
    else:
        cache.delete(_key(device.persistent_id))


def device_saved(sender, instance: Device, **kwargs) -> None:
    remember(instance)


def device_deleted(sender, instance: Device, **kwargs) -> None:
    cache.delete(_key(instance.persistent_id))


def session_device(persistent_id: str) -> VerifiedDevice | None:
    """The verified-device record of a persistent id, from the cache, else from the database (then cached);
    None when the device is gone."""
    facts = cache.get(_key(persistent_id))
    if facts is None:
        device = Device.from_persistent_id(persistent_id)
        if device is None:
            return None
        remember(device)
        facts = (device.user_id, device.confirmed)
    user_id, confirmed = facts
    return VerifiedDevice(persistent_id, user_id, confirmed)
