"""The admin of ledgers: upload, dry-run preview (new/changed/unchanged rows and every error), confirm,
progress of large files, template downloads and exports."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from unfold.decorators import action, display

from minsheng.admin_confirm import visible_or_404
from minsheng.errors import DomainError
from minsheng.security_events import EventKind, emit
from org.admin_base import RoleScopedAdmin, can_view
from projects.models import Plan

from . import exporting, services
from .choices import ImportStatus
from .forms import ExportForm, UploadForm
from .importers.base import ACTION_LABELS, Report
from .models import LedgerImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {
    ImportStatus.CHECKING.label: "info",
    ImportStatus.CHECKED.label: "warning",
    ImportStatus.FAILED.label: "danger",
    ImportStatus.IMPORTING.label: "info",
    ImportStatus.IMPORTED.label: "success",
}


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@admin.register(LedgerImport)
class LedgerImportAdmin(RoleScopedAdmin):
    list_display = [
        "original_name",
        "kind",
        "region",
        "year",
        "status_badge",
        "summary",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["region", "created_by"]
    search_fields = ["original_name"]
    actions_list = ["upload_list", "export_list"]

    @action(description="上传台账", url_path="upload-ledger", permissions=["add"])
    def upload_list(self, request):
        return redirect("admin:ledgers_ledgerimport_upload")

    @action(description="导出台账/汇总表", url_path="export-ledger", permissions=["view"])
    def export_list(self, request):
        return redirect("admin:ledgers_ledgerimport_export")

    def has_change_permission(self, request, obj=None):
        return False  # an import is a record of what happened; it is confirmed, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description="状态", label=STATUS_LABELS)
    def status_badge(self, obj):
        return obj.get_status_display()

    @display(description="结果")
    def summary(self, obj):
        return Report.from_dict(obj.report).summary() if obj.report else "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="ledgers_ledgerimport_upload"),
            path("export/", view(self.export_view), name="ledgers_ledgerimport_export"),
            path("template/<str:kind>/", view(self.template_view), name="ledgers_ledgerimport_template"),
            path("<int:pk>/preview/", view(self.preview_view), name="ledgers_ledgerimport_preview"),
            path("<int:pk>/status/", view(self.status_view), name="ledgers_ledgerimport_status"),
            path("<int:pk>/confirm/", view(self.confirm_view), name="ledgers_ledgerimport_confirm"),
            path("<int:pk>/rerun/", view(self.rerun_view), name="ledgers_ledgerimport_rerun"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return self.upload_view(request)  # "adding" an import is uploading a ledger

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ledger_import = visible_or_404(self, request, object_id)  # "abc" must not reach reverse() (500)
        return redirect("admin:ledgers_ledgerimport_preview", pk=ledger_import.pk)

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def _require_view(self, request):
        if not can_view(request.user):
            raise DjangoPermissionDenied

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                ledger_import = services.upload_ledger(
                    form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    region=form.cleaned_data["region"],
                    year=form.cleaned_data["year"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                return redirect("admin:ledgers_ledgerimport_preview", pk=ledger_import.pk)
        kinds = [(kind, label) for kind, label in services.KIND_LABELS.items()]
        return TemplateResponse(
            request,
            "admin/ledgers/upload.html",
            self._context(request, "导入台账", form=form, kinds=kinds),
        )

    def preview_view(self, request, pk):
        self._require_view(request)
        ledger_import = get_object_or_404(self.get_queryset(request), pk=pk)
        report = Report.from_dict(ledger_import.report) if ledger_import.report else None
        context = self._context(
            request,
            f"台账导入：{ledger_import.original_name}",
            ledger_import=ledger_import,
            report=report,
            action_labels=ACTION_LABELS,
            can_confirm=ledger_import.can_confirm() and self.has_add_permission(request),
            can_rerun=ledger_import.can_rerun() and self.has_add_permission(request),
            progress=services.read_progress(ledger_import.pk),
        )
        return TemplateResponse(request, "admin/ledgers/preview.html", context)

    def status_view(self, request, pk):
        self._require_view(request)
        ledger_import = get_object_or_404(self.get_queryset(request), pk=pk)
        return JsonResponse(
            {
                "status": ledger_import.status,
                "status_label": ledger_import.get_status_display(),
                "running": ledger_import.is_running,
                "progress": services.read_progress(ledger_import.pk),
            }
        )

    def confirm_view(self, request, pk):
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        ledger_import = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            services.confirm_import(ledger_import, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("admin:ledgers_ledgerimport_preview", pk=pk)

    def rerun_view(self, request, pk):
        """An interrupted check or import (worker lost, time limit, queue down) checked again."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise DjangoPermissionDenied
        ledger_import = get_object_or_404(self.get_queryset(request), pk=pk)
        try:
            services.rerun_import(ledger_import, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("admin:ledgers_ledgerimport_preview", pk=pk)

    def template_view(self, request, kind):
        self._require_view(request)
        if kind not in services.KIND_LABELS:
            raise DjangoPermissionDenied
        return xlsx_response(exporting.template(kind), f"{services.KIND_LABELS[kind]}模板.xlsx")

    def export_view(self, request):
        """Leaders and auditors may export what they see: the plans visible to them."""
        self._require_view(request)
        form = ExportForm(request.GET or None, user=request.user)
        if request.GET and form.is_valid():
            plan: Plan = form.cleaned_data["plan"]
            kind = form.cleaned_data["kind"]
            content = services.export_ledger(kind, plan, month=form.cleaned_data["month"])
            emit(  # security audit log (issue 15)
                EventKind.EXPORT,
                request=request,
                target=f"plan:{plan.pk}",
                detail={
                    "ledger": kind,
                    "year": plan.year,
                    "region": plan.region.name,
                    "month": form.cleaned_data["month"],
                },
            )
            return xlsx_response(
                content, f"{plan.year}年{plan.region.name}{services.EXPORT_KINDS[kind]}.xlsx"
            )
        return TemplateResponse(
            request,
            "admin/ledgers/export.html",
            self._context(
                request, "导出台账", form=form, upload_url=reverse("admin:ledgers_ledgerimport_upload")
            ),
        )
