"""Forms of the ledger admin pages: upload a ledger, choose what to export."""

from django import forms

from org.models import Region
from projects.models import Plan

from .choices import LedgerKind
from .services import EXPORT_KINDS, IMPORTERS

INPUT = "border border-base-200 rounded-default px-3 py-2 bg-white dark:bg-base-900 w-full"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="台账类型", choices=[(k, LedgerKind(k).label) for k in IMPORTERS])
    region = forms.ModelChoiceField(label="区划", queryset=Region.objects.none())
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="留空则从标题中的“20XX年”识别。",
    )
    file = forms.FileField(label="台账文件（.xlsx）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.restrict(user)
        if user.unit_id:
            self.fields["region"].initial = user.unit.region_id
        for field in self.fields.values():
            field.widget.attrs["class"] = INPUT

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError("请上传 .xlsx 格式的Excel文件（.xls 请先另存为 .xlsx）。")
        return upload


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label="导出内容", choices=list(EXPORT_KINDS.items()))
    plan = forms.ModelChoiceField(label="年度计划", queryset=Plan.objects.none())
    month = forms.IntegerField(label="汇总截至月份", required=False, min_value=1, max_value=12)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.restrict(user).select_related("region")
        for field in self.fields.values():
            field.widget.attrs["class"] = INPUT
