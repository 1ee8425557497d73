"""Build a bulletin's text from the data: a fixed number of queries whatever the number of projects.

`generate(region, year, month)` reads the region's plan of the year as of month `month` (projects with
their lights from projects.progress, targets with their completion, the latest counted narrative of each
project, the funding summary) and returns the bulletin's fields and sections, unsaved. The wording of each
figure is in bulletins.wording; every rate is printed through one `FigureBook`, so a figure reads the same
wherever it appears. A project without a report for the month is named as 未报; a narrative from an older
month's report is held back and shown to the editor as a note (`SectionDraft.notes`), never printed.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from funding.summaries import bulletin_figures
from projects import periods
from projects.choices import COUNTED_REPORT_STATUSES, Light, ProjectStatus
from projects.models import Plan, ProgressReport, Project, Target
from projects.periods import Period, cumulative_label

from .choices import SectionKind
from .models import BulletinSettings, region_scope
from .wording import (
    FigureBook,
    cn_number,
    harmonise,
    money_text,
    ordinal_point,
    rate_text,
    target_clause,
)

LAGGING = (Light.YELLOW, Light.RED)


@dataclass
class SectionDraft:
    kind: str
    heading: str = ""
    summary: str = ""
    body: str = ""
    project_id: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class BulletinDraft:
    fields: dict
    figures: dict
    sections: list[SectionDraft] = field(default_factory=list)


def items_label(settings: BulletinSettings, plan: Plan | None) -> str:
    """ "十件民生大事": the settings' label, else the plan's name without its year and region."""
    if settings.items_label:
        return settings.items_label
    if plan is None:
        return "重点民生事项"
    label = plan.name.removeprefix(f"{plan.year}年").removeprefix(plan.region.name).strip()
    return label or "重点民生事项"


def _rate(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def _number(value) -> str | None:
    return None if value is None else str(value)


def load_projects(plan: Plan, month: int) -> list[Project]:
    """The plan's projects (withdrawn ones left out) with their figures, in plan order; one query."""
    narrative = (
        ProgressReport.objects.filter(
            project=OuterRef("pk"), status__in=COUNTED_REPORT_STATUSES, month__lte=month
        )
        .order_by("-month")
        .values("narrative")[:1]
    )
    return list(
        Project.objects.filter(plan=plan)
        .exclude(status=ProjectStatus.WITHDRAWN)
        .with_progress(month=month)
        .annotate(latest_narrative=Subquery(narrative))
        .select_related("lead_unit")
        .order_by("sequence", "code")
    )


def load_targets(plan: Plan, month: int) -> dict[int, list[Target]]:
    """Each project's targets with value and completion at `month`, and their wording; one query."""
    by_project: dict[int, list[Target]] = {}
    targets = (
        Target.objects.filter(project__plan=plan)
        .exclude(project__status=ProjectStatus.WITHDRAWN)
        .with_progress(month=month)
        .select_related("bulletin_wording")
        .order_by("project_id", "sequence", "pk")
    )
    for target in targets:
        by_project.setdefault(target.project_id, []).append(target)
    return by_project


def wording_of(target: Target):
    try:
        return target.bulletin_wording
    except Target.bulletin_wording.RelatedObjectDoesNotExist:
        return None


def reported(project: Project, month: int) -> bool:
    """Whether the project has a counted report for the bulletin's month itself."""
    return project.latest_month == month


def project_summary(project: Project, targets: list[Target], month: int, book: FigureBook) -> str:
    """ "1-9月份，完成投资4.39亿元、占年度计划的70%；村卫生室完成建设46个、完成年度任务的92%。"

    A project without a report for `month` is named as 未报, with the figures of its latest report and
    that report's month: "9月份未报。截至8月份，完成投资…".
    """
    clauses = []
    if project.latest_investment is not None:
        clause = f"完成投资{money_text(project.latest_investment)}"
        if project.investment_rate is not None:
            clause += f"、占年度计划的{book.rate(project.investment_rate)}"
        clauses.append(clause)
    for target in targets:
        if target.value is None and not reported(project, month):
            continue
        clauses.append(
            target_clause(
                target.name, target.measure, target.value, target.completion, wording_of(target), book
            )
        )
    if not reported(project, month):
        if project.latest_month is None or not clauses:
            return f"{month}月份未报，尚无报送的进展数据。"
        return f"{month}月份未报。截至{project.latest_month}月份，{'；'.join(clauses)}。"
    if not clauses:
        return f"{cumulative_label(month, '月份')}，尚无报送的进展数据。"
    return f"{cumulative_label(month, '月份')}，{'；'.join(clauses)}。"


