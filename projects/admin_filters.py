"""List filters shared by the project, target, milestone and report admins."""

from django.contrib import admin

from org.models import Region

from .choices import Light
from .periods import cumulative_label


class RegionTreeFilter(admin.SimpleListFilter):
    """A region and every region below it (a city's list shows its counties' projects too)."""

    title = "区划（含下级）"
    parameter_name = "region"
    region_path = "plan__region__path"

    def lookups(self, request, model_admin):
        return [
            (r.code, ("\u3000" * r.path.count("/", 0, -1)) + r.name)
            for r in Region.objects.restrict(request.user).only("code", "name", "path")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = Region.objects.restrict(request.user).filter(code=self.value()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(**{f"{self.region_path}__startswith": region.path})


class ProjectRegionTreeFilter(RegionTreeFilter):
    region_path = "project__plan__region__path"


class LightFilter(admin.SimpleListFilter):
    title = "灯号"
    parameter_name = "light"

    def lookups(self, request, model_admin):
        return Light.choices

    def queryset(self, request, queryset):
        return queryset.filter(light=self.value()) if self.value() else queryset


class AsOfMonthFilter(admin.SimpleListFilter):
    """The month progress is judged at; the admin's get_queryset reads it (see ProjectAdmin)."""

    title = "统计截至"
    parameter_name = "as_of"

    def lookups(self, request, model_admin):
        return [(str(m), cumulative_label(m)) for m in range(1, 13)]

    def queryset(self, request, queryset):
        return queryset


def as_of_month(request) -> int | None:
    value = request.GET.get(AsOfMonthFilter.parameter_name)
    return int(value) if value in {str(m) for m in range(1, 13)} else None


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "已逾期未完成"), ("no", "未逾期")]

    def queryset(self, request, queryset):
        from .progress import overdue_milestone_q, today

        if self.value() == "yes":
            return queryset.filter(overdue_milestone_q(today()))
        if self.value() == "no":
            return queryset.exclude(overdue_milestone_q(today()))
        return queryset
