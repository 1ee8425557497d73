"""Forms of the participation pages: a proposal with its phone and code, a ballot, look-ups by code."""

from django import forms
from django.utils.datastructures import MultiValueDict

from verification.forms import PhoneForm


class ProposalPhoneForm(PhoneForm):
    """The phone (and, once texted, the code) that goes with a citizen's proposal."""

    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\s*\d{6}\s*$",
        required=False,
        error_messages={"invalid": "验证码为6位数字。"},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
        ),
    )

    def require_code(self) -> bool:
        """For the final submit: the code must be there."""
        if self.is_valid() and not self.cleaned_data.get("code"):
            self.add_error("code", "请填写短信验证码（先点击“获取验证码”）。")
        return self.is_valid()


class BallotForm(forms.Form):
    """The options ticked on a ballot paper (the service checks them against the vote)."""

    options = forms.TypedMultipleChoiceField(
        label="备选项目", coerce=int, error_messages={"required": "请至少选择1个项目。"}
    )

    def __init__(self, *args, vote, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.fields["options"].choices = [(o.pk, o.candidate.title) for o in options]
        self.fields["options"].error_messages["invalid_choice"] = "所选项目不在本次投票的备选清单中。"

    def chosen(self) -> set[int]:
        """The option ids ticked in the submitted data (to keep them ticked after an error)."""
        data = self.data
        values = data.getlist("options") if self.is_bound and isinstance(data, MultiValueDict) else []
        return {int(v) for v in values if str(v).isdigit()}


class LookupForm(forms.Form):
    """A code typed back by a citizen: a proposal's tracking code or a ballot's receipt."""

    code = forms.CharField(label="查询码", max_length=20, min_length=6)

    def __init__(self, *args, label="查询码", **kwargs):
        kwargs.setdefault("label_suffix", "")  # Chinese labels take no colon
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        self.fields["code"].error_messages["required"] = f"请输入{label}。"
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()
