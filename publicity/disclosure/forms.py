"""The satisfaction survey form: three questions (知晓度、满意度、支持度) and an optional comment."""

from django import forms

from ..choices import Awareness, Satisfaction, Support


class SurveyForm(forms.Form):
    """One citizen's answer; the phone comes from the verified session, never from this form."""

    awareness = forms.ChoiceField(
        label="您知道这个民生实事项目吗？（知晓度）", choices=Awareness.choices, widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        label="您对项目的实施效果满意吗？（满意度）", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    support = forms.ChoiceField(
        label="您支持继续实施这个项目吗？（支持度）", choices=Support.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="意见建议（选填）", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )
