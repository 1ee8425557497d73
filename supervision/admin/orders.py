"""The admin of 督办单: issue, the units' responses, escalations, close."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from import_export import fields
from unfold.admin import TabularInline
from unfold.decorators import action, display

from minsheng.admin_confirm import ConfirmServiceMixin, checked_by
from minsheng.spreadsheets import NeutralisedResource
from org.admin_base import HistoryAdmin
from projects.admin import ReadOnlyInlineMixin

from .. import services
from ..choices import OrderStatus
from ..conf import MAX_STAGE_DAYS
from ..models import Escalation, OrderResponse, SupervisionOrder
from .common import STATUS_LABELS, ExportAdmin, step_page


class ResponseInline(ReadOnlyInlineMixin, TabularInline):
    model = OrderResponse
    fields = ["stage", "text", "author", "created_at"]
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = "承办单位答复"


class EscalationInline(ReadOnlyInlineMixin, TabularInline):
    model = Escalation
    fields = ["stage", "due_at", "escalated_at"]
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = "超期升级记录"


def _stage_days_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_STAGE_DAYS, required=False)


class OrderForm(forms.ModelForm):
    acknowledge_days = _stage_days_field("签收部署（天）")
    feedback_days = _stage_days_field("反馈进展（天）")
    settle_days = _stage_days_field("办理落实（天）")
    report_days = _stage_days_field("报告结果（天）")

    class Meta:
        model = SupervisionOrder
        fields = ["unit", "project", "problem", "alert", "title", "requirement"]


class OrderResource(NeutralisedResource):
    number = fields.Field(attribute="number", column_name="督办编号")
    unit = fields.Field(attribute="unit", column_name="承办单位")
    project = fields.Field(attribute="project", column_name="项目")
    title = fields.Field(attribute="title", column_name="督办事项")
    issued_at = fields.Field(attribute="issued_at", column_name="签发时间")
    report_due = fields.Field(attribute="report_due", column_name="报告结果时限")
    status = fields.Field(attribute="get_status_display", column_name="状态")
    escalation_level = fields.Field(attribute="escalation_level", column_name="超期阶段数")

    class Meta:
        model = SupervisionOrder
        fields = [
            "number",
            "unit",
            "project",
            "title",
            "issued_at",
            "report_due",
            "status",
            "escalation_level",
        ]


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ConfirmServiceMixin, ExportAdmin, HistoryAdmin):
    form = OrderForm
    resource_classes = [OrderResource]
    list_display = ["number_display", "title", "unit", "status_display", "next_due", "escalation_level"]
    list_filter = ["status", "year", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "requirement", "unit__name", "project__title"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "project"]
    inlines = [ResponseInline, EscalationInline]
    actions_detail = ["close_detail"]
    readonly_fields = [
        "number_display",
        "status",
        "issued_by",
        "issued_at",
        "acknowledge_due",
        "feedback_due",
        "settle_due",
        "report_due",
        "acknowledged_at",
        "fed_back_at",
        "settled_at",
        "reported_at",
        "escalation_level",
        "closed_by",
        "closed_at",
        "closing_note",
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            days = ["acknowledge_days", "feedback_days", "settle_days", "report_days"]
            return [
                (None, {"fields": ["unit", "project", "problem", "alert", "title", "requirement"]}),
                ("各阶段时限（距签发天数；留空按默认“13710”）", {"fields": days}),
            ]
        return [
            (None, {"fields": ["number_display", "unit", "project", "problem", "title", "requirement"]}),
            ("签发", {"fields": ["issued_by", "issued_at", "status", "escalation_level"]}),
            (
                "阶段时限与办理",
                {
                    "fields": [
                        ("acknowledge_due", "acknowledged_at"),
                        ("feedback_due", "fed_back_at"),
                        ("settle_due", "settled_at"),
                        ("report_due", "reported_at"),
                    ]
                },
            ),
            ("销号", {"fields": ["closed_by", "closed_at", "closing_note"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, "unit", "project", "problem", "alert", "title", "requirement"]

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # an issued order is a record; it is closed, never deleted

    def _issue(self, request, data):
        days = {
            stage: data[f"{stage}_days"]
            for stage in ("acknowledge", "feedback", "settle", "report")
            if data.get(f"{stage}_days") is not None
        }
        return services.issue_order(
            actor=request.user,
            unit=data["unit"],
            project=data.get("project"),
            problem=data.get("problem"),
            alert=data.get("alert"),
            title=data["title"],
            requirement=data["requirement"],
            stage_days=days,
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:  # the service's refusal (another region's unit, …) shows on the add form
            return checked_by(form, lambda data: self._issue(request, data))
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return
        order = self._issue(request, form.cleaned_data)
        obj.pk = order.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @display(description="督办编号", ordering="serial")
    def number_display(self, obj):
        return obj.number

    @display(description="状态", ordering="status", label=STATUS_LABELS)
    def status_display(self, obj):
        return obj.get_status_display()

    @display(description="当前阶段时限")
    def next_due(self, obj):
        stage = obj.next_stage()
        if stage is None or obj.status == OrderStatus.CLOSED:
            return "—"
        return f"{stage.label} {timezone.localtime(obj.due(stage)):%Y-%m-%d %H:%M}"

    @action(description="办结销号", url_path="close", permissions=["change"])
    def close_detail(self, request, object_id):
        return step_page(
            self, request, object_id, services.close_order, "已办结销号", "办结销号", note_required=True
        )
