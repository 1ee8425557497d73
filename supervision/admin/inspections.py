"""The admin of inspections, their photos and findings."""

from django.contrib import admin
from unfold.admin import TabularInline

from minsheng.admin_confirm import checked_by
from org.admin_base import HistoryAdmin, ScopedInlineMixin

from .. import services
from ..models import Inspection, InspectionPhoto, Problem


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

    def _record(self, request, data):
        return services.record_inspection(
            actor=request.user,
            kind=data["kind"],
            date=data["date"],
            title=data["title"],
            inspectors=data["inspectors"],
            projects=data.get("projects") or (),
            summary=data.get("summary") or "",
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if (
            obj is None
        ):  # recorded by the service; its refusal (no region, a project out of scope) on the form
            return checked_by(form, lambda data: self._record(request, data))
        return form

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        inspection = self._record(request, form.cleaned_data)
        obj.pk = inspection.pk
        obj._state.adding = False

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
