"""The 民生办's admin for public votes: set up a vote and its options, watch live tallies, export results."""

from django.contrib import admin
from django.db.models import Count
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from unfold.admin import TabularInline
from unfold.decorators import action, display

from minsheng.admin_confirm import visible_or_404
from minsheng.security_events import EventKind, emit
from org.admin_base import HistoryAdmin, RoleScopedAdmin, ScopedInlineMixin

from .export import results_workbook
from .models import Ballot, Vote, VoteOption
from .results import vote_result

PHASE_LABELS = {"未开始": "info", "投票中": "warning", "已结束": "success"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class VoteOptionInline(ScopedInlineMixin, TabularInline):
    model = VoteOption
    extra = 0
    fields = ["sequence", "candidate"]
    ordering_field = "sequence"
    hide_ordering_field = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "candidate":
            field.queryset = field.queryset.select_related("region")
        return field


def xlsx_response(votes, name: str) -> HttpResponse:
    response = HttpResponse(results_workbook(votes), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@admin.register(Vote)
class VoteAdmin(HistoryAdmin):
    list_display = [
        "title",
        "region",
        "year",
        "opens_at",
        "closes_at",
        "max_choices",
        "phase_display",
        "ballot_count",
    ]
    list_filter = ["year", "results_live"]
    search_fields = ["title"]
    list_select_related = ["region"]
    inlines = [VoteOptionInline]
    readonly_fields = ["phase_display", "live_tallies"]
    actions = ["export_selected"]
    actions_detail = ["export_detail"]
    fieldsets = [
        (None, {"fields": ["region", "year", "title", "description"]}),
        ("投票规则", {"fields": ["opens_at", "closes_at", "max_choices", "results_live"]}),
        ("实时计票（工作人员可见，按选票实时统计）", {"fields": ["phase_display", "live_tallies"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_ballots=Count("ballots"))

    @display(description="状态", label=PHASE_LABELS)
    def phase_display(self, obj):
        return obj.phase_label if obj.pk else "—"

    @display(description="选票数", ordering="n_ballots")
    def ballot_count(self, obj):
        return obj.n_ballots

    @display(description="得票情况")
    def live_tallies(self, obj):
        if not obj.pk:
            return "—"
        return render_to_string(
            "admin/voting/tallies.html",
            {"result": vote_result(obj), "at": timezone.localtime(), "export_url": self._export_url(obj)},
        )

    def _export_url(self, obj):
        return reverse("admin:voting_vote_export_detail", args=[obj.pk])

    @admin.action(description="导出所选投票的结果（Excel）")
    def export_selected(self, request, queryset):
        votes = list(queryset.select_related("region"))
        emit(EventKind.EXPORT, request=request, target="voting.vote", detail={"votes": [v.pk for v in votes]})
        return xlsx_response(votes, "votes.xlsx")

    @action(description="导出结果（Excel）", url_path="export", permissions=["view"])
    def export_detail(self, request, object_id):
        vote = visible_or_404(self, request, object_id, self.get_queryset(request).select_related("region"))
        emit(EventKind.EXPORT, request=request, target=f"vote:{vote.pk}", detail={"votes": [vote.pk]})
        return xlsx_response([vote], f"vote-{vote.pk}.xlsx")


@admin.register(Ballot)
class BallotAdmin(RoleScopedAdmin):
    """Ballots are cast by citizens only: staff can look them up (by receipt) but never change them."""

    list_display = ["receipt", "vote", "phone_masked", "cast_at", "choice_list"]
    list_filter = ["vote"]
    search_fields = ["=receipt", "phone_masked"]
    list_select_related = ["vote"]
    readonly_fields = ["vote", "receipt", "phone_masked", "cast_at", "choice_list"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices__option__candidate")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description="所选项目")
    def choice_list(self, obj):
        return format_html("{}", "；".join(c.option.candidate.title for c in obj.choices.all()))
