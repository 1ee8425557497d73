"""The year rollover in the admin: carry-overs (继续实施、退出、整合归并) and the projects' lineage."""

from django import forms
from django.contrib import admin, messages
from unfold.decorators import display

from org.admin_base import HistoryAdmin

from .. import services
from ..forms import (
    RolloverForm,
)
from ..models import (
    CarryOver,
    ProjectLineage,
)
from .common import (
    CarryOverRegionFilter,
    ConfirmedActionsMixin,
    ReadOnlyAdmin,
    _bound,
    copy_into,
)


class CarryOverForm(forms.ModelForm):
    class Meta:
        model = CarryOver
        fields = ["project", "decision", "merge_code", "merge_title", "note"]


@admin.register(CarryOver)
class CarryOverAdmin(ConfirmedActionsMixin, HistoryAdmin):
    """Year-end decisions per project and the rollover that carries them out."""

    form = CarryOverForm
    list_display = ["project", "plan_year", "decision", "merge_code", "merge_title", "successor", "done_at"]
    list_filter = [
        "project__plan__year",
        CarryOverRegionFilter,
        "decision",
        ("done_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["project__code", "project__title", "merge_title"]
    list_select_related = ["project__plan", "successor"]
    autocomplete_fields = ["project"]
    readonly_fields = ["successor", "done_at", "decided_by"]
    actions = ["rollover_selected"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.done_at is None)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        carry = services.set_carry_over(
            data["project"],
            actor=request.user,
            decision=data["decision"],
            merge_code=data.get("merge_code") or "",
            merge_title=data.get("merge_title") or "",
            note=data.get("note") or "",
        )
        copy_into(obj, carry)

    @display(description="年度", ordering="project__plan__year")
    def plan_year(self, obj):
        return obj.project.plan.year

    @admin.action(description="对所选项目所在的年度计划执行年度结转", permissions=["handle"])
    def rollover_selected(self, request, queryset):
        data, _ = _bound(request)
        plans = {
            (c.project.plan.region, c.project.plan.year)
            for c in queryset.select_related("project__plan__region")
        }

        def run(objs, _):
            for region, year in sorted(plans, key=lambda p: (p[0].path, p[1])):
                result = services.rollover(region, year, actor=request.user)
                text = result.summary() if result.changed else "没有待结转的项目，未作修改。"
                self.message_user(
                    request, f"{region.name}{year}年度结转到{year + 1}年度：{text}", messages.SUCCESS
                )

        return self._list_action(
            request,
            queryset,
            name="rollover_selected",
            title="年度结转：" + "、".join(f"{region.name}{year}年度" for region, year in plans),
            submit_label="结转",
            form=RolloverForm(data),
            run=run,
        )


@admin.register(ProjectLineage)
class ProjectLineageAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "change_type", "recorded_at"]
    list_filter = ["change_type", "successor__plan__year"]
    search_fields = ["predecessor__code", "predecessor__title", "successor__code", "successor__title"]
    list_select_related = ["predecessor", "successor"]
