"""The demo's living year: 临沂市's plan for the year being filed, so that every role opens on something real.

Seed 001's ten items (projects/demo/linyi_2016.py: titles, lead and cooperating units, targets and planned
investment as in 2016) are planned again for the year of `today`'s filing period (the current year; in
January, last year, whose December report is being filed), with 兰山区's share of four of them (and one
district item) so that the `lanshan` user sees its own region. Everything dated derives from the loader's
`today`:

- monthly reports from January to last month, through projects.services (save, submit, accept or return),
  then dated as if filed on time or after the due day of the plan's filing window; values rise month by
  month at a pace per project, so lights come out mostly green, two yellow, and red for 生态宜居环境整治
  (far behind) and 棚户区改造 (a milestone overdue). Last month: 市人社局 (`tianbao`) has not filed yet, two
  reports await review, two were returned with a reason;
- then each app adds its part (funding, proposals, voting, publicity, supervision, bulletins: the
  `load_current(loader, year)` functions of their demo.py), in an order where the daily scan comes after
  the data it scans.

A second run creates only what is missing. Run on a later day, it files the months that have passed since
(by the same rules, never below a value already reported) and leaves every existing row as it is.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from org import access
from org.choices import UnitKind
from org.models import Unit
from projects import periods, services
from projects.choices import ChangeType, ProjectLevel, ProjectStatus
from projects.models import Milestone, Plan, ProgressReport, ProgressValue, Project, Target
from projects.periods import Period, cumulative_label

from . import linyi_2016
from .org import LINYI

LANSHAN = "371302"

# Per city item (by sequence): pace (completion / 序时进度) and what happened to last month's report.
# None: not filed yet; "submitted": awaiting review; "returned": sent back with a reason.
CITY = {
    1: (Decimal("1.00"), None),  # 市人社局 (tianbao) still has to file last month
    2: (Decimal("1.04"), "submitted"),
    3: (Decimal("0.97"), "accepted"),
    4: (Decimal("1.05"), "accepted"),
    5: (Decimal("0.98"), "accepted"),  # and a milestone overdue: red
    6: (Decimal("1.10"), "accepted"),
    7: (Decimal("1.03"), "accepted"),
    8: (Decimal("0.55"), "returned"),  # far behind: red
    9: (Decimal("1.02"), "accepted"),
    10: (Decimal("1.04"), "submitted"),
}
# Months filed after the due day, as a rule on (sequence, month).
CITY_LATE = {
    4: lambda m: m % 4 == 2,
    5: lambda m: m % 3 == 0,
    8: lambda m: m % 2 == 0,
    10: lambda m: m % 5 == 0,
}
RETURN_REASONS = {
    "生态宜居环境整治": "农村改厕累计户数与县区台账不一致，请核实后重新报送，并补充滞后原因和整改措施。",
    "解决学校“大班额”问题和“全面改薄”": "新增学位数未附开工、竣工证明材料，请补充后重新报送。",
}

# 兰山区 bureaus (the seeds name none; the names follow the district's portfolios).
LANSHAN_UNITS = [
    ("临沂市兰山区人力资源和社会保障局", "兰山区人社局"),
    ("临沂市兰山区教育和体育局", "兰山区教体局"),
    ("临沂市兰山区住房和城乡建设局", "兰山区住建局"),
]
# 兰山区's share of city items (parent sequence) and one district item:
# (code, parent sequence or None, title, lead, category, [(target, measure, annual)], pace, last month).
LANSHAN_PROJECTS = [
    ("L01", 1, "加强和改进就业创业服务", "兰山区人社局", None,
     [("新增城镇就业", "人", 12000), ("职业技能新培", "人", 9000)], Decimal("1.05"), "accepted"),
    ("L02", 2, "解决学校“大班额”问题和“全面改薄”", "兰山区教体局", None,
     [("新建改扩建中小学", "所", 6), ("新增学位", "个", 5400)], Decimal("0.98"), "returned"),
    ("L03", 5, "棚户区改造", "兰山区住建局", None,
     [("开工建设棚改安置房", "套", 8000)], Decimal("0.60"), "accepted"),
    ("L04", None, "背街小巷整治提升", "兰山区政府", "services",
     [("整治背街小巷", "条", 60), ("新增停车泊位", "个", 1200)], Decimal("1.02"), None),
]  # fmt: skip
LANSHAN_LATE = {"L03": lambda m: m % 2 == 1}


@dataclass
class Year:
    """What the apps' current-year parts share: the year, its last filed month and the demo's plans."""

    today: datetime.date
    year: int
    last: int  # the month being filed now (last month)
    plan: Plan
    lanshan_plan: Plan
    projects: dict[int, Project] = field(default_factory=dict)  # city items by sequence
    lanshan_projects: dict[str, Project] = field(default_factory=dict)

    @property
    def all_projects(self) -> list[Project]:
        return [*self.projects.values(), *self.lanshan_projects.values()]


def demo_period(today: datetime.date) -> tuple[int, int]:
    """(year, month) whose report is being filed on `today`: the demo plans that year."""
    filed = Period.filed_on(today)
    return filed.year, filed.month


def at(day: datetime.date, hour: int, *, now: datetime.datetime) -> datetime.datetime:
    """A moment on `day`, never later than `now` (a demo row is never dated in the future)."""
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), now)


def load(loader) -> "Year":
    """Write the year of `loader.today` and let each app add its part."""
    from bulletins import demo as bulletins_demo
    from filing import demo as filing_demo
    from funding import demo as funding_demo
    from proposals import demo as proposals_demo
    from publicity import demo as publicity_demo
    from supervision import demo as supervision_demo
    from voting import demo as voting_demo

    year, last = demo_period(loader.today)
    current = Year(
        today=loader.today,
        year=year,
        last=last,
        plan=_plan(loader, LINYI, f"{year}年临沂市十件民生大事", CITY_DESCRIPTION.format(year=year)),
        lanshan_plan=_plan(loader, LANSHAN, f"{year}年兰山区民生实事", LANSHAN_DESCRIPTION.format(year=year)),
    )
    _city_projects(loader, current)
    _lanshan_projects(loader, current)
    filing_demo.load_current(loader, current)
    _reports(loader, current)
    funding_demo.load_current(loader, current)
    proposals_demo.load_current(loader, current)
    voting_demo.load_current(loader, current)
    publicity_demo.load_current(loader, current)
    supervision_demo.load_current(loader, current)
    bulletins_demo.load_current(loader, current)
    return current


CITY_DESCRIPTION = (
    "{year}年十件民生大事沿用2016年的事项和年度目标（演示数据：名称、牵头单位、指标取自《临沂民生工作简报》"
    "第16期），进展按月填报至上月，用于演示填报、审核、预警、督办和简报。"
)
LANSHAN_DESCRIPTION = (
    "兰山区承担的市级民生大事分解任务和区定民生实事（演示数据），{year}年按月填报，由兰山区民生办审核。"
)


def _plan(loader, region_code: str, name: str, description: str) -> Plan:
    return loader.upsert(
        Plan,
        {"region": loader.regions[region_code], "year": demo_period(loader.today)[0]},
        name=name,
        description=description,
    )


def _city_projects(loader, current: Year) -> None:
    counties = [loader.unit(*ref) for ref in linyi_2016_counties()]
    for seq, item in enumerate(linyi_2016.PROJECTS, start=1):
        cooperating = []
        for ref in item["cooperating"]:
            if ref == linyi_2016.COUNTY_GOVERNMENTS:
                cooperating.extend(counties)
            else:
                cooperating.append(loader.unit(LINYI, ref))
        project = loader.project(
            current.plan,
            f"{current.year}-{seq:02d}",
            cooperating=cooperating,
            sequence=seq,
            level=ProjectLevel.CITY,
            change_type=ChangeType.CONTINUED,
            category=item["category"],
            title=item["title"],
            content=item["content"],
            lead_unit=loader.unit(LINYI, item["lead"]),
            planned_investment=item["planned_investment"],
            deadline=datetime.date(current.year, 12, 31),
            status=ProjectStatus.IN_PROGRESS,
        )
        for t_seq, (name, measure, annual, _value, unit_ref, _note) in enumerate(item["targets"], start=1):
            loader.upsert(
                Target,
                {"project": project, "name": name},
                sequence=t_seq,
                measure=measure,
                annual_target=annual,
                authoritative_unit=loader.unit(LINYI, unit_ref) if unit_ref else None,
                note="年度目标沿用2016年（演示数据）。",
            )
        current.projects[seq] = project
    # 棚户区改造: a milestone already due and not reached (red); 大班额: one reached on time.
    behind = Period(current.year, max(1, current.last - 2)).last_day
    loader.upsert(
        Milestone,
        {"project": current.projects[5], "name": "棚改安置房开工建设过半"},
        sequence=1,
        planned_date=behind,
    )
    loader.upsert(
        Milestone,
        {"project": current.projects[2], "name": "新建改扩建学校全部开工"},
        sequence=1,
        planned_date=behind,
        actual_date=behind - datetime.timedelta(days=6),
    )


def linyi_2016_counties() -> list[tuple[str, str]]:
    from .org import LINYI_COUNTY_GOVERNMENTS

    return LINYI_COUNTY_GOVERNMENTS


def _lanshan_projects(loader, current: Year) -> None:
    region = loader.regions[LANSHAN]
    for name, short_name in LANSHAN_UNITS:
        unit = loader.upsert(
            Unit,
            {"region": region, "name": name},
            short_name=short_name,
            kind=UnitKind.DEPARTMENT,
        )
        loader.units[(LANSHAN, short_name)] = unit
    for seq, (code, parent_seq, title, lead, category, targets, _pace, _last) in enumerate(
        LANSHAN_PROJECTS, start=1
    ):
        parent = current.projects[parent_seq] if parent_seq else None
        project = loader.project(
            current.lanshan_plan,
            f"{current.year}-{code}",
            sequence=seq,
            level=ProjectLevel.CITY if parent else ProjectLevel.COUNTY,
            parent_project=parent,
            change_type=ChangeType.CONTINUED if parent else ChangeType.NEW,
            category=parent.category if parent else category,
            title=title,
            content=(
                parent.content if parent else "整治背街小巷路面、照明和停车秩序，改善老城区居民出行环境。"
            ),
            lead_unit=loader.unit(LANSHAN, lead),
            deadline=datetime.date(current.year, 12, 31),
            status=ProjectStatus.IN_PROGRESS,
        )
        for t_seq, (name, measure, annual) in enumerate(targets, start=1):
            loader.upsert(
                Target,
                {"project": project, "name": name},
                sequence=t_seq,
                measure=measure,
                annual_target=annual,
                authoritative_unit=project.lead_unit,
                note="兰山区分解任务（演示数据）。" if parent else "区定民生实事（演示数据）。",
            )
        current.lanshan_projects[code] = project


# -- monthly reports ----------------------------------------------------------------------------------------


def _value(annual: Decimal, share: Decimal) -> Decimal:
    """The cumulative value at `share` of the annual target, rounded up as a unit would count it."""
    raw = annual * share
    if annual >= 100:
        return Decimal(math.ceil(raw))
    return Decimal(math.ceil(raw * 10)) / 10


def _reports(loader, current: Year) -> None:
    staff, lanshan = loader.users["minshengban"], loader.users["lanshan"]
    filers = {u.unit_id: u for u in loader.users.values() if access.is_filer(u) and u.unit_id}
    rows = [
        (p, *CITY[seq], CITY_LATE.get(seq), filers.get(p.lead_unit_id, staff), staff)
        for seq, p in current.projects.items()
    ]
    for code, project in current.lanshan_projects.items():
        row = next(r for r in LANSHAN_PROJECTS if r[0] == code)
        rows.append((project, row[6], row[7], LANSHAN_LATE.get(code), lanshan, lanshan))
    projects = [row[0] for row in rows]
    existing = set(ProgressReport.objects.filter(project__in=projects).values_list("project_id", "month"))
    loader.keep(ProgressReport, len(existing))
    now = timezone.now()
    for project, pace, last_state, late, filer, reviewer in rows:
        targets = list(Target.objects.filter(project=project).order_by("sequence"))
        for month in range(1, current.last + 1):
            if (project.pk, month) in existing:
                continue
            state = last_state if month == current.last else "accepted"
            if state is None:
                continue
            due = periods.due_date(current.plan, Period(current.year, month))
            is_late = bool(late and late(month)) and month < current.last
            if month == current.last and last_state == "submitted" and late is not None:
                is_late = True
            submitted = (
                at(due + datetime.timedelta(days=1 + project.sequence % 4), 16, now=now)
                if is_late
                else at(due - datetime.timedelta(days=1 + project.sequence % 3), 10, now=now)
            )
            _file(loader, project, month, targets, pace, state, filer, reviewer, submitted, now)


def _file(loader, project, month, targets, pace, state, filer, reviewer, submitted, now) -> None:
    """One month's report through the services, then dated when the unit filed it."""
    share = pace * Decimal(month) / 12
    earlier: dict[int, Decimal] = {}
    for target_id, value in ProgressValue.objects.filter(
        report__project=project, report__month__lt=month
    ).values_list("target_id", "value"):
        earlier[target_id] = max(value, earlier.get(target_id, value))
    values = {}
    for t in targets:
        bend = Decimal("0.03") * (t.sequence % 3 - 1)  # targets of one project move a little apart
        wanted = _value(t.annual_target, max(share + bend * Decimal(month) / 12, Decimal("0")))
        values[t.pk] = max(wanted, earlier.get(t.pk, Decimal("0")))
    invested = None
    if project.planned_investment:
        invested = (project.planned_investment * min(share, Decimal("1"))).quantize(Decimal("1"))
    report = services.save_report(
        project,
        month,
        actor=filer,
        values=values,
        investment_completed=invested,
        narrative=f"{cumulative_label(month, '月份')}，{project.title}按计划推进，"
        f"完成年度目标的{min(share, 1) * 100:.0f}%左右。",
        problems="" if pace >= 1 else "部分任务受要素保障和施工进度影响，进度略滞后。",
        next_steps="倒排工期、挂图作战，确保按时完成年度任务。",
    )
    services.submit_report(report, actor=filer)
    reviewed = min(submitted + datetime.timedelta(days=1, hours=5), now)
    if state == "accepted":
        services.accept_report(report, actor=reviewer)
    elif state == "returned":
        services.return_report(
            report, actor=reviewer, reason=RETURN_REASONS.get(project.title, "数据待核实。")
        )
    else:
        reviewed = None
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=submitted, reviewed_at=reviewed)
    loader.result.created[ProgressReport] += 1
    loader.result.created[ProgressValue] += len(values)
