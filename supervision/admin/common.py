"""What supervision's admins share: status badges, export, read-only lists, the one-step confirmation page."""

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from import_export.admin import ExportMixin
from unfold.contrib.import_export.forms import ExportForm

from minsheng.admin_confirm import visible_or_404
from minsheng.security_events import EventKind, emit
from org.admin_base import RoleScopedAdmin

from ..choices import AlertStatus, OrderStatus, ProblemStatus

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


def _rows(queryset) -> int:
    return queryset.count() if isinstance(queryset, QuerySet) else len(queryset)


class ExportAdmin(ExportMixin):
    """Lists exported as shown (same scope and filters), to Excel or CSV."""

    export_form_class = ExportForm

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        # Security audit log (issue 15): who exported which list, in which format, how many rows.
        opts = self.model._meta
        emit(
            EventKind.EXPORT,
            request=request,
            target=f"{opts.app_label}.{opts.model_name}",
            detail={
                "list": str(opts.verbose_name_plural),
                "format": file_format.get_title(),
                "rows": _rows(queryset),
            },
        )
        return data


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
    obj = visible_or_404(model_admin, request, object_id)
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
