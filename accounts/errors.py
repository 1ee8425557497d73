"""Error codes of the login machinery (API answers {code, detail})."""

from django.db import models


class AccountsErrorCode(models.TextChoices):
    LOCKED_OUT = "locked_out", "登录失败次数过多，已暂时锁定"
    SESSION_EXPIRED = "session_expired", "会话已超时，请重新登录"
    PASSWORD_EXPIRED = "password_expired", "密码已过期，须先修改密码"
