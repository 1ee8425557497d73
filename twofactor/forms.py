"""The one field of the second step: a code from the authenticator, a recovery code or an SMS code."""

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=32,
        error_messages={"required": "请输入验证码。", "max_length": "验证码不正确。"},
    )
