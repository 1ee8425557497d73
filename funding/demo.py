"""Demo funding from the seeds, attached to the demo projects of projects/demo.

- 临沂市 2016 扶贫开发攻坚 (seed 001): "各级共安排财政专项扶贫资金7.79亿元 ... 争取中央资金0.91亿元 ... 省级
  3.17亿元；市级1.75亿元；县级配套投入资金1.96亿元" is the planned split. Arrivals, disbursements and spending
  are demo figures chosen to match the bulletin's story: 中央、省、市 money in full, county matching short
  (1.2亿 of 1.96亿: "有些县区资金配套能力比较弱，在省市资金已经到位的情况下不能及时足额配套跟进"), and 5.5亿
  spent, the investment completed reported for Jan-Sep. The county's matching duty (due 2016-06-30, chosen)
  is therefore flagged by checks.matching_overdue.
- 临沂市 2016 城市小区物业管理 (seed 001): "3541万元的省级奖补资金和1500万元的市级奖补资金已分配及时到位".
- 临沂市 2016 棚户区改造 (seed 001): "吸引社会资金18亿元" (社会资本).
- 庐阳区 2017 公共卫生服务及妇幼健康、计生特扶 (seed 004's project) with seed 003's 计生奖(特)扶 figures:
  "所需奖(特)扶资金75.04万元，其中中央及省财政27.57万元、市9.95万元，我区配套37.52万元。5月底省市资金到账
  20.91万元，我区37.52万元已到位。目前中央资金16.57万元尚未到账" (so 中央16.57万 and 省11.00万 planned; the
  split of the 20.91万 between 省 and 市 is chosen), and seed 004's "区级配套资金6月中旬前全部配套到位" as the
  matching duty.

Dates and the split of combined figures are demo choices; no document numbers are invented. Entries are
written with their FundingSource totals kept equal to them (checks.reconcile finds nothing).
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from projects.models import Project

from .choices import TOTAL_FIELD, EntryKind
from .models import Entry, FundingSource, MatchingObligation

SEEDED_MODELS = [FundingSource, Entry, MatchingObligation]

WAN = Decimal("10000")
YI = Decimal("100000000")
A, D, S = EntryKind.ARRIVAL, EntryKind.DISBURSEMENT, EntryKind.SPENDING
NOTE = "演示数据：金额见种子文件，日期为演示。"


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# (region code, year, project title): planned split, entries (kind, level, amount, date, purpose/note),
# matching duties (level, amount, due date, basis).
FUNDING: list[dict[str, Any]] = [
    {
        "project": ("371300", 2016, "扶贫开发攻坚"),
        "planned": {"central": Decimal("0.91") * YI, "province": Decimal("3.17") * YI,
                    "city": Decimal("1.75") * YI, "county": Decimal("1.96") * YI},
        "entries": [
            (A, "central", Decimal("0.91") * YI, "2016-03-15", ""),
            (A, "province", Decimal("3.17") * YI, "2016-04-20", ""),
            (A, "city", Decimal("1.75") * YI, "2016-05-10", ""),
            (A, "county", Decimal("1.2") * YI, "2016-08-31", ""),
            (D, "central", Decimal("0.91") * YI, "2016-03-31", ""),
            (D, "province", Decimal("3.17") * YI, "2016-05-15", ""),
            (D, "city", Decimal("1.5") * YI, "2016-06-10", ""),
            (D, "county", Decimal("0.42") * YI, "2016-09-10", ""),
            (S, "central", Decimal("0.91") * YI, "2016-06-30", "产业扶贫、易地搬迁"),
            (S, "province", Decimal("3.17") * YI, "2016-08-31", "产业扶贫、易地搬迁"),
            (S, "city", Decimal("1.2") * YI, "2016-09-20", "电商扶贫、金融扶贫贴息"),
            (S, "county", Decimal("0.22") * YI, "2016-09-25", "孝善扶贫"),
        ],
        "matching": [("county", Decimal("1.96") * YI, "2016-06-30", "县级配套1.96亿元（期限为演示）")],
    },
    {
        "project": ("371300", 2016, "城市小区物业管理"),
        "planned": {"province": 3541 * WAN, "city": 1500 * WAN},
        "entries": [
            (A, "province", 3541 * WAN, "2016-05-20", "省级奖补资金"),
            (A, "city", 1500 * WAN, "2016-05-20", "市级奖补资金"),
            (D, "province", 3541 * WAN, "2016-06-15", "老旧小区整治改造奖补"),
            (D, "city", 1500 * WAN, "2016-06-15", "老旧小区整治改造奖补"),
        ],
        "matching": [],
    },
    {
        "project": ("371300", 2016, "棚户区改造"),
        "planned": {"social": 18 * YI},
        "entries": [(A, "social", 18 * YI, "2016-09-30", "吸引社会资金18亿元")],
        "matching": [],
    },
    {
        "project": ("340103", 2017, "公共卫生服务及妇幼健康、计生特扶"),
        "planned": {"central": Decimal("16.57") * WAN, "province": Decimal("11.00") * WAN,
                    "city": Decimal("9.95") * WAN, "county": Decimal("37.52") * WAN},
        "entries": [
            (A, "province", Decimal("11.00") * WAN, "2017-05-31", "省市资金到账20.91万元（分项为演示）"),
            (A, "city", Decimal("9.91") * WAN, "2017-05-31", "省市资金到账20.91万元（分项为演示）"),
            (A, "county", Decimal("37.52") * WAN, "2017-05-31", "区级配套已到位"),
        ],
        "matching": [("county", Decimal("37.52") * WAN, "2017-06-15", "区级配套资金6月中旬前全部配套到位")],
    },
]  # fmt: skip


def load(loader) -> None:
    """Write the funding above through loader.upsert (idempotent: a second run writes nothing)."""
    for item in FUNDING:
        code, year, title = item["project"]
        project = Project.objects.get(plan__region__code=code, plan__year=year, title=title)
        totals: defaultdict[str, defaultdict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for kind, level, amount, date, text in item["entries"]:
            details = {"purpose": text} if kind == S else {"note": text or NOTE}
            if kind == D:
                details["recipient_unit"] = project.lead_unit
            loader.upsert(
                Entry,
                {"project": project, "kind": kind, "level": level, "date": day(date)},
                amount=amount,
                **details,
            )
            totals[level][TOTAL_FIELD[kind]] += amount
        for level in set(item["planned"]) | set(totals):
            loader.upsert(
                FundingSource,
                {"project": project, "level": level},
                planned=item["planned"].get(level, Decimal("0")),
                **{name: totals[level][name] for name in ("arrived", "disbursed", "spent")},
            )
        for level, amount, due, basis in item["matching"]:
            loader.upsert(
                MatchingObligation,
                {"project": project, "level": level, "due_date": day(due)},
                amount=amount,
                basis=basis,
            )


# The demo year (projects/demo/current_year.py): planned by level, then money moving through the year, by
# fraction of the months passed. Per project (city sequence or 兰山区 code): planned {level: amount} and
# (kind, level, amount, which third of the months passed: 1, 2 or 3, day of month, purpose/note).
CURRENT = [
    (7, {"central": Decimal("0.91") * YI, "province": Decimal("3.17") * YI,
         "city": Decimal("1.75") * YI, "county": Decimal("1.96") * YI}, [
        (A, "central", Decimal("0.91") * YI, 1, 10, "中央财政专项扶贫资金"),
        (A, "province", Decimal("1.9") * YI, 1, 20, "省级财政专项扶贫资金（第一批）"),
        (D, "central", Decimal("0.91") * YI, 1, 25, ""),
        (A, "city", Decimal("0.9") * YI, 2, 12, "市级财政专项扶贫资金"),
        (D, "province", Decimal("1.5") * YI, 2, 18, ""),
        (S, "central", Decimal("0.7") * YI, 2, 26, "产业扶贫项目"),
        (A, "county", Decimal("0.6") * YI, 3, 8, "县级配套（部分）"),
        (D, "city", Decimal("0.6") * YI, 3, 16, ""),
        (S, "province", Decimal("0.8") * YI, 3, 24, "易地扶贫搬迁"),
    ]),
    (1, {"province": Decimal("0.4") * YI, "city": Decimal("0.8") * YI}, [
        (A, "city", Decimal("0.8") * YI, 1, 15, "市级就业补助资金"),
        (D, "city", Decimal("0.56") * YI, 2, 10, ""),
        (A, "province", Decimal("0.2") * YI, 2, 20, "省级就业补助资金（第一批）"),
        (S, "city", Decimal("0.4") * YI, 3, 12, "职业技能培训补贴、创业担保贷款贴息"),
    ]),
    (5, {"city": 20 * YI, "social": 30 * YI}, [
        (A, "city", 8 * YI, 2, 5, "市级棚改专项资金"),
        (D, "city", 6 * YI, 3, 10, ""),
        (A, "social", 12 * YI, 3, 20, "棚改项目社会资本投入"),
    ]),
    ("L03", {"city": Decimal("0.8") * YI, "county": Decimal("1.2") * YI}, [
        (A, "city", Decimal("0.8") * YI, 1, 18, "市级棚改补助"),
        (A, "county", Decimal("0.7") * YI, 2, 15, "区级配套"),
        (D, "city", Decimal("0.8") * YI, 2, 22, ""),
        (S, "city", Decimal("0.5") * YI, 3, 14, "安置房建设工程款"),
    ]),
]  # fmt: skip


def load_current(loader, current) -> None:
    """Funding of the demo year through funding.services; a project with any funding already is kept."""
    from . import services

    for key, planned, entries in CURRENT:
        project = current.projects[key] if isinstance(key, int) else current.lanshan_projects[key]
        if (
            FundingSource.objects.filter(project=project).exists()
            or Entry.objects.filter(project=project).exists()
        ):
            loader.keep(FundingSource)
            continue
        actor = loader.users["lanshan" if isinstance(key, str) else "minshengban"]
        services.plan_funding(project, planned, actor=actor, approval_document="")
        loader.result.created[FundingSource] += len(planned)
        date = datetime.date(current.year, 1, 1)
        for kind, level, amount, third, day_of_month, text in entries:
            month = max(1, current.last * third // 3)
            # In date order, whatever how few months have passed (money is passed on after it came in).
            date = max(date, min(datetime.date(current.year, month, day_of_month), current.today))
            if kind == A:
                services.record_arrival(
                    project, level=level, amount=amount, date=date, actor=actor, note=text
                )
            elif kind == D:
                services.record_disbursement(
                    project,
                    level=level,
                    amount=amount,
                    date=date,
                    recipient_unit=project.lead_unit,
                    actor=actor,
                )
            else:
                services.record_spending(
                    project, level=level, amount=amount, date=date, purpose=text, actor=actor
                )
            loader.result.created[Entry] += 1
    # 扶贫开发攻坚: the counties' matching money (1.96亿) is due later this year; 0.6亿 has come in so far.
    project = current.projects[7]
    last_day = datetime.date(current.today.year, 12, 31)
    if not MatchingObligation.objects.filter(project=project).exists():
        loader.upsert(
            MatchingObligation,
            {
                "project": project,
                "level": "county",
                "due_date": min(current.today + datetime.timedelta(days=45), last_day),
            },
            amount=Decimal("1.96") * YI,
            basis="县级配套资金须在期限前全部到位（演示数据）",
        )
    else:
        loader.keep(MatchingObligation)
