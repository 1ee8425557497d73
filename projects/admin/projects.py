"""Projects in the admin, with their targets, milestones, reports and adjustments inline."""

from django.contrib import admin
from unfold.admin import StackedInline, TabularInline
from unfold.decorators import display

from minsheng.formatting import percent
from minsheng.numbers import HumanNumbersAdminMixin
from org import access
from org.admin_base import HistoryAdmin, ScopedInlineMixin

from ..admin_filters import (
    AsOfMonthFilter,
    LightFilter,
    RegionTreeFilter,
    as_of_month,
)
from ..choices import Light
from ..models import (
    Adjustment,
    Milestone,
    ProgressReport,
    Project,
    Target,
)
from ..periods import cumulative_label
from .common import LIGHT_LABELS, ReadOnlyInlineMixin


class TargetInline(HumanNumbersAdminMixin, ScopedInlineMixin, TabularInline):
    model = Target
    extra = 0
    fields = ["sequence", "name", "measure", "annual_target", "weight", "authoritative_unit", "note"]
    ordering_field = "sequence"
    hide_ordering_field = True


class MilestoneInline(ScopedInlineMixin, TabularInline):
    model = Milestone
    extra = 0
    fields = ["sequence", "name", "planned_date", "actual_date", "planned_progress"]


class ReportInline(ReadOnlyInlineMixin, TabularInline):
    model = ProgressReport
    fields = ["month", "status", "investment_completed", "submitted_by", "submitted_at"]
    readonly_fields = fields
    ordering = ["-month"]
    verbose_name_plural = "月度进展报告（在“月度进展报告”中填报和审核）"


class AdjustmentInline(ReadOnlyInlineMixin, StackedInline):
    model = Adjustment
    fields = [
        "kind",
        "approved_on",
        "approved_by",
        "approval_document",
        "reason",
        "description",
        "recorded_by",
    ]
    readonly_fields = fields
    verbose_name_plural = "动态调整（在“动态调整”中登记）"


@admin.register(Project)
class ProjectAdmin(HumanNumbersAdminMixin, HistoryAdmin):
    list_display = [
        "code",
        "title",
        "plan_year",
        "plan_region",
        "level",
        "lead_unit",
        "status",
        "completion_display",
        "expected_display",
        "light_display",
        "latest_period",
    ]
    list_display_links = ["code", "title"]
    list_filter = [
        AsOfMonthFilter,
        "plan__year",
        RegionTreeFilter,
        "level",
        "category",
        ("lead_unit", admin.RelatedOnlyFieldListFilter),
        "status",
        "change_type",
        LightFilter,
    ]
    list_filter_submit = True
    search_fields = ["code", "title", "content", "lead_unit__name", "lead_unit__short_name"]
    list_select_related = ["plan__region", "lead_unit"]
    autocomplete_fields = ["lead_unit", "upkeep_unit", "cooperating_units"]
    inlines = [TargetInline, MilestoneInline, ReportInline, AdjustmentInline]
    readonly_fields = [
        "completion_display",
        "expected_display",
        "lag_display",
        "light_display",
        "latest_period",
    ]
    fieldsets = [
        ("基本信息", {"fields": ["plan", "code", "sequence", "title", "level", "category", "status"]}),
        (
            "进度（按已报送、已审核的月报自动计算）",
            {
                "fields": [
                    "light_display",
                    "completion_display",
                    "expected_display",
                    "lag_display",
                    "latest_period",
                ],
            },
        ),
        ("与上级和上年的关系", {"fields": ["parent_project", "change_type", "predecessor"]}),
        (
            "建设内容与标准",
            {"fields": ["content", "work_standard", "deadline", "planned_investment", "schedule_basis"]},
        ),
        (
            "责任分工",
            {
                "fields": [
                    "lead_unit",
                    "cooperating_units",
                    "responsible_leader",
                    "contact_person",
                    "contact_phone",
                    "upkeep_unit",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress(month=as_of_month(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("parent_project", "predecessor"):
            # A project implements one of a higher region's projects, which the user's own scope does not
            # include: offer the projects of the regions above and of the user's own scope.
            region = request.user.region
            qs = Project.objects.select_related("plan")
            if not access.is_administrator(request.user) and region is not None:
                above = [code for code in region.path.split("/") if code]
                qs = qs.filter(plan__region__code__in=above) | Project.objects.restrict(request.user)
            kwargs["queryset"] = qs.select_related("plan").order_by("-plan__year", "code")
            return super(HistoryAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @display(description="年度", ordering="plan__year")
    def plan_year(self, obj):
        return obj.plan.year

    @display(description="区划", ordering="plan__region__path")
    def plan_region(self, obj):
        return obj.plan.region

    @display(description="完成率", ordering="completion")
    def completion_display(self, obj):
        return percent(getattr(obj, "completion", None))

    @display(description="序时进度", ordering="expected")
    def expected_display(self, obj):
        return percent(getattr(obj, "expected", None))

    @display(description="滞后", ordering="lag")
    def lag_display(self, obj):
        lag = getattr(obj, "lag", None)
        return (
            "—"
            if lag is None
            else ("超前" if lag >= 0 else "落后") + percent(abs(lag)).replace("%", "个百分点")
        )

    @display(description="灯号", ordering="light", label=LIGHT_LABELS)
    def light_display(self, obj):
        return Light(obj.light).label if getattr(obj, "light", None) else Light.NONE.label

    @display(description="最新报告", ordering="latest_month")
    def latest_period(self, obj):
        month = getattr(obj, "latest_month", None)
        return cumulative_label(month) if month else "—"