# "1-9月份", "1—9月", "1至9月", "截至9月底": a period a narrative speaks of.
PERIOD_MENTION = re.compile(r"(?:1\s*[-－—–~～至到]\s*|截[至止]\s*)(\d{1,2})\s*月")


def narrative_of(project: Project, month: int, figures: list, book: FigureBook) -> tuple[str, list[str]]:
    """The project's narrative for the bulletin and the notes for its editor.

    A narrative from an older month's report, or one that speaks of an older period ("1-8月份" in the
    1-9月份 bulletin), is not printed: the note quotes it so the editor can decide. A percentage of the
    narrative that rounds one of the project's figures differently is replaced by the bulletin's text.
    """
    text = (project.latest_narrative or "").strip()
    if not text:
        return "", []
    if not reported(project, month):
        return "", [f"{month}月份未报，最近一次报送为{project.latest_month}月份，其进展情况未打印：{text}"]
    older = sorted({int(m) for m in PERIOD_MENTION.findall(text) if int(m) < month})
    if older:
        said = "、".join(f"{m}月" for m in older)
        return "", [f"{month}月份报告的进展情况写的是{said}的情况，未打印，请核对：{text}"]
    return harmonise(text, figures, book)


def project_heading(number: int, project: Project) -> str:
    title = project.title.removesuffix("工作")
    return f"{cn_number(number)}、关于{title}工作。"


def problems_points(
    projects: list[Project],
    month: int,
    funding,
    names: dict[int, str],
    book: FigureBook,
    due: datetime.date | None = None,
) -> list[str]:
    """The problems the data shows, numbered 一是/二是…: projects behind 序时进度, projects that did not
    report for the month (未报: late once the plan's `due` date has passed, else still to come), funding
    gaps."""
    points = []
    behind = [p for p in projects if p.light in LAGGING]
    if behind:
        expected = {book.rate(p.expected) for p in behind}
        schedule = f"序时进度为{expected.pop()}，" if len(expected) == 1 else ""
        listed = "、".join(
            f"{p.title}（完成{book.rate(p.completion)}"
            + ("" if schedule else f"，序时进度{book.rate(p.expected)}")
            + ("，红灯" if p.light == Light.RED else "")
            + "）"
            for p in behind
        )
        points.append(
            f"部分项目进度滞后。截至{month}月底，{schedule}{len(behind)}个项目未达到序时进度：{listed}。"
        )
    missing = [p for p in projects if not reported(p, month)]
    if missing:
        listed = "、".join(
            f"{p.title}（{p.lead_unit.name}"
            + (f"，最近报送{p.latest_month}月份" if p.latest_month else "，尚未报送")
            + "）"
            for p in missing
        )
        if due is None or timezone.localdate() > due:
            points.append(f"部分项目未按时报送进展。{len(missing)}个项目{month}月份未报：{listed}。")
        else:
            points.append(
                f"部分项目尚未报送进展（{due.month}月{due.day}日截止）。"
                f"{len(missing)}个项目{month}月份未报：{listed}。"
            )
    gaps = [g for g in (funding.gaps if funding else []) if g.project_id in names]
    if gaps:
        total = sum((g.gap for g in gaps), Decimal(0))
        listed = "、".join(
            f"{names[g.project_id]}（计划{money_text(g.planned)}，到位{money_text(g.arrived)}，"
            f"到位率{book.rate(g.arrival_rate)}）"
            for g in gaps
        )
        points.append(
            f"资金到位滞后。{len(gaps)}个项目资金到位低于序时进度，尚未到位资金合计{money_text(total)}：{listed}。"
        )
    return [f"{ordinal_point(i)}{text}" for i, text in enumerate(points, start=1)]


def problems_summary(points: list[str], month: int) -> str:
    if not points:
        return f"截至{month}月底，各项目均按时报送进展、达到序时进度。"
    return "\n".join(["同时也要看到，在重点民生事项推进过程中还存在一些问题和不足。主要是：", *points])


