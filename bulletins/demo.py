"""Demo bulletins: 临沂's bulletin settings and the draft of 第16期 (seed 001), ready to review and issue.

The seed's masthead, footer and prose go into 临沂's BulletinSettings; the numbering counters start at
第15期/总第56期 of 2016 so that issuing the demo draft on 2016-10-14 gives 第16期（总第57期）as printed.
How each target is worded (the phrase before its rate and the decimals printed) copies the seed, e.g.
"新增农村劳动力转移就业13.7万人、完成全年目标任务的91.33%". The fiscal figures of the opening (民生支出
351.6亿元、增长15.4%，占财政支出的80%) are the bulletin's editable period figures: no project data gives them.
"""

import datetime
from decimal import Decimal

from org.models import Region
from projects.models import Target

from . import services
from .choices import BulletinStatus
from .models import Bulletin, BulletinSettings, TargetWording

SEEDED_MODELS = [BulletinSettings, TargetWording, Bulletin]

LINYI = "371300"
YEAR, MONTH = 2016, 9
ISSUED_ON = datetime.date(2016, 10, 14)

SETTINGS = {
    "name": "临沂民生工作简报",
    "office": "临沂民生工作办公室",
    "intro_text": (
        "今年以来，各级各部门认真落实全市民生工作大会部署要求，立足解决群众最关心、最直接、最现实的民生问题，"
        "主动认领任务，积极承担责任，增投入、抓项目，优服务、强督导，一批惠民利民工程加快建设，一批热点难点问题"
        "加快解决，一批困难群众生产生活加快改善，人民群众得到更多实惠。目前，十件民生大事、35项民生实事按时间"
        "节点有序推进，部分事项提前完成全年任务，总体进展比较顺利。"
    ),
    "problems_text": (
        "在资金筹集方面，在争取上级资金特别是老区政策争取上还有很大空间和潜力；有些县区资金配套能力比较弱，"
        "在省市资金已经到位的情况下不能及时足额配套跟进；PPP模式在民生领域运用得还不充分。\n"
        "在推进条件方面，有些项目受制于拆迁进度，不能按期施工建设；有些工程类项目因手续办理条件多、周期长，"
        "影响了土地等要素供给。十件民生大事涉及范围广、牵扯单位多，有的牵头部门缺乏统筹协调调度，"
        "有些配合部门协作不够，致使部分民生项目推进不快。"
    ),
    "next_steps_text": (
        "下一步工作，各级各部门要按照市委、市政府部署要求，坚持问题导向和目标趋向，创新思路办法，强化推进措施，"
        "提升工作实效，确保每项重点民生事项干一件成一件，不折不扣兑现承诺。\n"
        "要紧扣节点加快进度，认真开展民生项目建设“回头看”活动，列出问题清单，找准问题症结，逐一明确责任，"
        "精准落实措施，倒排工期、挂图作战、加快推进。要科学施工保证质量，确保把每一项民生工程都建成民心工程、"
        "廉洁工程和阳光工程。要多方筹资提高效益，进一步优化财政支出结构，积极争取上级资金，广泛吸引社会资本。"
        "要加强管理注重长效，加快建立民生工程建管长效机制。要齐抓共管形成合力，建立完善民生工作联席会议制度。"
        "要强化督导严格考核，建立健全跟踪督办机制，推动重点民生事项顺利落实。"
    ),
    "report_to": (
        "市委常委、市人大常委会副主任、市政府副市长、市政府党组成员、市政协主席、市政协副主席，"
        "市委、市人大、市政府、市政协秘书长、办公室主任，市政府副秘书长、办公室副主任"
    ),
    "distribute_to": (
        "各县区委、政府，高新技术产业开发区、经济技术开发区、临港经济开发区党工委、管委会，"
        "市民生建设工作联席会议成员单位"
    ),
    "signer": "尹传斌",
    "reviewer": "杜以方",
    "editor": "盛丽",
    "phone": "8726095",
}
# Set only when the settings are first created: issuing moves them on, and a second seed run must not
# put them back.
COUNTERS = {"last_issue_year": 2016, "last_issue_number": 15, "last_total_number": 56}

# target name: (phrase before the rate, decimals printed, text once done), as seed 001 writes them.
WORDINGS = {
    "新增城镇就业": ("", None, "提前完成全年目标任务"),
    "新增农村劳动力转移就业": ("完成全年目标任务的", 2, ""),
    "创业培训": ("", 0, ""),
    "发放创业担保贷款": ("完成全年任务的", 0, ""),
    "重点医疗卫生设施建设投资": ("占年度投资计划的", None, ""),
    "开工建设棚改安置房": ("开工率达到", None, ""),
    "老旧小区启动改造": ("占年度计划的", 2, ""),
    "引进外地来临备案一流物业企业": ("完成年度计划的", None, ""),
    "农村道路硬化": ("占全年计划的", None, ""),
    "农村改厕": ("占全年计划的", None, ""),
    "新开工建设农村新型社区": ("", 0, ""),
    "农村新型社区“气上楼”": ("", 0, ""),
    "完成造林": ("", None, "提前超额完成全年任务"),
    "建设提升改造基层综合性文化服务中心": ("完成全年任务的", None, ""),
    "改造乡镇历史文化展示室": ("完成任务量的", None, ""),
}

PERIOD_FIGURES = {
    "livelihood_spending": Decimal("35160000000"),  # 全市各级财政民生支出351.6亿元
    "spending_growth": Decimal("0.154"),  # 增长15.4%
    "fiscal_share": Decimal("0.8"),  # 占全市财政支出的80%
    "issued_on": ISSUED_ON,
}


def load(loader) -> None:
    region = Region.objects.get(code=LINYI)
    values: dict[str, object] = dict(SETTINGS)
    if not BulletinSettings.objects.filter(region=region).exists():
        values.update(COUNTERS)
    loader.upsert(BulletinSettings, {"region": region}, **values)

    targets = {
        t.name: t
        for t in Target.objects.filter(
            project__plan__region=region, project__plan__year=YEAR, name__in=WORDINGS
        )
    }
    for name, (phrase, places, done_text) in WORDINGS.items():
        loader.upsert(
            TargetWording, {"target": targets[name]}, phrase=phrase, places=places, done_text=done_text
        )

    if not Bulletin.objects.filter(region=region, year=YEAR, month=MONTH).exists():
        # The period figures are set once, on the new draft; an existing bulletin is the editor's.
        loader.adopt(services.generate_bulletin(region, YEAR, MONTH))
        loader.upsert(
            Bulletin,
            {"region": region, "year": YEAR, "month": MONTH, "status": BulletinStatus.DRAFT},
            **PERIOD_FIGURES,
        )
    else:
        loader.keep(Bulletin)


def load_current(loader, current) -> None:
    """The demo year's bulletin for 1-last month, generated as a draft (bulletins.services) for staff to
    review; a bulletin of that month that exists (a draft edited, or issued) is kept."""
    region = Region.objects.get(code=LINYI)
    if Bulletin.objects.filter(region=region, year=current.year, month=current.last).exists():
        loader.keep(Bulletin)
        return
    loader.adopt(
        services.generate_bulletin(region, current.year, current.last, actor=loader.users["minshengban"])
    )
