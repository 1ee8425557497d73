"""What the login machinery keeps: recent password hashes, each account's sessions, lockouts in Chinese."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models


class PasswordHistory(models.Model):
    """A password an account has had (its hash), so the last few are not reused and the age of the current
    one is known (expiry)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField("密码散列", max_length=256)
    created = models.DateTimeField("设置时间", db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.user} @ {self.created:%Y-%m-%d %H:%M}"


class LoginSessionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended__isnull=True)


class LoginSession(models.Model):
    """One successful sign-in and the session it opened: listed to its user (登录会话), ended by a newer
    sign-in, a timeout or the user; the previous one gives the last-login notice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField("会话标识", max_length=40, db_index=True)
    ip = models.CharField("登录地址", max_length=64, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)
    created = models.DateTimeField("登录时间", db_index=True)
    last_seen = models.DateTimeField("最近活动")
    ended = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=20, blank=True)

    objects = LoginSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.user} {self.ip} {self.created:%Y-%m-%d %H:%M}"


class Lockout(AccessAttempt):
    """django-axes' failed-login counters under Chinese names, for the 安全管理员's unlock page."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"
