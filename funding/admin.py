"""The 民生办's admin for funding: plans by source level, money entries, matching duties.

Every write goes through funding.services (forms show the service's own refusal before anything is saved);
entries are never edited, a wrong one is cancelled with a reason. Leaders and auditors read; staff and
auditors see the history of every change.
"""

from pathlib import Path

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminTextInputWidget

from minsheng.admin_confirm import ConfirmServiceMixin, validate_with
from minsheng.errors import DomainError
from minsheng.fields import MONEY
from minsheng.formatting import money, percent
from minsheng.numbers import HumanDecimalField, HumanNumbersAdminMixin
from org.admin_base import HistoryAdmin
from projects.admin_filters import ProjectRegionTreeFilter
from projects.choices import AttachmentKind
from projects.uploads import IMAGE_EXTENSIONS, check_upload

from . import services
from .choices import SourceLevel
from .models import Entry, FundingSource, MatchingObligation, PlanAdjustment
from .summaries import rate


class ServiceFormMixin:
    """A form that knows the signed-in user (the actor passed to services)."""

    actor = None


class ReadOnlyAdminMixin:
    """Rows written only by services: viewed here, created elsewhere or through a service-backed form."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- planned split ----------------------------------------------------------------------------------------


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Per project and level: planned and the running totals (changed only by entries and adjustments)."""

    list_display = [
        "project",
        "level",
        "planned_display",
        "arrived_display",
        "disbursed_display",
        "spent_display",
        "arrival_rate",
        "disbursement_rate",
    ]
    list_filter = ["project__plan__year", "level", ProjectRegionTreeFilter, "project__category"]
    search_fields = ["project__code", "project__title"]
    list_select_related = ["project"]

    def has_add_permission(self, request):
        return False

    @display(description="计划", ordering="planned")
    def planned_display(self, obj):
        return money(obj.planned)

    @display(description="已到位", ordering="arrived")
    def arrived_display(self, obj):
        return money(obj.arrived)

    @display(description="已拨付", ordering="disbursed")
    def disbursed_display(self, obj):
        return money(obj.disbursed)

    @display(description="已支出", ordering="spent")
    def spent_display(self, obj):
        return money(obj.spent)

    @display(description="到位率")
    def arrival_rate(self, obj):
        return percent(rate(obj.arrived, obj.planned))

    @display(description="拨付率")
    def disbursement_rate(self, obj):
        return percent(rate(obj.disbursed, obj.arrived))


def amount_field(level: SourceLevel) -> forms.DecimalField:
    return HumanDecimalField(
        label=f"{level.label}（元）",
        unit="元",
        required=False,
        min_value=0,
        max_digits=MONEY.max_digits,
        decimal_places=MONEY.decimal_places,
        widget=UnfoldAdminTextInputWidget(attrs={"inputmode": "decimal"}),
        help_text="可写作 95,600、7.6亿、9640万。",
    )


