"""The admin of the daily scan's alerts (read only, exportable)."""

from django.contrib import admin
from import_export import fields
from unfold.decorators import display

from minsheng.spreadsheets import NeutralisedResource

from ..models import Alert
from .common import STATUS_LABELS, ExportAdmin, ReadOnlyAdmin


class AlertResource(NeutralisedResource):
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
