"""The SMS device of the second factor (TOTP and recovery codes are django-otp's own models)."""

from django.conf import settings
from django.db import models
from django_otp.models import SideChannelDevice, ThrottlingMixin


class SmsDevice(ThrottlingMixin, SideChannelDevice):
    """Codes sent by SMS to the user's phone (org.User.phone) through minsheng.sms, when the office switches
    SMS on (MINSHENG_OTP_SMS); one per user, created on the first send."""

    # Declared again (as django-otp's Device declares it) without a reverse relation: the type checker cannot
    # resolve a reverse manager of django-otp's untyped DeviceManager on the user model.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The user that this device belongs to.",
    )

    class Meta(SideChannelDevice.Meta):
        verbose_name = "短信验证设备"
        verbose_name_plural = "短信验证设备"

    def get_throttle_factor(self):
        return getattr(settings, "OTP_SMS_THROTTLE_FACTOR", 1)

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        verified = super().verify_token(token)
        if verified:
            self.throttle_reset()
        else:
            self.throttle_increment()
        return verified
