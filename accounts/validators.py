"""Password rules (等保 2.0 level 3: complexity, no reuse), each with a Chinese message.

Named in settings.AUTH_PASSWORD_VALIDATORS, so every path that sets a password through Django's forms (the
change-password page, the admin's user forms, `changepassword`) applies them. HistoryValidator also keeps
the history: Django calls `password_changed()` on every validator whenever a user with a new password is
saved, whatever path set it (set_password, create_user, the admin), so no path can skip recording.
"""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: not c.isalnum()),
)


class LengthValidator:
    """At least `min_length` characters."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    """Characters of at least `required` of the four classes: upper case, lower case, digits, symbols."""

    def __init__(self, required: int = 3):
        self.required = required

    def validate(self, password, user=None):
        present = [name for name, member in CLASSES if any(member(c) for c in password)]
        if len(present) < self.required:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.required} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"包含大写字母、小写字母、数字、符号中的至少 {self.required} 类。"


class UsernameValidator:
    """The username (3 characters or more) does not appear in the password, in any case."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


class HistoryValidator:
    """Not one of the account's last `count` passwords; records each new password's hash (see the module)."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(
                f"不能使用最近 {self.count} 次用过的密码，请换一个新密码。", code="password_reused"
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None or not user.has_usable_password():
            return
        from . import passwords

        passwords.record_password(user, at=timezone.now(), keep=self.count)

    def get_help_text(self):
        return f"不能与最近 {self.count} 次用过的密码相同。"
