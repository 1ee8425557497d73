"""Forms of the public side: the two steps of phone verification (phone, then code)."""

from django import forms

from minsheng.phones import normalize_phone


class PhoneForm(forms.Form):
    """Step 1: the citizen's mobile number, to which a code is texted."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Chinese labels take no colon
        super().__init__(*args, **kwargs)

    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        help_text="仅用于验证身份；系统只保存加密后的号码和打码后的号码（如138****5678）。",
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "inputmode": "numeric",
                "autocomplete": "tel",
                "placeholder": "11位手机号码",
            }
        ),
    )

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class CodeForm(PhoneForm):
    """Step 2: the phone again (carried in the page, never in the session) and the code received."""

    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "验证码为6位数字。"},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": "6",
                "pattern": r"\d{6}",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = ""
        self.fields["phone"].widget.attrs["readonly"] = "readonly"
