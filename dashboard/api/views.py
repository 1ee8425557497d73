"""The leader dashboard's JSON endpoints under /api/v1/dashboard/: read-only, for staff, leaders and
auditors, scoped by `restrict` and the filters year, region, category, unit and level.

Each endpoint is one statement over the projects in scope (see dashboard/queries.py) plus the session and
user lookups; rates are fractions (1 = 100%) and money is yuan, as strings with fixed decimals.
"""

from decimal import ROUND_HALF_UP, Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from org import access

from .. import queries

RATE_PLACES = Decimal("0.0001")
MONEY_PLACES = Decimal("0.01")

FILTERS = [
    OpenApiParameter("year", int, description="年度；不填为本人可见的最近年度。"),
    OpenApiParameter("region", str, description="区划代码（含下级区划）。"),
    OpenApiParameter("category", str, description="领域类别。"),
    OpenApiParameter("unit", int, description="牵头单位ID。"),
]


can_read_dashboard = access.may_read_dashboard


class IsDashboardReader(BasePermission):
    message = "领导看板仅供民生办工作人员、领导和审计/观察员查看。"

    def has_permission(self, request, view):
        return can_read_dashboard(request.user)


RATE_KEYS = {
    "completion",
    "expected",
    "lag",
    "arrival_rate",
    "disbursement_rate",
    "execution_rate",
    "yoy_arrived",
    "yoy_spent",
}


def plain(value, key: str | None = None):
    """JSON-ready figures: rates (completion, expected, lag) to 4 places, money to 2, as strings like the
    rest of the API; the key of a figure says which it is."""
    if isinstance(value, Decimal | float):
        places = RATE_PLACES if key in RATE_KEYS else MONEY_PLACES
        return str(Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP))
    if isinstance(value, dict):
        return {name: plain(item, name) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item, key) for item in value]
    return value


class DashboardView(APIView):
    """Base: resolve the scope from the query string, then `figures(scope)`."""

    permission_classes = [IsDashboardReader]
    pagination_class = None

    def figures(self, scope):
        raise NotImplementedError

    def get(self, request):
        scope = queries.scope(request.user, request.query_params)
        if scope.year is None:
            return Response({"year": None, "results": None})
        return Response({"year": scope.year, "results": plain(self.figures(scope))})


def dashboard_schema(summary: str):
    """The schema of a dashboard endpoint: the common tag, filters and a JSON object response."""
    return extend_schema(
        summary=summary, tags=["领导看板"], parameters=FILTERS, responses={200: OpenApiTypes.OBJECT}
    )


@dashboard_schema("总体情况：灯号统计、平均完成率与序时进度、投资")
class OverviewView(DashboardView):
    def figures(self, scope):
        return queries.overview(scope)


@dashboard_schema("按领域类别的完成率与序时进度")
class CategoryView(DashboardView):
    def figures(self, scope):
        return queries.by_category(scope)


@dashboard_schema("牵头单位排名（按平均滞后）")
class UnitRankingView(DashboardView):
    def figures(self, scope):
        return queries.unit_ranking(scope)


@dashboard_schema("年度项目及灯号")
class ProjectListView(DashboardView):
    def figures(self, scope):
        return queries.project_rows(scope)


@dashboard_schema("滞后项目（红灯、黄灯，滞后最多的在前）")
class LaggingView(DashboardView):
    def figures(self, scope):
        return queries.lagging(scope)


@dashboard_schema("逐月走势：平均完成率、序时进度、累计完成投资")
class TrendView(DashboardView):
    def figures(self, scope):
        return queries.trend(scope)


@dashboard_schema("分级资金：计划、到位、拨付、支出及到位率、拨付率、执行率")
class FundsView(DashboardView):
    def figures(self, scope):
        return queries.funds(scope, self.request.query_params)


@dashboard_schema("未销号的问题与督办单")
class SupervisionView(DashboardView):
    def figures(self, scope):
        return queries.supervision(scope)
