"""The monthly report form: one field per target, investment in 万元, the narrative, attachments."""

from decimal import Decimal

from django import forms

from minsheng.fields import FIGURE
from minsheng.numbers import HumanDecimalField, plain
from projects.choices import AttachmentKind
from projects.uploads import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS, upload_error

WAN = Decimal("10000")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def value_field_name(target) -> str:
    return f"value_{target.pk}"


class ReportForm(forms.Form):
    """The lead unit's report, a cooperating unit's part (`part=True`) or a correction (`correction=True`)."""

    investment_wan = HumanDecimalField(
        label="累计完成投资（万元）",
        unit="万元",
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=4,
        help_text="可写作 95,600、7.6亿、9640万（按万元计）。",
    )
    narrative = forms.CharField(label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label="下步打算", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    correction_reason = forms.CharField(
        label="更正说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="累计数低于上月时必须写明原因。",
    )
    photos = MultipleFileField(
        label="照片",
        required=False,
        help_text="jpg、png、webp、gif。",
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(IMAGE_EXTENSIONS))}),
    )
    documents = MultipleFileField(
        label="文档",
        required=False,
        help_text="pdf、Word、Excel、PPT、txt、ofd、wps。",
        widget=MultipleFileInput(attrs={"accept": ",".join(sorted(DOCUMENT_EXTENSIONS))}),
    )

    def __init__(self, *args, targets=(), part=False, correction=False, refusals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        self.refusals = list(refusals)
        for target in self.targets:
            self.fields[value_field_name(target)] = HumanDecimalField(
                label=f"{target.name}（{target.measure}）",
                unit=target.measure,
                required=False,
                min_value=0,
                max_digits=FIGURE.max_digits,
                decimal_places=FIGURE.decimal_places,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "data-annual": plain(target.annual_target)}
                ),
            )
        if part:
            del self.fields["next_steps"], self.fields["correction_reason"]
        if correction:
            field = self.fields["correction_reason"]
            field.label, field.required = "更正原因", True
            field.help_text = "已审核通过的报告，更正须说明原因；更正记录将留存。"
            del self.fields["photos"], self.fields["documents"]

    def value_fields(self):
        return [(target, self[value_field_name(target)]) for target in self.targets]

    def clean(self):
        data = super().clean()
        for message in self.refusals:
            self.add_error(None, message)
        for field, kind in (("photos", AttachmentKind.PHOTO), ("documents", AttachmentKind.DOCUMENT)):
            for upload in data.get(field) or []:
                error = upload_error(upload, kind)
                if error:
                    self.add_error(field, error)
        return data

    def values(self) -> dict:
        return {
            target.pk: self.cleaned_data[value_field_name(target)]
            for target in self.targets
            if self.cleaned_data.get(value_field_name(target)) is not None
        }

    def investment_yuan(self) -> Decimal | None:
        wan = self.cleaned_data.get("investment_wan")
        return None if wan is None else (wan * WAN).quantize(Decimal("0.01"))

    def uploads(self):
        for field, kind in (("photos", AttachmentKind.PHOTO), ("documents", AttachmentKind.DOCUMENT)):
            for upload in self.cleaned_data.get(field) or []:
                yield kind, upload


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
