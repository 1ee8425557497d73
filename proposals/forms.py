"""Forms for proposals: the citizen's proposal form of the public portal, and the admin's action forms."""

from django import forms

from minsheng.phones import normalize_phone
from org.models import Unit
from projects.choices import AdjustmentKind, Category, ProjectLevel

from .choices import DecisionOutcome, DecisionStage, ProposalSource, RiskRating
from .models import Candidate, Proposal
from .services import PROPOSAL_FIELDS

COST_HELP = "选填。按人民币元填写，如 500000 表示50万元。"


class PublicProposalForm(forms.ModelForm):
    """A citizen's proposal on the portal: name, category, title, content, an estimated cost and one file.

    The phone is not a field here: the public page verifies it (voting/, publicity/participation/) and passes
    it to `services.submit_proposal(round, form.cleaned_data, phone=...)`.
    """

    attachment = forms.FileField(
        label="附件（照片或文档）",
        required=False,
        help_text="选填。照片（jpg、png）或文档（pdf、doc、docx 等），不超过20MB。",
        error_messages={"invalid": "无法读取上传的文件，请重新选择。", "empty": "上传的文件是空的。"},
    )

    class Meta:
        model = Proposal
        fields = ["proposer_name", "category", "title", "description", "estimated_cost"]
        labels = {
            "proposer_name": "您的姓名",
            "category": "建议所属领域",
            "title": "建议标题",
            "description": "建议内容",
            "estimated_cost": "估算投资（元）",
        }
        help_texts = {
            "proposer_name": "",
            "category": "",
            "title": "一句话概括，如“新建城区公共停车场”。",
            "description": "请写明要办的事、涉及的地点和受益人群，以及您了解的现状。",
            "estimated_cost": COST_HELP,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "estimated_cost": forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
        }
        error_messages = {
            "proposer_name": {
                "required": "请填写您的姓名。",
                "max_length": "姓名不能超过%(limit_value)d个字。",
            },
            "category": {"required": "请选择建议所属领域。", "invalid_choice": "请选择列表中的领域。"},
            "title": {"required": "请填写建议标题。", "max_length": "标题不能超过%(limit_value)d个字。"},
            "description": {"required": "请填写建议内容。"},
            "estimated_cost": {
                "invalid": "估算投资请填写数字（单位：元）。",
                "min_value": "估算投资不能为负数。",
                "max_digits": "估算投资数额过大。",
                "max_decimal_places": "估算投资最多保留两位小数。",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "请选择"), *Category.choices]
        for name in ("proposer_name", "title"):
            self.fields[name].widget.attrs.setdefault(
                "autocomplete", "name" if name == "proposer_name" else "off"
            )

    def clean_description(self):
        text = (self.cleaned_data.get("description") or "").strip()
        if len(text) < 10:
            raise forms.ValidationError("建议内容请至少写10个字，说明要办的事。")
        return text


class ReasonForm(forms.Form):
    """A confirmation with a reason (decline) or an optional note (accept)."""

    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )

    def __init__(self, *args, required: bool = False, label: str = "理由", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = f"请填写{label}。"


class MergeForm(forms.Form):
    """Which of the selected proposals the others are merged into, and why."""

    into = forms.ModelChoiceField(
        label="合并为（保留的建议）", queryset=Proposal.objects.none(), empty_label=None
    )
    reason = forms.CharField(label="合并说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, proposals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposals is not None:
            self.fields["into"].queryset = proposals


class ShortlistForm(forms.Form):
    """Into which candidate the selected proposals go: an existing one, or a new one with this title."""

    candidate = forms.ModelChoiceField(
        label="加入已有备选项目",
        queryset=Candidate.objects.none(),
        required=False,
        empty_label="（新建备选项目）",
    )
    title = forms.CharField(
        label="新备选项目名称", max_length=200, required=False, help_text="留空则用第一条建议的标题。"
    )
    reason = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["candidate"].queryset = candidates


class StaffProposalForm(forms.ModelForm):
    """A proposal entered by 民生办 staff from a letter, an e-mail, a unit's submission or a deputy.

    A phone given here is kept only hashed and masked (services.submit_proposal); it is never shown again.
    """

    phone = forms.CharField(
        label="手机号",
        required=False,
        max_length=20,
        help_text="选填。只保存加密摘要和脱敏号码（如138****5678）。",
    )

    class Meta:
        model = Proposal
        fields = ["round", "source", *PROPOSAL_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            self.fields["source"].choices = [
                (value, label)
                for value, label in self.fields["source"].choices
                if value != ProposalSource.PORTAL
            ]

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(raw) if raw else ""


class DecisionStepForm(forms.Form):
    """The next step of a candidate's decision procedure; what it asks depends on the stage."""

    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.ChoiceField(label="结论", choices=DecisionOutcome.choices)
    responsible_unit = forms.ModelChoiceField(label="承办单位", queryset=Unit.objects.none(), required=False)
    notes = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    document_number = forms.CharField(label="文号/会议纪要号", max_length=100, required=False)
    document = forms.FileField(label="文件（报告、论证意见、会议纪要等）", required=False)

    def __init__(self, *args, stage: str, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        units = units if units is not None else Unit.objects.none()
        field = self.fields["responsible_unit"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = units
        if stage == DecisionStage.RISK:
            for name, label in RISK_FIELDS:
                self.fields[name] = forms.ChoiceField(label=label, choices=RiskRating.choices)
        if stage == DecisionStage.COLLECTIVE:
            self.fields["code"] = forms.CharField(
                label="项目编号（通过时）", max_length=40, required=False, help_text="决定实施时必填。"
            )
            self.fields["level"] = forms.ChoiceField(
                label="项目层级", choices=ProjectLevel.choices, required=False
            )
            self.fields["lead_unit"] = forms.ModelChoiceField(
                label="牵头单位（通过时）", queryset=units, required=False
            )
            self.fields["cooperating_units"] = forms.ModelMultipleChoiceField(
                label="配合单位", queryset=units, required=False
            )
            self.fields["responsible_leader"] = forms.CharField(
                label="责任领导", max_length=100, required=False
            )
            self.fields["contact_person"] = forms.CharField(label="联系人", max_length=50, required=False)
            self.fields["deadline"] = forms.DateField(
                label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.record_decision_step from the cleaned data."""
        data = dict(self.cleaned_data)
        kwargs = {name: data.pop(name) for name in list(data) if name not in PROJECT_FORM_FIELDS}
        if self.stage == DecisionStage.COLLECTIVE:
            kwargs["project"] = {name: data[name] for name in PROJECT_FORM_FIELDS if name in data}
        return kwargs


RISK_FIELDS = (
    ("social_risk", "社会稳定风险"),
    ("environmental_risk", "环境风险"),
    ("fiscal_risk", "财政风险"),
)
PROJECT_FORM_FIELDS = (
    "code",
    "level",
    "lead_unit",
    "cooperating_units",
    "responsible_leader",
    "contact_person",
    "deadline",
)


class AdjustmentStepForm(forms.Form):
    """动态调整 of an approved candidate's project."""

    kind = forms.ChoiceField(label="调整类型", choices=AdjustmentKind.choices)
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(label="调整内容", widget=forms.Textarea(attrs={"rows": 3}))
    approved_by = forms.CharField(label="批准机关/会议", max_length=200)
    approval_document = forms.CharField(label="批准文号", max_length=100, required=False)
    approved_on = forms.DateField(label="批准日期", widget=forms.DateInput(attrs={"type": "date"}))


class RolloverForm(forms.Form):
    """Nothing to fill in: the confirmation of a year rollover."""
