"""Collection rounds (征集) in the admin."""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from unfold.decorators import display

from org.admin_base import HistoryAdmin

from ..models import (
    CollectionRound,
)
from .common import RoundRegionFilter


@admin.register(CollectionRound)
class CollectionRoundAdmin(HistoryAdmin):
    list_display = ["name", "region", "year", "opens_on", "closes_on", "open_display", "proposal_count"]
    list_filter = ["year", RoundRegionFilter]
    search_fields = ["name"]
    list_select_related = ["region"]
    fields = ["region", "year", "name", "opens_on", "closes_on", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_proposals=Count("proposals"))

    @display(description="建议数", ordering="n_proposals")
    def proposal_count(self, obj):
        return obj.n_proposals

    @display(description="征集状态", label={"征集中": "success", "未开始": "info", "已截止": "warning"})
    def open_display(self, obj):
        if obj.is_open():
            return "征集中"
        return "未开始" if obj.opens_on > timezone.localdate() else "已截止"
