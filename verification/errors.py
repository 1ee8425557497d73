"""The codes of phone verification's domain errors (sending and checking one-time codes)."""

from django.db import models


class VerificationErrorCode(models.TextChoices):
    """Why a verification code could not be sent or was not accepted."""

    VERIFICATION_FAILED = "verification_failed", "手机验证未通过"
    TOO_FREQUENT = "too_frequent", "获取验证码过于频繁"
    CODE_WRONG = "code_wrong", "验证码错误"
    CODE_EXPIRED = "code_expired", "验证码已过期或已使用"
    TOO_MANY_ATTEMPTS = "too_many_attempts", "验证码错误次数过多"
