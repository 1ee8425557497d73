"""Targets, milestones and adjustments (动态调整) in the admin."""

from django import forms
from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper
from unfold.decorators import display

from minsheng.formatting import percent
from minsheng.numbers import HumanNumbersAdminMixin
from org.admin_base import HistoryAdmin

from .. import services
from ..admin_filters import (
    AsOfMonthFilter,
    OverdueFilter,
    ProjectRegionTreeFilter,
    as_of_month,
)
from ..models import (
    Adjustment,
    Milestone,
    Target,
)
from ..progress import overdue_milestone_q, today


@admin.register(Target)
class TargetAdmin(HumanNumbersAdminMixin, HistoryAdmin):
    list_display = [
        "name",
        "project",
        "measure",
        "annual_target",
        "value_display",
        "completion_display",
        "expected_display",
        "authoritative_unit",
    ]
    list_filter = [AsOfMonthFilter, "project__plan__year", ProjectRegionTreeFilter, "measure"]
    search_fields = ["name", "project__code", "project__title"]
    list_select_related = ["project", "authoritative_unit"]
    autocomplete_fields = ["project", "authoritative_unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress(month=as_of_month(request))

    @display(description="累计完成", ordering="value")
    def value_display(self, obj):
        return "—" if obj.value is None else f"{obj.value.normalize():f}"

    @display(description="完成率", ordering="completion")
    def completion_display(self, obj):
        return percent(obj.completion)

    @display(description="序时进度", ordering="expected")
    def expected_display(self, obj):
        return percent(obj.expected)


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ["name", "project", "planned_date", "actual_date", "overdue_display"]
    list_filter = [OverdueFilter, "project__plan__year", ProjectRegionTreeFilter]
    search_fields = ["name", "project__code", "project__title"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    date_hierarchy = "planned_date"

    def get_queryset(self, request):
        overdue = ExpressionWrapper(overdue_milestone_q(today()), BooleanField())
        return super().get_queryset(request).annotate(is_overdue=overdue)

    @display(description="状态", label={"已逾期": "danger", "已完成": "success", "未到期": "info"})
    def overdue_display(self, obj):
        if obj.actual_date:
            return "已完成"
        return "已逾期" if obj.is_overdue else "未到期"


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = Adjustment
        fields = [
            "project",
            "kind",
            "reason",
            "description",
            "approved_by",
            "approval_document",
            "approved_on",
        ]


@admin.register(Adjustment)
class AdjustmentAdmin(HistoryAdmin):
    """Adjustments are records of an approved decision: added once, never edited or deleted."""

    form = AdjustmentForm
    list_display = ["project", "kind", "approved_on", "approved_by", "approval_document", "recorded_by"]
    list_filter = ["kind", "project__plan__year", ProjectRegionTreeFilter]
    search_fields = ["project__code", "project__title", "reason", "approval_document"]
    list_select_related = ["project", "recorded_by"]
    autocomplete_fields = ["project"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        created = services.record_adjustment(
            data["project"],
            actor=request.user,
            kind=data["kind"],
            reason=data["reason"],
            description=data["description"],
            approved_by=data["approved_by"],
            approved_on=data["approved_on"],
            approval_document=data["approval_document"],
        )
        obj.pk = created.pk
