"""What the public may see, as querysets and plain-language sentences; pages and the public API share them.

Every queryset here starts from published publications, so an unpublished project (and everything
hanging from it) is out of reach by construction, whatever id is typed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Subquery, Sum

from bulletins.models import Bulletin
from funding.models import FundingSource
from minsheng.formatting import money_grouped, number, percent, quantize
from projects.choices import Light, ProjectStatus
from projects.models import Milestone, Project, Target
from projects.progress import overdue_milestone_q, today

from ..models import PhotoPublication


def _funding_total(figure: str):
    """The project's total of one funding figure over its source levels (funding.FundingSource), or None."""
    totals = (
        FundingSource.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(figure))
        .values("total")
    )
    return Subquery(totals, output_field=FundingSource._meta.get_field(figure))


def public_projects():
    """Published projects with their progress figures, funds (planned and spent over the source levels),
    plan, region, lead unit, summary and survey."""
    return (
        Project.objects.filter(publication__is_published=True)
        .with_progress()
        .annotate(funds_planned=_funding_total("planned"), funds_spent=_funding_total("spent"))
        .select_related("plan__region", "lead_unit", "publication", "survey")
        .order_by("-plan__year", "plan__region__path", "sequence", "code")
    )


def public_project_detail():
    """As `public_projects`, with targets, milestones and published photos prefetched (one query each)."""
    on = today()
    return public_projects().prefetch_related(
        Prefetch(
            "targets",
            queryset=Target.objects.with_progress(on=on).order_by("sequence", "pk"),
            to_attr="public_targets",
        ),
        Prefetch(
            "milestones",
            queryset=Milestone.objects.annotate(
                is_overdue=ExpressionWrapper(overdue_milestone_q(on), BooleanField())
            ).order_by("planned_date", "sequence"),
            to_attr="public_milestones",
        ),
    )


def public_photos(project_id: int):
    return (
        PhotoPublication.objects.public()
        .filter(attachment__report__project_id=project_id)
        .select_related("attachment__report")
        .order_by("sequence", "pk")
    )


def disclosed_years() -> list[int]:
    return list(
        Project.objects.filter(publication__is_published=True)
        .order_by("-plan__year")
        .values_list("plan__year", flat=True)
        .distinct()
    )


@dataclass
class PlainProgress:
    """A project's progress in words a resident reads at a glance, and a tone for the badge."""

    text: str
    tone: str  # "ok", "warn", "late", "none"
    width: int  # the progress bar, 0-100


def plain_progress(project) -> PlainProgress:
    """E.g. "截至9月底，已完成全年任务的88.9%，按时间应完成75%，进度快于计划。"."""
    completion = getattr(project, "completion", None)
    month = getattr(project, "as_of_month", 0) or 0
    if project.status == ProjectStatus.COMPLETED:
        return PlainProgress("项目已全部完成。", "ok", 100)
    if project.status in (ProjectStatus.SUSPENDED, ProjectStatus.WITHDRAWN):
        return PlainProgress(f"项目{project.get_status_display()}。", "none", 0)
    if completion is None or month == 0:
        return PlainProgress("项目正在推进，暂无可公开的阶段数据。", "none", 0)
    expected = project.expected or Decimal(0)
    done = f"截至{month}月底，已完成全年任务的{percent(completion)}，按时间应完成{percent(expected)}"
    light = getattr(project, "light", Light.NONE)
    if light == Light.GREEN:
        text, tone = f"{done}，进度符合或快于计划。", "ok"
    elif light == Light.YELLOW:
        text, tone = f"{done}，进度略慢于计划，正在加快推进。", "warn"
    else:
        text, tone = f"{done}，进度慢于计划，正在督促推进。", "late"
    # The bar rounds as the text does (half-up), so "88.9%" is never drawn as 88 beside an 89 elsewhere.
    return PlainProgress(text, tone, max(0, min(100, int(quantize(completion * 100, 0)))))


def target_sentence(target) -> str:
    """E.g. "新增城镇就业：全年目标90,000人，已完成93,000人（103.3%）"."""
    annual = f"{number(target.annual_target)}{target.measure}"
    if target.value is None:
        return f"{target.name}：全年目标{annual}，暂无完成数据"
    value = f"{number(target.value)}{target.measure}"
    return f"{target.name}：全年目标{annual}，已完成{value}（{percent(target.completion)}）"


def funds(project) -> dict:
    """The money as printed text: the funding plan and spending recorded by level when there is one
    (funding.FundingSource), else the planned investment and the investment completed by the latest report."""
    if getattr(project, "funds_planned", None) is not None:
        return {
            "planned_label": "计划资金",
            "spent_label": "已支出资金",
            "planned": money_grouped(project.funds_planned),
            "spent": money_grouped(project.funds_spent),
            "spent_month": None,
        }
    return {
        "planned_label": "计划投资",
        "spent_label": "已完成投资",
        "planned": money_grouped(project.planned_investment),
        "spent": money_grouped(project.latest_investment),
        "spent_month": project.latest_month,
    }


def public_bulletins(year: int | None = None):
    """Issued bulletins staff marked for the public (bulletins.Bulletin.objects.public()), newest first."""
    bulletins = Bulletin.objects.public().select_related("region")
    return bulletins.filter(year=year) if year else bulletins
