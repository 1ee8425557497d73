"""Monthly progress reports in the admin: values written through the service, the review steps."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from unfold.admin import StackedInline, TabularInline
from unfold.decorators import action, display

from minsheng.admin_confirm import ConfirmServiceMixin, dry_run, validate_with
from minsheng.errors import DomainError
from minsheng.formatting import money
from minsheng.numbers import HumanNumbersAdminMixin
from org.admin_base import HistoryAdmin, ScopedInlineMixin

from .. import services
from ..admin_filters import (
    ProjectRegionTreeFilter,
)
from ..models import (
    ProgressReport,
    ProgressValue,
    ReportAttachment,
    ReportContribution,
    ReportRevision,
    Target,
)
from ..uploads import check_upload
from .common import REPORT_LABELS, ReadOnlyInlineMixin

REPORT_FIELDS = ("investment_completed", "narrative", "problems", "next_steps", "correction_reason")


class ProgressValueFormSet(BaseInlineFormSet):
    """The month's cumulative values, written with the report's fields through `services.save_report`;
    the service's refusal (a value below an earlier month's without a reason, …) is the formset's error."""

    actor = None

    def changes(self) -> tuple[dict, set]:
        """{target id: value} to write, and the target ids whose value is taken out (a row deleted, or moved
        to another target)."""
        values, removed = {}, set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            before = form.instance.target_id if form.instance.pk else None
            if data.get("DELETE") or data.get("target") is None or data.get("value") is None:
                if before is not None:
                    removed.add(before)
                continue
            values[data["target"].pk] = data["value"]
            if before is not None and before != data["target"].pk:
                removed.add(before)
        return values, removed - set(values)

    def save_through_service(self) -> ProgressReport:
        report = self.instance
        values, removed = self.changes()
        saved = services.save_report(
            report.project,
            report.month,
            actor=self.actor,
            values=values,
            removed=removed,
            clear_investment=report.investment_completed is None,
            **{name: getattr(report, name) for name in REPORT_FIELDS},
        )
        # What the admin's change message and history list, as formset.save() would have set them.
        rows = {row.target_id: row for row in saved.values.all()}
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            target = (getattr(form, "cleaned_data", None) or {}).get("target")
            row = rows.get(target.pk) if target is not None else None
            if form.instance.pk and (row is None or row.pk != form.instance.pk):
                self.deleted_objects.append(form.instance)
            elif row is not None and not form.instance.pk:
                self.new_objects.append(row)
            elif row is not None and form.has_changed():
                self.changed_objects.append((row, form.changed_data))
        return saved

    def clean(self):
        super().clean()
        report = self.instance
        if not report.project_id or not report.month or any(self.errors):
            return
        for form in self.forms:
            target = (getattr(form, "cleaned_data", None) or {}).get("target")
            if target is not None and target.project_id != report.project_id:
                form.add_error("target", "指标不属于该报告的项目。")
        if not any(self.errors):
            refusal = dry_run(self.save_through_service)
            if refusal is not None:
                raise forms.ValidationError(refusal.message)


class ProgressValueInline(HumanNumbersAdminMixin, ScopedInlineMixin, TabularInline):
    model = ProgressValue
    formset = ProgressValueFormSet
    fields = ["target", "value"]
    extra = 0
    verbose_name_plural = "各指标累计完成值（1月至本月）"

    def get_formset(self, request, obj=None, **kwargs):
        self._report = obj
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        if obj is not None:
            # One blank row per target not yet filled (ProgressReportAdmin.get_formset_kwargs fills them in).
            formset.extra = len(unfilled_targets(obj))
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target":
            report = getattr(self, "_report", None)
            kwargs["queryset"] = (
                Target.objects.filter(project_id=report.project_id) if report else Target.objects.none()
            )
            return super(ScopedInlineMixin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.can_edit())

    has_add_permission = has_delete_permission = has_change_permission


def unfilled_targets(report: ProgressReport) -> list[Target]:
    """The project's targets that have no value in this report yet, in the project's order."""
    return list(report.project.targets.exclude(values__report=report))


