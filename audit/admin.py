"""The security audit log in the admin: read only, and only for whoever holds `minsheng.read_security_log`
(审计管理员). Nobody adds, changes or deletes a record here (the database refuses it anyway); anyone else
gets a 403, which is itself logged (workbench/errors.py)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import FieldTextFilter, RangeDateFilter
from unfold.decorators import display

from minsheng.security_events import EventKind, Result, emit
from org import access

from . import exporting
from .models import AuditArchive, SecurityEvent

RESULT_LABELS = {Result.OK.label: "success", Result.FAILED.label: "warning", Result.REFUSED.label: "danger"}
EXPORTERS = {"csv": exporting.csv_response, "xlsx": exporting.xlsx_response}


class ReadSecurityLogAdmin(ModelAdmin):
    """Seen by the security-log readers only; changed by nobody, superusers included."""

    def _may_read(self, request) -> bool:
        return access.test("read_security_log", request.user)

    def has_module_permission(self, request):
        return self._may_read(request)

    def has_view_permission(self, request, obj=None):
        return self._may_read(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadSecurityLogAdmin):
    change_list_template = "admin/audit/securityevent/change_list.html"
    list_display = ["seq", "at", "kind", "result_badge", "username", "role", "ip", "method", "path", "target"]
    list_filter = [
        "kind",
        "result",
        ("username", FieldTextFilter),
        ("at", RangeDateFilter),
    ]
    list_filter_submit = True
    search_fields = ["=username", "=ip"]
    list_per_page = 50
    show_full_result_count = False  # a count of the whole log on every page is a scan of the whole log
    readonly_fields = [field.name for field in SecurityEvent._meta.concrete_fields]

    @display(description="结果", label=RESULT_LABELS)
    def result_badge(self, obj):
        return obj.get_result_display()

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("export/<str:fmt>/", export, name="audit_securityevent_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        query = request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        extra_context = {
            **(extra_context or {}),
            "export_csv_url": reverse("admin:audit_securityevent_export", args=["csv"]) + suffix,
            "export_xlsx_url": reverse("admin:audit_securityevent_export", args=["xlsx"]) + suffix,
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request, fmt: str):
        """The records the list shows (same filters and search), as CSV or Excel; the export is logged."""
        if not self._may_read(request):
            raise PermissionDenied("只有审计管理员可以导出安全审计日志。")
        if fmt not in EXPORTERS:
            raise PermissionDenied("不支持的导出格式。")
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request).order_by("seq")
        filters = {key: value for key, value in request.GET.items()}
        emit(
            EventKind.EXPORT,
            request=request,
            target="audit.securityevent",
            detail={"format": fmt, "filters": filters, "rows": queryset.count()},
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        return EXPORTERS[fmt](queryset, f"安全审计日志{stamp}.{fmt}")


@admin.register(AuditArchive)
class AuditArchiveAdmin(ReadSecurityLogAdmin):
    list_display = ["file_name", "first_seq", "last_seq", "count", "cutoff", "created_at", "algorithm"]
    readonly_fields = [field.name for field in AuditArchive._meta.concrete_fields]
