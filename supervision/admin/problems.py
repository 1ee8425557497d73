"""The admin of problems and their rectification: record, evidence, verify or reject."""

from django import forms
from django.contrib import admin
from import_export import fields
from unfold.admin import StackedInline, TabularInline
from unfold.decorators import action, display

from minsheng.admin_confirm import ConfirmServiceMixin, checked_by
from minsheng.spreadsheets import NeutralisedResource
from org.admin_base import HistoryAdmin
from projects.admin import ReadOnlyInlineMixin

from .. import services
from ..choices import ProblemSource
from ..models import Evidence, Problem, Rectification
from .common import STATUS_LABELS, ExportAdmin, step_page


class ProblemForm(forms.ModelForm):
    source = forms.ChoiceField(
        label="来源", choices=[c for c in ProblemSource.choices if c[0] != ProblemSource.INSPECTION]
    )

    class Meta:
        model = Problem
        fields = [
            "source",
            "project",
            "unit",
            "description",
            "severity",
            "found_on",
            "alert",
            "reporter_name",
        ]


class RectificationInline(ReadOnlyInlineMixin, StackedInline):
    model = Rectification
    fields = [
        "measures",
        "deadline",
        "responsible_person",
        "result",
        "submitted_at",
        "verified_by",
        "verified_at",
    ]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = "整改情况（由责任单位填写）"


class ProblemResource(NeutralisedResource):
    source = fields.Field(attribute="get_source_display", column_name="来源")
    project = fields.Field(attribute="project", column_name="项目")
    unit = fields.Field(attribute="unit", column_name="责任单位")
    description = fields.Field(attribute="description", column_name="问题描述")
    severity = fields.Field(attribute="get_severity_display", column_name="严重程度")
    found_on = fields.Field(attribute="found_on", column_name="发现日期")
    status = fields.Field(attribute="get_status_display", column_name="状态")

    class Meta:
        model = Problem
        fields = ["id", "source", "project", "unit", "description", "severity", "found_on", "status"]


@admin.register(Problem)
class ProblemAdmin(ExportAdmin, HistoryAdmin):
    form = ProblemForm
    resource_classes = [ProblemResource]
    list_display = ["__str__", "source", "unit", "project", "found_on", "status_display"]
    list_filter = ["status", "source", "severity", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["description", "unit__name", "project__title"]
    list_select_related = ["unit", "project"]
    autocomplete_fields = ["unit", "project"]
    inlines = [RectificationInline]
    date_hierarchy = "found_on"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["source", "unit", "project", "found_on", "alert", "inspection", "status", "closed_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
            kwargs["fields"] = ["description", "severity", "reporter_name"]
            return super().get_form(request, obj, **kwargs)
        form = super().get_form(request, obj, **kwargs)
        return checked_by(form, lambda data: services.record_problem(actor=request.user, **data))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        problem = services.record_problem(actor=request.user, **form.cleaned_data)
        obj.pk = problem.pk
        obj._state.adding = False

    @display(description="状态", ordering="status", label=STATUS_LABELS)
    def status_display(self, obj):
        return obj.get_status_display()


class EvidenceInline(ReadOnlyInlineMixin, TabularInline):
    model = Evidence
    fields = ["file", "caption", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    show_change_link = False


class RectificationResource(NeutralisedResource):
    problem = fields.Field(attribute="problem__description", column_name="问题")
    unit = fields.Field(attribute="problem__unit", column_name="责任单位")
    measures = fields.Field(attribute="measures", column_name="整改措施")
    deadline = fields.Field(attribute="deadline", column_name="整改时限")
    result = fields.Field(attribute="result", column_name="整改结果")
    status = fields.Field(attribute="problem__get_status_display", column_name="状态")
    verified_by = fields.Field(attribute="verified_by", column_name="核验人")
    verified_at = fields.Field(attribute="verified_at", column_name="核验时间")

    class Meta:
        model = Rectification
        fields = ["problem", "unit", "measures", "deadline", "result", "status", "verified_by", "verified_at"]


@admin.register(Rectification)
class RectificationAdmin(ConfirmServiceMixin, ExportAdmin, HistoryAdmin):
    resource_classes = [RectificationResource]
    list_display = ["problem", "unit", "deadline", "status_display", "submitted_at", "verified_by"]
    list_filter = ["problem__status", "deadline"]
    search_fields = ["problem__description", "measures", "problem__unit__name"]
    list_select_related = ["problem__unit", "verified_by"]
    inlines = [EvidenceInline]
    actions_detail = ["verify_detail", "reject_detail"]
    readonly_fields = [
        "problem",
        "measures",
        "deadline",
        "responsible_person",
        "result",
        "submitted_by",
        "submitted_at",
        "verified_by",
        "verified_at",
        "verification_note",
    ]

    def has_add_permission(self, request):
        return False  # the unit writes it (pages, API); staff verify it here

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description="责任单位", ordering="problem__unit")
    def unit(self, obj):
        return obj.problem.unit

    @display(description="状态", ordering="problem__status", label=STATUS_LABELS)
    def status_display(self, obj):
        return obj.problem.get_status_display()

    def _step(self, request, object_id, step, done, title, note_required=False):
        def on_problem(rectification, **kwargs):
            return step(rectification.problem, **kwargs)

        return step_page(self, request, object_id, on_problem, done, title, note_required=note_required)

    @action(description="核验销号", url_path="verify", permissions=["change"])
    def verify_detail(self, request, object_id):
        return self._step(request, object_id, services.verify_rectification, "已核验销号", "核验销号")

    @action(description="核验不通过", url_path="reject", permissions=["change"])
    def reject_detail(self, request, object_id):
        return self._step(
            request, object_id, services.reject_rectification, "已退回整改", "核验不通过", note_required=True
        )