class PlanAdjustmentForm(ServiceFormMixin, forms.ModelForm):
    """The first split (no reason needed) or a change of it (reason required); blank levels stay."""

    amount_central = amount_field(SourceLevel.CENTRAL)
    amount_province = amount_field(SourceLevel.PROVINCE)
    amount_city = amount_field(SourceLevel.CITY)
    amount_county = amount_field(SourceLevel.COUNTY)
    amount_social = amount_field(SourceLevel.SOCIAL)
    amount_other = amount_field(SourceLevel.OTHER)

    class Meta:
        model = PlanAdjustment
        fields = ["project", "reason", "approved_by", "approval_document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reason" in self.fields:  # a recorded adjustment opens read-only, without form fields
            self.fields["reason"].required = False
            self.fields["reason"].help_text = "首次录入资金计划可不填；调整已有计划必须说明理由。"

    def amounts(self) -> dict:
        data = self.cleaned_data
        return {
            level.value: data[f"amount_{level.value}"]
            for level in SourceLevel
            if data.get(f"amount_{level.value}") is not None
        }

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("project"):
            return data
        validate_with(self, self.apply)
        return data

    def apply(self) -> PlanAdjustment:
        """Plan (nothing planned yet) or adjust, through the service."""
        data = self.cleaned_data
        project = data["project"]
        if not FundingSource.objects.filter(project=project, planned__gt=0).exists():
            return services.plan_funding(
                project, self.amounts(), actor=self.actor, approval_document=data["approval_document"]
            )
        return services.adjust_plan(
            project,
            self.amounts(),
            actor=self.actor,
            reason=data["reason"],
            approved_by=data["approved_by"],
            approval_document=data["approval_document"],
        )


@admin.register(PlanAdjustment)
class PlanAdjustmentAdmin(HumanNumbersAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    """Changes of the planned split; adding one here sets or changes the plan through the service."""

    form = PlanAdjustmentForm
    list_display = ["project", "recorded_at", "before_display", "after_display", "reason", "recorded_by"]
    list_filter = ["project__plan__year", ProjectRegionTreeFilter]
    search_fields = ["project__code", "project__title", "reason", "approval_document"]
    list_select_related = ["project", "recorded_by"]
    autocomplete_fields = ["project"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return [
                (
                    None,
                    {"fields": ["project", "before", "after", "reason", "approved_by", "approval_document"]},
                )
            ]
        amounts = [f"amount_{level.value}" for level in SourceLevel]
        return [
            (None, {"fields": ["project"]}),
            ("各来源层级计划金额（留空表示不变）", {"fields": amounts}),
            ("调整依据", {"fields": ["reason", "approved_by", "approval_document"]}),
        ]

    def save_model(self, request, obj, form, change):
        adjustment = form.apply()
        obj.pk, obj.recorded_at = adjustment.pk, adjustment.recorded_at

    def _levels(self, split: dict) -> str:
        labels = dict(SourceLevel.choices)
        return "；".join(f"{labels.get(k, k)}{money(v)}" for k, v in split.items()) or "—"

    @display(description="调整前")
    def before_display(self, obj):
        return self._levels(obj.before)

    @display(description="调整后")
    def after_display(self, obj):
        return self._levels(obj.after)


# -- entries ----------------------------------------------------------------------------------------------

ENTRY_DETAILS = ["document_number", "recipient_unit", "voucher", "purpose", "note"]


class EntryForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["project", "kind", "level", "amount", "date", *ENTRY_DETAILS, "attachment"]

    def clean_attachment(self):
        """The 文号 document or voucher: a document, or a scan as a photo; type, size and content are
        checked before anything is stored, as for progress reports' files."""
        file = self.cleaned_data.get("attachment")
        if file and hasattr(file, "size") and not getattr(file, "_committed", False):
            photo = Path(file.name or "").suffix.lower() in IMAGE_EXTENSIONS
            try:
                check_upload(file, AttachmentKind.PHOTO if photo else AttachmentKind.DOCUMENT)
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        return file

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # The attachment is left out of the dry run: a file written to storage is not rolled back.
        validate_with(self, lambda: self.apply(with_attachment=False))
        return data

    def apply(self, *, with_attachment: bool = True) -> Entry:
        data = self.cleaned_data
        details = {name: data.get(name) for name in ENTRY_DETAILS}
        if with_attachment and data.get("attachment"):
            details["attachment"] = data["attachment"]
        return services.record_entry(
            data["project"],
            kind=data["kind"],
            level=data["level"],
            amount=data["amount"],
            date=data["date"],
            actor=self.actor,
            **details,
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label="作废原因", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class CancelledFilter(admin.SimpleListFilter):
    title = "是否作废"
    parameter_name = "cancelled"

    def lookups(self, request, model_admin):
        return [("no", "有效"), ("yes", "已作废")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(cancelled_at__isnull=self.value() == "no")
        return queryset


@admin.register(Entry)
class EntryAdmin(ConfirmServiceMixin, HumanNumbersAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    """Arrivals, disbursements and spending; recorded through the service, cancelled with a reason."""

    form = EntryForm
    list_display = [
        "project",
        "kind",
        "level",
        "amount_display",
        "date",
        "document_number",
        "recipient_unit",
        "purpose",
        "status_display",
    ]
    list_filter = [
        "project__plan__year",
        "kind",
        "level",
        CancelledFilter,
        ProjectRegionTreeFilter,
        "project__category",
    ]
    search_fields = ["project__code", "project__title", "document_number", "voucher", "purpose"]
    list_select_related = ["project", "recipient_unit"]
    autocomplete_fields = ["project", "recipient_unit"]
    date_hierarchy = "date"
    readonly_fields = ["recorded_by", "recorded_at", "cancelled_at", "cancelled_by", "cancel_reason"]
    actions_detail = ["cancel_detail"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["project", "kind", "level", "amount", "date"]}),
            ("到位填文号，拨付填拨付单位，支出填用途", {"fields": [*ENTRY_DETAILS, "attachment"]}),
        ]
        if obj is not None:
            fieldsets.append(("登记与作废", {"fields": self.readonly_fields}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        obj.pk = form.apply().pk

    @display(description="金额", ordering="amount")
    def amount_display(self, obj):
        return money(obj.amount)

    @display(description="状态", label={"有效": "success", "已作废": "danger"})
    def status_display(self, obj):
        return "已作废" if obj.is_cancelled else "有效"

    @action(description="作废", url_path="cancel", permissions=["view"])
    def cancel_detail(self, request, object_id):
        entry = self.visible_object(request, object_id, self.get_queryset(request).select_related("project"))

        def run(data):
            services.cancel_entry(entry, actor=request.user, reason=data["reason"])
            return f"{entry}：已作废"

        cancelled = entry.is_cancelled
        return self.confirm_step(
            request,
            form=None if cancelled else CancelForm(request.POST if request.method == "POST" else None),
            run=run,
            cancel_url=reverse("admin:funding_entry_change", args=[object_id]),
            title=f"作废：{entry}",
            details=[
                ("项目", entry.project),
                (
                    "流水",
                    f"{entry.date:%Y-%m-%d} {entry.get_level_display()}资金{entry.get_kind_display()} "
                    f"{entry.amount}元",
                ),
            ],
            intro=(
                f"该笔流水已于{timezone.localtime(entry.cancelled_at):%Y-%m-%d %H:%M}作废："
                f"{entry.cancel_reason}"
                if cancelled
                else ""
            ),
            submit_label="作废",
        )


# -- matching funds ---------------------------------------------------------------------------------------


@admin.register(MatchingObligation)
class MatchingObligationAdmin(HumanNumbersAdminMixin, HistoryAdmin):
    list_display = ["project", "level", "amount_display", "due_date", "arrived_display", "basis"]
    list_filter = ["project__plan__year", "level", ProjectRegionTreeFilter]
    search_fields = ["project__code", "project__title", "basis"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_arrived()

    @display(description="应配套", ordering="amount")
    def amount_display(self, obj):
        return money(obj.amount)

    @display(description="期限前已到位", ordering="arrived_by_due")
    def arrived_display(self, obj):
        return money(obj.arrived_by_due)
