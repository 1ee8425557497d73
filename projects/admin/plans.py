"""年度计划 in the admin."""

from django.contrib import admin
from django.db.models import Count
from unfold.decorators import display

from org.admin_base import HistoryAdmin

from ..admin_filters import (
    RegionTreeFilter,
)
from ..models import (
    Plan,
)


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["name", "region", "year", "project_count", "reporting_month", "lag_yellow", "lag_red"]
    list_filter = ["year", RegionTreeFilter]
    search_fields = ["name", "document_number"]
    list_select_related = ["region"]
    region_path = "region__path"
    fieldsets = [
        (None, {"fields": ["region", "year", "name", "document_number", "approved_on", "description"]}),
        ("序时进度与灯号", {"fields": ["reporting_month", "lag_yellow", "lag_red"]}),
    ]

    def get_list_filter(self, request):
        class PlanRegionFilter(RegionTreeFilter):
            region_path = "region__path"

        return ["year", PlanRegionFilter]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_projects=Count("projects"))

    @display(description="项目数", ordering="n_projects")
    def project_count(self, obj):
        return obj.n_projects
