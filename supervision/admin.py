"""The 民生办's admin for supervision: alerts, 督办单, the four lists (任务、责任、问题、整改),
inspections and the accountability record. Staff write through the services; leaders and auditors
read (auditors and staff see the change history); every list is exportable (Excel, CSV) and limited
to the user's region."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from import_export import fields, resources
from import_export.admin import ExportMixin
from unfold.admin import StackedInline, TabularInline
from unfold.contrib.import_export.forms import ExportForm
from unfold.decorators import action, display

from minsheng.admin_confirm import ConfirmServiceMixin, checked_by
from org.admin_base import HistoryAdmin, RoleScopedAdmin, ScopedInlineMixin
from projects.admin import ReadOnlyInlineMixin

from . import services
from .accountability import FIGURES, with_accountability
from .choices import AlertStatus, OrderStatus, ProblemSource, ProblemStatus
from .models import (
    Alert,
    Escalation,
    Evidence,
    Inspection,
    InspectionPhoto,
    OrderResponse,
    Problem,
    Rectification,
    ResponsibilityItem,
    SupervisionOrder,
    TaskItem,
    UnitAccountability,
)

STATUS_LABELS = {
    AlertStatus.OPEN.label: "danger",
    AlertStatus.CLOSED.label: "success",
    OrderStatus.ISSUED.label: "danger",
    OrderStatus.ACKNOWLEDGED.label: "warning",
    OrderStatus.FED_BACK.label: "warning",
    OrderStatus.SETTLED.label: "info",
    OrderStatus.REPORTED.label: "info",
    OrderStatus.CLOSED.label: "success",
    ProblemStatus.OPEN.label: "danger",
    ProblemStatus.RECTIFYING.label: "warning",
    ProblemStatus.SUBMITTED.label: "info",
    ProblemStatus.CLOSED.label: "success",
}


class ExportAdmin(ExportMixin):
    """Lists exported as shown (same scope and filters), to Excel or CSV."""

    export_form_class = ExportForm


class ReadOnlyAdmin(RoleScopedAdmin):
    """Lists computed or recorded by the system: looked at and exported, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StepForm(forms.Form):
    note = forms.CharField(
        label="意见", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )

    def __init__(self, *args, note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if note_required:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = "请填写意见。"


def step_page(model_admin, request, object_id, step, done, title, *, note_required=False):
    """GET: a confirmation with an 意见 field; POST: run the service step and go back to the record."""
    obj = model_admin.get_queryset(request).get(pk=object_id)
    back = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[object_id])

    def run(data):
        step(obj, actor=request.user, note=data["note"])
        return f"{obj}：{done}"

    details = [("记录", obj)]
    if hasattr(obj, "get_status_display"):
        details.append(("当前状态", obj.get_status_display()))
    return model_admin.confirm_step(
        request,
        form=StepForm(request.POST if request.method == "POST" else None, note_required=note_required),
        run=run,
        cancel_url=back,
        title=f"{title}：{obj}",
        details=details,
        submit_label=title,
    )


# -- alerts -------------------------------------------------------------------------------------------------


class AlertResource(resources.ModelResource):
    kind = fields.Field(attribute="get_kind_display", column_name="类型")
    project = fields.Field(attribute="project", column_name="项目")
    unit = fields.Field(attribute="unit", column_name="责任单位")
    detail = fields.Field(attribute="detail", column_name="情况")
    status = fields.Field(attribute="get_status_display", column_name="状态")
    raised_at = fields.Field(attribute="raised_at", column_name="预警时间")
    closed_at = fields.Field(attribute="closed_at", column_name="解除时间")

    class Meta:
        model = Alert
        fields = ["id", "kind", "project", "unit", "detail", "status", "raised_at", "closed_at"]