class AttachmentFormSet(BaseInlineFormSet):
    """Attachments are added and removed through the services (add_attachment checks type, size and
    content); a refused upload is the row's error, before anything is saved."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if form.instance.pk or data.get("DELETE") or not data.get("file"):
                continue
            try:
                check_upload(data["file"], data.get("kind") or "")
            except DomainError as exc:
                form.add_error("file", exc.message)

    def save_through_services(self, actor) -> None:
        report = self.instance
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data:
                continue
            if form.instance.pk and data.get("DELETE"):
                services.remove_attachment(form.instance, actor=actor)
            elif form.instance.pk:
                if form.has_changed():  # the caption or the kind: the attachment's own description
                    form.save()
            elif data.get("file"):
                services.add_attachment(
                    report.project,
                    report.month,
                    actor=actor,
                    kind=data["kind"],
                    file=data["file"],
                    caption=data.get("caption") or "",
                )


class AttachmentInline(ScopedInlineMixin, TabularInline):
    model = ReportAttachment
    formset = AttachmentFormSet
    fields = ["kind", "file", "caption", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["size", "uploaded_by", "uploaded_at"]
    extra = 0


class ContributionInline(ReadOnlyInlineMixin, StackedInline):
    model = ReportContribution
    fields = [
        "unit",
        "values_display",
        "investment_completed",
        "narrative",
        "problems",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = "配合单位报送（由配合单位在单位填报页面填写）"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("unit", "updated_by")
            .prefetch_related("values__target")
        )

    @display(description="指标累计值")
    def values_display(self, obj):
        return "；".join(
            f"{v.target.name} {v.value.normalize():f}{v.target.measure}" for v in obj.values.all()
        )


class RevisionInline(ReadOnlyInlineMixin, TabularInline):
    model = ReportRevision
    fields = ["number", "reason", "created_by", "created_at", "previous"]
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = "更正记录（已审核报告的每次更正及更正前内容）"


class ProgressReportForm(forms.ModelForm):
    """A new report is created through `services.save_report`; its refusal is shown on the form."""

    actor = None

    class Meta:
        model = ProgressReport
        fields = ["project", "month", *REPORT_FIELDS]

    def create(self) -> ProgressReport:
        data = self.cleaned_data
        fields: dict[str, Any] = {name: data.get(name) for name in REPORT_FIELDS}
        return services.save_report(data["project"], data["month"], actor=self.actor, values={}, **fields)

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            validate_with(self, self.create)
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


@admin.register(ProgressReport)
class ProgressReportAdmin(ConfirmServiceMixin, HumanNumbersAdminMixin, HistoryAdmin):
    form = ProgressReportForm
    list_display = [
        "project",
        "period",
        "status_display",
        "investment_display",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
    ]
    list_filter = [
        "project__plan__year",
        "status",
        "month",
        ProjectRegionTreeFilter,
        ("project__lead_unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["project__code", "project__title", "narrative"]
    list_select_related = ["project", "submitted_by", "reviewed_by"]
    autocomplete_fields = ["project"]
    inlines = [ProgressValueInline, AttachmentInline, ContributionInline, RevisionInline]
    readonly_fields = [
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "return_reason",
    ]
    fieldsets = [
        (None, {"fields": ["project", "month", "investment_completed"]}),
        ("进展情况", {"fields": ["narrative", "problems", "next_steps", "correction_reason"]}),
        (
            "报送与审核",
            {
                "fields": [
                    "status",
                    "submitted_by",
                    "submitted_at",
                    "reviewed_by",
                    "reviewed_at",
                    "return_reason",
                ]
            },
        ),
    ]
    actions = ["submit_selected", "accept_selected"]
    actions_detail = ["submit_detail", "accept_detail", "return_detail"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["project", "month"]  # a report's period never moves; file another month instead
        return fields

    def has_change_permission(self, request, obj=None):
        # Accepted reports are locked; a correction is a new recorded revision (unit-facing forms).
        return super().has_change_permission(request, obj) and (obj is None or obj.can_edit())

    def has_delete_permission(self, request, obj=None):
        # Accepted reports are locked for everyone, superusers included; submitted ones are returned first.
        return super().has_delete_permission(request, obj) and (obj is None or obj.can_edit())

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                ProgressReportAdmin.delete_selected_reports,
                "delete_selected",
                "删除所选的月度进展报告（已采纳的不可删除）",
            )
        return actions

    def delete_selected_reports(self, request, queryset):
        """Django's bulk delete, refused as a whole when the selection holds a locked or submitted report."""
        kept = [r for r in queryset.select_related("project__plan") if not r.can_edit()]
        if kept:
            names = "、".join(str(r) for r in kept[:5]) + ("等" if len(kept) > 5 else "")
            self.message_user(
                request,
                f"所选报告中有{len(kept)}份已报送或已采纳，不能删除：{names}。{services.LOCKED_REPORT_MESSAGE}",
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def delete_model(self, request, obj):
        services.delete_report(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            services.delete_report(report, actor=request.user)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ProgressValueInline) and request.method != "POST":
            # The filer sees every indicator of the project, each in its own row.
            kwargs["initial"] = [{"target": target.pk} for target in unfilled_targets(obj)]
        return kwargs

    def get_inline_instances(self, request, obj=None):
        # Values and attachments belong to a report of a known project: shown once the report is saved.
        return super().get_inline_instances(request, obj) if obj is not None else []

    @display(description="期间", ordering="month")
    def period(self, obj):
        return f"{obj.project.plan_id and obj.project.plan.year}年{obj.period_label}"

    @display(description="状态", ordering="status", label=REPORT_LABELS)
    def status_display(self, obj):
        return obj.get_status_display()

    @display(description="累计完成投资", ordering="investment_completed")
    def investment_display(self, obj):
        return money(obj.investment_completed)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project__plan")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        # Written through the service: a new report here, its fields with the values in save_related.
        if not change:
            created = form.create()
            obj.pk, obj._state.adding = created.pk, False

    def save_related(self, request, form, formsets, change):
        values = [f for f in formsets if isinstance(f, ProgressValueFormSet)]
        if change:
            if values:
                values[0].save_through_service()
            else:
                services.save_report(
                    form.instance.project,
                    form.instance.month,
                    actor=request.user,
                    values={},
                    clear_investment=form.instance.investment_completed is None,
                    **{name: getattr(form.instance, name) for name in REPORT_FIELDS},
                )
        for formset in formsets:
            if not isinstance(formset, ProgressValueFormSet):
                self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, AttachmentFormSet):
            formset.save_through_services(request.user)
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ReportAttachment) and instance.uploaded_by_id is None:
                instance.uploaded_by = request.user
            instance.full_clean()
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def _run(self, request, step, report, done, **kwargs):
        try:
            step(report, actor=request.user, **kwargs)
        except DomainError as exc:
            self.message_user(request, f"{report}：{exc.message}", messages.ERROR)
            return False
        self.message_user(request, f"{report}：{done}", messages.SUCCESS)
        return True

    @admin.action(description="报送所选报告")
    def submit_selected(self, request, queryset):
        for report in queryset:
            self._run(request, services.submit_report, report, "已报送")

    @admin.action(description="审核通过所选报告")
    def accept_selected(self, request, queryset):
        for report in queryset:
            self._run(request, services.accept_report, report, "已审核通过")

    def _detail_step(self, request, object_id, step, done, title, form_class=forms.Form):
        """GET shows a confirmation (with a reason field where needed); POST runs the service."""
        report = self.visible_object(request, object_id)

        def run(data):
            step(report, actor=request.user, **data)
            return f"{report}：{done}"

        return self.confirm_step(
            request,
            form=form_class(request.POST if request.method == "POST" else None),
            run=run,
            cancel_url=reverse("admin:projects_progressreport_change", args=[object_id]),
            title=f"{title}：{report}",
            details=[
                ("项目", report.project),
                ("期间", f"{report.project.plan.year}年{report.period_label}"),
                ("当前状态", report.get_status_display()),
            ],
            submit_label=title,
        )

    @action(description="报送", url_path="submit", permissions=["view"])
    def submit_detail(self, request, object_id):
        return self._detail_step(request, object_id, services.submit_report, "已报送", "报送")

    @action(description="审核通过", url_path="accept", permissions=["view"])
    def accept_detail(self, request, object_id):
        return self._detail_step(request, object_id, services.accept_report, "已审核通过", "审核通过")

    @action(description="退回", url_path="return", permissions=["view"])
    def return_detail(self, request, object_id):
        return self._detail_step(request, object_id, services.return_report, "已退回", "退回", ReturnForm)
