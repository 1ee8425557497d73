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
FUNDING = [
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
        totals = defaultdict(lambda: defaultdict(Decimal))
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
