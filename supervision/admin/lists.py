"""The task list, the responsibility list and the units' accountability record (read only, exportable)."""

from django.contrib import admin
from django.utils import timezone
from import_export import fields
from unfold.decorators import display

from minsheng.spreadsheets import NeutralisedResource

from ..accountability import FIGURES, with_accountability
from ..models import ResponsibilityItem, TaskItem, UnitAccountability
from .common import ExportAdmin, ReadOnlyAdmin


class TaskResource(NeutralisedResource):
    year = fields.Field(attribute="plan__year", column_name="年度")
    code = fields.Field(attribute="code", column_name="项目编号")
    title = fields.Field(attribute="title", column_name="项目名称")
    content = fields.Field(attribute="content", column_name="建设内容")
    targets = fields.Field(column_name="量化指标")
    work_standard = fields.Field(attribute="work_standard", column_name="工作标准")
    deadline = fields.Field(attribute="deadline", column_name="完成时限")
    lead_unit = fields.Field(attribute="lead_unit", column_name="牵头单位")

    class Meta:
        model = TaskItem
        fields = ["year", "code", "title", "content", "targets", "work_standard", "deadline", "lead_unit"]

    def dehydrate_targets(self, obj):
        return "；".join(str(target) for target in obj.targets.all())


@admin.register(TaskItem)
class TaskListAdmin(ExportAdmin, ReadOnlyAdmin):
    resource_classes = [TaskResource]
    list_display = ["code", "title", "targets_display", "deadline", "lead_unit", "status"]
    list_filter = ["plan__year", "status", ("lead_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "title", "content"]
    list_select_related = ["plan", "lead_unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("targets")

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("targets")

    @display(description="量化指标")
    def targets_display(self, obj):
        return "；".join(str(target) for target in obj.targets.all()) or "—"


class ResponsibilityResource(NeutralisedResource):
    year = fields.Field(attribute="plan__year", column_name="年度")
    code = fields.Field(attribute="code", column_name="项目编号")
    title = fields.Field(attribute="title", column_name="项目名称")
    lead_unit = fields.Field(attribute="lead_unit", column_name="牵头单位")
    cooperating = fields.Field(column_name="配合单位")
    responsible_leader = fields.Field(attribute="responsible_leader", column_name="责任领导")
    contact_person = fields.Field(attribute="contact_person", column_name="联系人")
    contact_phone = fields.Field(attribute="contact_phone", column_name="联系电话")
    deadline = fields.Field(attribute="deadline", column_name="完成时限")
    upkeep_unit = fields.Field(attribute="upkeep_unit", column_name="建后管养单位")

    class Meta:
        model = ResponsibilityItem
        fields = [
            "year",
            "code",
            "title",
            "lead_unit",
            "cooperating",
            "responsible_leader",
            "contact_person",
            "contact_phone",
            "deadline",
            "upkeep_unit",
        ]

    def dehydrate_cooperating(self, obj):
        return "、".join(str(unit) for unit in obj.cooperating_units.all())


@admin.register(ResponsibilityItem)
class ResponsibilityListAdmin(ExportAdmin, ReadOnlyAdmin):
    resource_classes = [ResponsibilityResource]
    list_display = [
        "code",
        "title",
        "lead_unit",
        "cooperating_display",
        "responsible_leader",
        "contact_display",
        "deadline",
    ]
    list_filter = ["plan__year", ("lead_unit", admin.RelatedOnlyFieldListFilter)]
    # Not contact_person: it is SM4-encrypted at rest (minsheng/encrypted.py), the database cannot search it.
    search_fields = ["code", "title", "responsible_leader"]
    list_select_related = ["plan", "lead_unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("cooperating_units")

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("cooperating_units")

    @display(description="配合单位")
    def cooperating_display(self, obj):
        return "、".join(str(unit) for unit in obj.cooperating_units.all()) or "—"

    @display(description="联系人")  # no ordering: the column is encrypted, sorting it would sort ciphertext
    def contact_display(self, obj):
        return obj.contact_person


class YearFilter(admin.SimpleListFilter):
    """The year of the accountability record (this year by default)."""

    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(y), f"{y}年") for y in range(this_year, this_year - 6, -1)]

    def queryset(self, request, queryset):
        return queryset


def accountability_year(request) -> int:
    value = request.GET.get(YearFilter.parameter_name, "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


LABELS = {
    "orders": "督办单",
    "missed_stages": "督办超期",
    "reports_overdue": "月报逾期",
    "returned_reports": "月报被退回",
    "problems_found": "发现问题",
    "open_problems": "未销号问题",
    "overdue_rectifications": "整改超期",
}


class AccountabilityResource(NeutralisedResource):
    name = fields.Field(attribute="name", column_name="单位")
    region = fields.Field(attribute="region", column_name="区划")
    orders = fields.Field(attribute="orders", column_name=LABELS["orders"])
    missed_stages = fields.Field(attribute="missed_stages", column_name=LABELS["missed_stages"])
    reports_overdue = fields.Field(attribute="reports_overdue", column_name=LABELS["reports_overdue"])
    returned_reports = fields.Field(attribute="returned_reports", column_name=LABELS["returned_reports"])
    problems_found = fields.Field(attribute="problems_found", column_name=LABELS["problems_found"])
    open_problems = fields.Field(attribute="open_problems", column_name=LABELS["open_problems"])
    overdue_rectifications = fields.Field(
        attribute="overdue_rectifications", column_name=LABELS["overdue_rectifications"]
    )

    class Meta:
        model = UnitAccountability
        fields = ["name", "region", *FIGURES]


def _figure(name):
    @display(description=LABELS[name], ordering=name)
    def show(self, obj):
        return getattr(obj, name)

    show.__name__ = name
    return show


@admin.register(UnitAccountability)
class AccountabilityAdmin(ExportAdmin, ReadOnlyAdmin):
    resource_classes = [AccountabilityResource]
    list_display = ["name", "region", *[f"{name}_display" for name in FIGURES]]
    list_filter = [YearFilter, "kind"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]

    def get_queryset(self, request):
        units = with_accountability(super().get_queryset(request), accountability_year(request))
        return units.order_by("-missed_stages", "-open_problems", "region__path", "name")


for _name in FIGURES:
    setattr(AccountabilityAdmin, f"{_name}_display", _figure(_name))
