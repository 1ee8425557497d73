"""The leader dashboard page: the filters and empty panels; the figures come from /api/v1/dashboard/."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from org.models import Region, Unit
from projects.choices import Category

from . import queries
from .api.views import can_read_dashboard


@login_required
def index(request):
    """Read-only for staff, leaders and auditors (and superusers); filers have their own pages."""
    if not can_read_dashboard(request.user):
        raise PermissionDenied("领导看板仅供民生办工作人员、领导和审计/观察员查看。")
    user = request.user
    years = queries.visible_years(user)
    selected = {name: request.GET.get(name, "") for name in ("year", "region", "category", "unit")}
    if not selected["year"] and years:
        selected["year"] = str(queries.default_year(user) or years[0])
    context = {
        "years": years,
        "regions": [
            (region.code, "\u3000" * (region.path.count("/") - 1) + region.name)
            for region in Region.objects.restrict(user).only("code", "name", "path")
        ],
        "units": Unit.objects.restrict(user).filter(led_projects__isnull=False).distinct().only("name"),
        "categories": Category.choices,
        "selected": selected,
    }
    return render(request, "dashboard/index.html", context)
