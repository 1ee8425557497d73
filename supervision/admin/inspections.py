"""The admin of inspections, their photos and findings."""

from django.contrib import admin
from unfold.admin import TabularInline

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