def generate(region, year: int, month: int, settings: BulletinSettings | None = None) -> BulletinDraft:
    """The bulletin of `region` for 1-`month` of `year`, generated from the data (nothing saved)."""
    if settings is None:
        settings = BulletinSettings.objects.filter(region=region).first() or BulletinSettings(
            region=region, office=f"{region.name}民生工作办公室", name=f"{region.name}民生工作简报"
        )
    plan = Plan.objects.filter(region=region, year=year).select_related("region", "filing_window").first()
    projects = load_projects(plan, month) if plan else []
    targets = load_targets(plan, month) if plan else {}
    funding = bulletin_figures(region, year, month, {p.pk: p.expected for p in projects})
    scope = region_scope(region)
    label = items_label(settings, plan)
    book = FigureBook()

    fields = {
        "name": settings.name,
        "office": settings.office,
        "title": f"{cumulative_label(month, '月份')}{scope}重点民生事项进展情况通报",
        "report_to": settings.report_to,
        "distribute_to": settings.distribute_to,
        "signer": settings.signer,
        "reviewer": settings.reviewer,
        "editor": settings.editor,
        "phone": settings.phone,
        "show_toc": len(projects) >= settings.toc_min_sections,
    }
    # 财政民生支出 and its growth are the fiscal office's figures for the whole region: the money spent on
    # the plan's projects (funding's `spent`) is another figure, so nothing is pre-filled from it.

    sections = [SectionDraft(SectionKind.INTRO, heading="总体情况", body=settings.intro_text)]
    for number, project in enumerate(projects, start=1):
        project_targets = targets.get(project.pk, [])
        summary = project_summary(project, project_targets, month, book)
        own = [project.investment_rate, project.completion, *(t.completion for t in project_targets)]
        body, notes = narrative_of(project, month, own, book)
        sections.append(
            SectionDraft(
                SectionKind.PROJECT,
                heading=project_heading(number, project),
                summary=summary,
                body=body,
                project_id=project.pk,
                notes=notes,
            )
        )
    names = {p.pk: p.title for p in projects}
    due = periods.due_date(plan, Period(year, month)) if plan else None
    points = problems_points(projects, month, funding, names, book, due)
    sections.append(
        SectionDraft(
            SectionKind.PROBLEMS,
            heading="存在的问题和不足",
            summary=problems_summary(points, month),
            body=settings.problems_text,
        )
    )
    sections.append(SectionDraft(SectionKind.NEXT_STEPS, heading="下一步工作", body=settings.next_steps_text))

    completed = sum((p.latest_investment or 0 for p in projects), Decimal(0))
    planned = sum((p.planned_investment or 0 for p in projects), Decimal(0))
    investment_rate = _rate(completed, planned)
    lights = {light.value: 0 for light in Light}
    for p in projects:
        lights[p.light] += 1
    figures = {
        "month": month,
        "items_label": label,
        "scope": scope,
        "investment_completed": str(completed),
        "investment_planned": str(planned),
        "investment_rate": _number(investment_rate),
        "investment_rate_text": book.rate(investment_rate),
        "lights": lights,
        "unreported": sum(not reported(p, month) for p in projects),
        "projects": [
            {
                "id": p.pk,
                "title": p.title,
                "light": p.light,
                "completion": _number(p.completion),
                "completion_text": book.rate(p.completion),
                "expected": _number(p.expected),
                "expected_text": book.rate(p.expected),
                "reported": reported(p, month),
                "latest_month": p.latest_month,
            }
            for p in projects
        ],
    }
    return BulletinDraft(fields=fields, figures=figures, sections=sections)


def overall_sentences(bulletin) -> list[str]:
    """The overall figures, from the bulletin's editable period figures and its generated snapshot:
    "1-9月份，全市各级财政民生支出351.6亿元、增长15.4%，占全市财政支出的80%。十件民生大事完成投资187.4亿元，
    占年度计划的66.3%。" """
    figures = bulletin.figures or {}
    scope = figures.get("scope", "")
    sentences = []
    if bulletin.livelihood_spending is not None:
        text = f"{bulletin.period_label}，{scope}各级财政民生支出{money_text(bulletin.livelihood_spending)}"
        if bulletin.spending_growth is not None:
            verb = "增长" if bulletin.spending_growth >= 0 else "下降"
            text += f"、{verb}{rate_text(abs(bulletin.spending_growth))}"
        if bulletin.fiscal_share is not None:
            text += f"，占{scope}财政支出的{rate_text(bulletin.fiscal_share)}"
        sentences.append(text + "。")
    if figures.get("investment_planned") and Decimal(figures["investment_planned"]):
        prefix = "" if sentences else f"{bulletin.period_label}，"
        rate = figures.get("investment_rate_text") or rate_text(figures["investment_rate"])
        unreported = figures.get("unreported")
        carried = f"（{unreported}个项目{bulletin.month}月份未报，按最近一次报送数计）" if unreported else ""
        sentences.append(
            f"{prefix}{figures['items_label']}完成投资{money_text(Decimal(figures['investment_completed']))}"
            f"{carried}，占年度计划的{rate}。"
        )
    lights = figures.get("lights")
    if lights and sum(lights.values()):
        green, yellow, red = lights["green"], lights["yellow"], lights["red"]
        if green + yellow + red:
            sentences.append(
                f"对照序时进度，{green + yellow + red}个项目中{green}个达到或超过序时进度，"
                f"{yellow + red}个滞后（黄灯{yellow}个、红灯{red}个）。"
            )
    sentences.append("具体情况如下：")
    return sentences