@admin.register(Alert)
class AlertAdmin(ExportAdmin, ReadOnlyAdmin):
    resource_classes = [AlertResource]
    list_display = ["kind", "detail", "unit", "status_display", "raised_at", "closed_at"]
    list_filter = ["status", "kind", "project__plan__year", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["detail", "project__code", "project__title", "unit__name"]
    list_select_related = ["unit", "project"]
    date_hierarchy = "raised_at"

    @display(description="状态", ordering="status", label=STATUS_LABELS)
    def status_display(self, obj):
        return obj.get_status_display()


# -- 督办单 ------------------------------------------------------------------------------------------------


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


class OrderForm(forms.ModelForm):
    acknowledge_days = forms.IntegerField(label="签收部署（天）", min_value=0, required=False)
    feedback_days = forms.IntegerField(label="反馈进展（天）", min_value=0, required=False)
    settle_days = forms.IntegerField(label="办理落实（天）", min_value=0, required=False)
    report_days = forms.IntegerField(label="报告结果（天）", min_value=0, required=False)

    class Meta:
        model = SupervisionOrder
        fields = ["unit", "project", "problem", "alert", "title", "requirement"]


class OrderResource(resources.ModelResource):
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


# -- problems and rectification ------------------------------------------------------------------------------


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


class ProblemResource(resources.ModelResource):
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


class RectificationResource(resources.ModelResource):
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


# -- inspections --------------------------------------------------------------------------------------------


class PhotoInline(ScopedInlineMixin, TabularInline):
    model = InspectionPhoto
    fields = ["file", "caption", "size"]
    readonly_fields = ["size"]
    extra = 0


class FindingInline(ScopedInlineMixin, TabularInline):
    model = Problem
    fk_name = "inspection"
    fields = ["unit", "project", "description", "severity", "status"]
    readonly_fields = ["status"]
    extra = 0
    verbose_name = "发现问题"
    verbose_name_plural = "发现问题（保存后列入问题清单并通知责任单位）"

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(HistoryAdmin):
    list_display = ["date", "kind", "title", "inspectors", "region"]
    list_filter = ["kind", "date"]
    search_fields = ["title", "inspectors", "summary"]
    list_select_related = ["region"]
    autocomplete_fields = ["projects"]
    fields = ["kind", "date", "title", "inspectors", "projects", "summary"]
    inlines = [FindingInline, PhotoInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
            obj.region = request.user.unit.region if request.user.unit_id else None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Problem:
            for finding in formset.save(commit=False):
                if finding.pk:
                    continue
                services.add_finding(
                    form.instance,
                    actor=request.user,
                    finding=services.Finding(
                        description=finding.description,
                        unit=finding.unit if finding.unit_id else None,
                        project=finding.project,
                        severity=finding.severity,
                    ),
                )
            return
        for instance in formset.save(commit=False):
            instance.full_clean()
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


# -- the task list, the responsibility list, accountability --------------------------------------------------


class TaskResource(resources.ModelResource):
    year = fields.Field(attribute="plan__year", column_name="年度")
    code = fields.Field(attribute="code", column_name="项目编号")
    title = fields.Field(attribute="title", column_name="项目名称")
    content = fields.Field(attribute="content", column_name="建设内容")
    targets = fields.Field(column_name="量化指标")
    work_standard = fields.Field(attribute="work_standard", column_name="工作标准")
    deadline = fields.Field(attribute="deadline", column_name="完成时限")
    lead_unit = fields.Field(attribute="lead_unit", column_name="牵头单位")

    class Meta:
        model = TaskItem
        fields = ["year", "code", "title", "content", "targets", "work_standard", "deadline", "lead_unit"]

    def dehydrate_targets(self, obj):
        return "；".join(str(target) for target in obj.targets.all())


@admin.register(TaskItem)
class TaskListAdmin(ExportAdmin, ReadOnlyAdmin):
    resource_classes = [TaskResource]
    list_display = ["code", "title", "targets_display", "deadline", "lead_unit", "status"]
    list_filter = ["plan__year", "status", ("lead_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "title", "content"]
    list_select_related = ["plan", "lead_unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("targets")

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("targets")

    @display(description="量化指标")
    def targets_display(self, obj):
        return "；".join(str(target) for target in obj.targets.all()) or "—"


class ResponsibilityResource(resources.ModelResource):
    year = fields.Field(attribute="plan__year", column_name="年度")
    code = fields.Field(attribute="code", column_name="项目编号")
    title = fields.Field(attribute="title", column_name="项目名称")
    lead_unit = fields.Field(attribute="lead_unit", column_name="牵头单位")
    cooperating = fields.Field(column_name="配合单位")
    responsible_leader = fields.Field(attribute="responsible_leader", column_name="责任领导")
    contact_person = fields.Field(attribute="contact_person", column_name="联系人")
    contact_phone = fields.Field(attribute="contact_phone", column_name="联系电话")
    deadline = fields.Field(attribute="deadline", column_name="完成时限")
    upkeep_unit = fields.Field(attribute="upkeep_unit", column_name="建后管养单位")

    class Meta:
        model = ResponsibilityItem
        fields = [
            "year",
            "code",
            "title",
            "lead_unit",
            "cooperating",
            "responsible_leader",
            "contact_person",
            "contact_phone",
            "deadline",
            "upkeep_unit",
        ]

    def dehydrate_cooperating(self, obj):
        return "、".join(str(unit) for unit in obj.cooperating_units.all())


@admin.register(ResponsibilityItem)
class ResponsibilityListAdmin(ExportAdmin, ReadOnlyAdmin):
    resource_classes = [ResponsibilityResource]
    list_display = [
        "code",
        "title",
        "lead_unit",
        "cooperating_display",
        "responsible_leader",
        "contact_person",
        "deadline",
    ]
    list_filter = ["plan__year", ("lead_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "title", "responsible_leader", "contact_person"]
    list_select_related = ["plan", "lead_unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("cooperating_units")

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("cooperating_units")

    @display(description="配合单位")
    def cooperating_display(self, obj):
        return "、".join(str(unit) for unit in obj.cooperating_units.all()) or "—"


class YearFilter(admin.SimpleListFilter):
    """The year of the accountability record (this year by default)."""

    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(y), f"{y}年") for y in range(this_year, this_year - 6, -1)]

    def queryset(self, request, queryset):
        return queryset


def accountability_year(request) -> int:
    value = request.GET.get(YearFilter.parameter_name, "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


LABELS = {
    "orders": "督办单",
    "missed_stages": "督办超期",
    "reports_overdue": "月报逾期",
    "returned_reports": "月报被退回",
    "problems_found": "发现问题",
    "open_problems": "未销号问题",
    "overdue_rectifications": "整改超期",
}


class AccountabilityResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="单位")
    region = fields.Field(attribute="region", column_name="区划")
    orders = fields.Field(attribute="orders", column_name=LABELS["orders"])
    missed_stages = fields.Field(attribute="missed_stages", column_name=LABELS["missed_stages"])
    reports_overdue = fields.Field(attribute="reports_overdue", column_name=LABELS["reports_overdue"])
    returned_reports = fields.Field(attribute="returned_reports", column_name=LABELS["returned_reports"])
    problems_found = fields.Field(attribute="problems_found", column_name=LABELS["problems_found"])
    open_problems = fields.Field(attribute="open_problems", column_name=LABELS["open_problems"])
    overdue_rectifications = fields.Field(
        attribute="overdue_rectifications", column_name=LABELS["overdue_rectifications"]
    )

    class Meta:
        model = UnitAccountability
        fields = ["name", "region", *FIGURES]


def _figure(name):
    @display(description=LABELS[name], ordering=name)
    def show(self, obj):
        return getattr(obj, name)

    show.__name__ = name
    return show


@admin.register(UnitAccountability)
class AccountabilityAdmin(ExportAdmin, ReadOnlyAdmin):
    resource_classes = [AccountabilityResource]
    list_display = ["name", "region", *[f"{name}_display" for name in FIGURES]]
    list_filter = [YearFilter, "kind"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]

    def get_queryset(self, request):
        units = with_accountability(super().get_queryset(request), accountability_year(request))
        return units.order_by("-missed_stages", "-open_problems", "region__path", "name")


for _name in FIGURES:
    setattr(AccountabilityAdmin, f"{_name}_display", _figure(_name))
