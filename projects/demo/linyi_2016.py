"""临沂市 2016: the ten big livelihood items (十件民生大事) with their Jan-Sep figures, from seed 001.

Seed 001 is 临沂民生工作简报 第16期（总第57期）of 2016-10-14, "1-9月份全市重点民生事项进展情况通报". It prints
completed amounts and "% of the annual task" but rarely the annual target itself, so most annual targets
here are derived: the smallest round figure whose value/target, rounded half-up to the places the seed
prints, gives the seed's percentage. Each derived target says so in its note; tests/test_seed_demo.py
checks every printed percentage against Target.objects.with_progress().

Percentages no target can reproduce (the seed's own arithmetic) keep the real counts:
- 老旧小区 "178个...已有43个启动改造，占年度计划的24.15%": 43/178 = 24.157%, i.e. 24.16% rounded; the
  seed truncated.
- 农村新型社区 "新开工建设...28个...完成年度任务的186%": no whole number of communities gives 186%
  (28/15 = 187%, 28/16 = 175%); the target is 15, the nearest.

Money is in yuan. Investment (十件民生大事完成投资187.4亿元，占年度计划的66.3%): the seed states completed
investment for items 1, 2, 3, 5 and 8 and the annual plan for items 2, 3 and 5 (and 7, see there); the rest
is chosen so that the ten items add up to exactly 187.4亿 completed and 282.6亿 planned:

    item  completed (亿)         planned (亿)
    1     0.8782530  seed        1.2        chosen
    2     30.2       seed        30.04      seed (20.5 + 9.54, from 86.8% and 130%)
    3     4.39       seed        6.27       seed (4.39 = 70%)
    4     15.831747  remainder   40         remainder
    5     120        seed        179.1      seed (120 = 67%)
    6     2.0        chosen      4.0        chosen
    7     5.5        chosen      7.79       seed (财政专项扶贫资金 arranged for the year)
    8     6.6        seed        11         chosen
    9     1.2        chosen      2.0        chosen
    10    0.8        chosen      1.2        chosen
    sum   187.4                  282.6
"""

from decimal import Decimal
from typing import Any

from projects.choices import Category

from .org import LINYI

WAN = Decimal("10000")
YI = Decimal("100000000")


def wan(amount: str) -> Decimal:
    return Decimal(amount) * WAN


def yi(amount: str) -> Decimal:
    return Decimal(amount) * YI


DERIVED = "年度目标为演示数据，由简报所列完成数与“{}”反推（简报未列年度目标）。"
CHOSEN = "年度目标为演示数据（简报只写“{}”）。"
STATED = "年度目标与完成数均见简报。"

PLAN: dict[str, Any] = {
    "region": LINYI,
    "year": 2016,
    "name": "2016年临沂市十件民生大事",
    # The seed is the 1-9月份 bulletin: the plan's figures are fixed at September.
    "reporting_month": 9,
    "description": (
        "十件民生大事、35项民生实事按时间节点有序推进。演示数据取自《临沂民生工作简报》第16期（总第57期），"
        "临沂民生工作办公室2016年10月14日印发：1-9月份全市各级财政民生支出351.6亿元、增长15.4%，"
        "占全市财政支出的80%；十件民生大事完成投资187.4亿元，占年度计划的66.3%。\n存在问题："
        "一是工作进展还不平衡；二是资金筹集渠道不够宽；三是瓶颈制约因素较多；四是统筹协调有待加强。"
    ),
}

# Reports of month 9 were accepted before the bulletin went out on 2016-10-14.
REPORT_MONTH = 9
SUBMITTED_AT = (2016, 10, 10, 9, 0)
REVIEWED_AT = (2016, 10, 12, 15, 0)

# Units: a short name is a unit of 临沂市; a (region code, short name) pair is a unit elsewhere.
COUNTY_GOVERNMENTS = "county_governments"  # all twelve county/district governments


def county(code: str, name: str) -> tuple[str, str]:
    return (code, f"{name}政府")


# Each target: (name, measure, annual target, cumulative value Jan-Sep, authoritative unit or None, note).
PROJECTS: list[dict[str, Any]] = [
    {
        "title": "加强和改进就业创业服务",
        "category": Category.EMPLOYMENT,
        "lead": "市人社局",
        "cooperating": ["市财政局"],
        "content": (
            "抓牢“市场、培训、服务”三个关键环节，落实就业创业政策，搭建服务平台、抓好技能培训、营造创业环境。"
        ),
        "planned_investment": yi("1.2"),  # chosen, see the module docstring
        "targets": [
            # Not in the seed: it says only 9.3万人 "提前完成全年目标任务"; 9万 is a target below that.
            ("新增城镇就业", "人", 90000, 93000, "市人社局", CHOSEN.format("提前完成全年目标任务")),
            (
                "新增农村劳动力转移就业",
                "人",
                150000,
                137000,
                "市人社局",
                DERIVED.format("完成全年目标任务的91.33%"),
            ),
            ("职业技能新培", "人", 80000, 71100, "市人社局", DERIVED.format("完成年度任务的88.9%")),
            ("创业培训", "人", 11000, 9700, "市人社局", DERIVED.format("完成年度任务的88%")),
            (
                "发放创业担保贷款",
                "元",
                yi("6.5"),
                yi("7.27"),
                "市人社局",
                DERIVED.format("完成全年任务的112%"),
            ),
        ],
        "investment_completed": wan("8782.53"),
        "narrative": (
            "各级用于支持就业创业的资金投入累计达到8782.53万元。1-9月份，全市新增城镇就业9.3万人、"
            "提前完成全年目标任务，城镇登记失业率为2.21%，控制在3.5%以内；新增农村劳动力转移就业13.7万人、"
            "完成全年目标任务的91.33%。“春风行动”以来举办各类招聘会210余场，提供就业岗位12.7万个，"
            "5.9万人成功实现就业；为1.1万名农村贫困人员提供就业精准帮扶，实现就业脱贫7266名。"
            "确定职业技能定点培训机构166所，组织各类职业技能新培7.1万人，完成年度任务的88.9%；"
            "创业培训9700多人，完成年度任务的88%。发放创业担保贷款7.27亿元、完成全年任务的112%，"
            "发放小微企业创业补贴25.8万元；扶持1100名大学生实现自主创业，高校毕业生总体就业率稳定在93%左右。"
        ),
    },
    {
        "title": "解决学校“大班额”问题和“全面改薄”",
        "category": Category.EDUCATION,
        "lead": "市教育局",
        "cooperating": ["市财政局", COUNTY_GOVERNMENTS],
        "content": (
            "解决中小学“大班额”问题；推进农村学校“全面改薄”；优化师资力量配置。各县区按照属地管理要求落实主体"
            "责任。"
        ),
        # The two works as two money targets; the plan is their sum (20.5亿 + 9.54亿).
        "planned_investment": yi("20.5") + yi("9.54"),
        "targets": [
            (
                "解决“大班额”问题完成投资",
                "元",
                yi("20.5"),
                yi("17.8"),
                "市教育局",
                DERIVED.format("占年度计划的86.8%"),
            ),
            (
                "“全面改薄”完成投资",
                "元",
                yi("9.54"),
                yi("12.4"),
                "市教育局",
                DERIVED.format("占年度计划的130%"),
            ),
        ],
        "investment_completed": yi("17.8") + yi("12.4"),
        "narrative": (
            "1-9月份，两项工作分别完成投资17.8亿元、12.4亿元，分别占年度计划的86.8%、130%，"
            "已消化30.2%的“大班额”、完成全面改薄总任务的74.8%。市财政安排1.4亿元专项资金对县区解决“大班额”"
            "问题进行奖补；新建、改扩建城镇学校68所、109万平方米，竣工学校37所、84.6万平方米，"
            "新增学位4.2万余个。“全面改薄”规划的262个项目全部开工、面积19.6万平方米，竣工216个、"
            "面积13.4万平方米。新考聘教师3239名，选派285名优秀教师和441名师范类高校毕业生到农村学校支教。"
        ),
    },
    {
        "title": "提高群众医疗服务质量",
        "category": Category.HEALTH,
        "lead": "市卫生计生委",
        "cooperating": ["市人社局"],
        "content": "深化医药卫生体制改革；优化医疗卫生资源布局；强化医疗卫生队伍建设；切实减轻群众医疗负担。",
        # 4.39亿 "占年度计划的70%": 4.39 / 6.27 = 70.02%.
        "planned_investment": yi("6.27"),
        "targets": [
            (
                "重点医疗卫生设施建设投资",
                "元",
                yi("11"),
                yi("5"),
                "市卫生计生委",
                DERIVED.format("占年度投资计划的45.5%"),
            ),
            ("新增医疗卫生机构投入使用", "处", 10, 1, "市卫生计生委", STATED),
            ("社区卫生服务机构投入使用", "处", 4, 3, "市卫生计生委", STATED),
            ("村卫生室完成建设", "个", 50, 46, "市卫生计生委", STATED),
        ],
        "investment_completed": yi("4.39"),
        "narrative": (
            "1-9月，各级用于支持医疗卫生事业发展的资金投入达4.39亿元，占年度计划的70%；"
            "人均基本公共卫生服务经费标准提高到45元。全市17家城市公立医院自7月1日起全部取消药品加成。"
            "投资5亿元用于重点医疗卫生设施建设，占年度投资计划的45.5%；计划新增的10处医疗卫生机构已有1处投入"
            "使用，4处社区卫生服务机构已有3处投入使用，50个村卫生室已有46个完成建设。引进高层次卫生人才74名，"
            "新培养全科医生140名。基本医疗保险支出54.5亿元；免费为19.2万名农村妇女提供“两癌”筛查。"
        ),
    },
    {
        "title": "解决城市交通拥堵",
        "category": Category.SERVICES,
        "lead": "市交通运输局",
        "cooperating": ["市公安局", "市住房城乡建设局"],
        "content": "优化公共交通增量；完善道路交通设施；整治城区交通秩序；倡导“低碳”出行。",
        "planned_investment": yi("40"),  # chosen (remainder), see the module docstring
        "targets": [
            (
                "新施划交通标线",
                "万平方米",
                30,
                Decimal("19.3"),
                "市公安局",
                DERIVED.format("完成年度任务的64.3%"),
            ),
            ("安装交通标志", "面", 2400, 2000, "市公安局", DERIVED.format("完成年度任务的83.3%")),
            ("安装交通护栏", "千米", 32, Decimal("21.5"), "市公安局", DERIVED.format("完成年度任务的67.2%")),
            ("更新电子监控系统", "套", 100, 100, "市公安局", DERIVED.format("完成年度任务的100%")),
            ("投放公共自行车", "辆", 20000, 20000, "市交通运输局", STATED),
        ],
        # Chosen (remainder of 187.4亿); includes the 3.46亿 the seed names for 500 new-energy buses.
        "investment_completed": Decimal("1583174700"),
        "narrative": (
            "投入3.46亿元新增500台新能源公交车，中心城区万人拥有公交车量达到12.5标台；新开通公交线路4条，"
            "加密优化公交线路62条。双岭高架路工程完成总量的42.2%，内环东线工程完成总进度的89%。"
            "新施划交通标线19.3万平方米、安装交通标志2000面、交通护栏21.5千米，更新电子监控系统100套，"
            "分别完成年度任务的64.3%、83.3%、67.2%和100%；整治交通秩序乱点10处，查处各类交通违法行为162万余起"
            "。新建绿道32.5公里，中心城区公共自行车系统建成使用，2万辆年度投放任务已完成。"
        ),
    },
    {
        "title": "棚户区改造",
        "category": Category.HOUSING,
        "lead": "市住房城乡建设局",
        "cooperating": ["市财政局", COUNTY_GOVERNMENTS],
        "content": "落实“市级统筹、县区主体”责任，完善推进机制，创新补偿方式，强化质量监管。",
        # 120亿 "占总投资的67%": 120 / 179.1 = 67.00%.
        "planned_investment": yi("179.1"),
        "targets": [
            ("开工建设棚改安置房", "套", 47000, 47000, "市住房城乡建设局", DERIVED.format("开工率100%")),
        ],
        "investment_completed": yi("120"),
        "narrative": (
            "所有计划项目均按时间要求开工建设。1-9月份，全市棚户区改造共完成投资120亿元，占总投资的67%。"
            "其中，争取中央、省专项补助资金13.5亿元，财政完成投资86亿元，吸引社会资金18亿元。"
            "完成拆迁475万平方米，开工建设安置房4.7万套，开工率和货币化安置率分别达到100%、64.3%；"
            "其中中心城区开工3.2万套，九县开工1.5万套。"
        ),
    },
    {
        "title": "城市小区物业管理",
        "category": Category.HOUSING,
        "lead": "市住房城乡建设局",
        "cooperating": [],
        "content": (
            "突出“老旧小区改造、理顺管理体制、提升物业服务水平”三个重点：整治改造老旧小区；规范物业服务；"
            "实行物业动态化监管。"
        ),
        "planned_investment": yi("4"),  # chosen, see the module docstring
        "targets": [
            # The seed prints 24.15%; 43/178 is 24.157%, 24.16% rounded. Real counts kept.
            (
                "老旧小区启动改造",
                "个",
                178,
                43,
                "市住房城乡建设局",
                "年度目标与完成数均见简报（简报“24.15%”为截尾，四舍五入为24.16%）。",
            ),
            (
                "引进外地来临备案一流物业企业",
                "家",
                10,
                11,
                "市住房城乡建设局",
                DERIVED.format("完成年度计划的110%"),
            ),
            ("老旧小区整治试点项目完工", "个", 6, 5, "市住房城乡建设局", STATED),
        ],
        "investment_completed": yi("2"),  # chosen; includes 3541万 province and 1500万 city grants
        "narrative": (
            "出台《临沂市老旧小区综合整治改造实施方案》，3541万元的省级奖补资金和1500万元的市级奖补资金已分配"
            "及时到位。全市6个试点项目已有5个完工。年度计划改造的178个老旧小区已有43个启动改造，"
            "占年度计划的24.15%，10月17日前开工率达到70%以上。城区住宅小区物业管理覆盖率已达到70%。"
            "引进外地来临备案一流物业企业11家，完成年度计划的110%；评选物业管理示范项目52个。"
        ),
    },
    {
        "title": "扶贫开发攻坚",
        "category": Category.POVERTY,
        "lead": "市扶贫办",
        "cooperating": ["市财政局"],
        "content": (
            "完善工作推进体系；加大扶贫资金投入；创新精准扶贫办法（搬迁、产业、电商、金融、孝善、党建扶贫）。"
        ),
        # 各级共安排财政专项扶贫资金7.79亿元 (seed), taken as the year's plan.
        "planned_investment": yi("7.79"),
        # No annual targets: the seed gives 21.2万人 达到脱贫标准 but no target for the year.
        "targets": [],
        "investment_completed": yi("5.5"),  # chosen, see the module docstring
        "narrative": (
            "截至目前，全市达到脱贫标准的约有21.2万人。建档立卡数据清洗核对后，全市有贫困户25.5万户、"
            "贫困人口44.2万人。各级共安排财政专项扶贫资金7.79亿元，较去年增长260%。“一点两区”"
            "搬迁贫困群众1799人，3659名贫困群众实现脱贫；2.3万贫困户进入产业扶贫链条；"
            "建成村级电商服务点330个；发放扶贫贷款12.3亿元，受益贫困群众29451户。"
        ),
    },
    {
        "title": "生态宜居环境整治",
        "category": Category.ECOLOGY,
        "lead": "市环保局",
        "cooperating": [
            "市住房城乡建设局",
            "市水利局",
            "市林业局",
            "市公安局",
            # The four counties building waste incineration plants.
            county("371322", "郯城县"),
            county("371327", "莒南县"),
            county("371324", "兰陵县"),
            county("371321", "沂南县"),
        ],
        "content": "突出“空气质量提升、水环境整治、城乡环境综合治理”三个重点，完善长效管理机制。",
        "planned_investment": yi("11"),  # chosen, see the module docstring
        "targets": [
            (
                "农村道路硬化",
                "万平方米",
                Decimal("305.3"),
                Decimal("281.5"),
                "市住房城乡建设局",
                DERIVED.format("占全年计划的92.2%"),
            ),
            ("农村改厕", "户", 29050, 29202, "市住房城乡建设局", DERIVED.format("占全年计划的100.5%")),
            # The seed prints 186%; no whole number of communities gives it (28/15 = 187%). Real count kept.
            (
                "新开工建设农村新型社区",
                "个",
                15,
                28,
                "市住房城乡建设局",
                "年度目标为演示数据：简报写“186%”，无整数目标能得出，取最接近的15个（187%）。",
            ),
            ("农村新型社区实现入驻", "个", 54, 49, "市住房城乡建设局", DERIVED.format("完成年度任务的90.7%")),
            ("农村新型社区“气上楼”", "个", 37, 41, "市住房城乡建设局", DERIVED.format("完成年度任务的111%")),
            ("农村新型社区“暖入户”", "个", 24, 30, "市住房城乡建设局", DERIVED.format("完成年度任务的125%")),
            ("重点整治农村汪塘", "座", 170, 154, "市水利局", STATED),
            # Not in the seed: it says only 24万亩 "提前超额完成全年任务"; 20万亩 is a target below that.
            ("完成造林", "万亩", 20, 24, "市林业局", CHOSEN.format("提前超额完成全年任务")),
        ],
        "investment_completed": yi("6.6"),
        "narrative": (
            "1-9月份，全市共完成投资6.6亿元。对78台燃煤发电机组实施超低排放改造，已完成36台；二氧化硫、"
            "二氧化氮、PM2.5、PM10同比分别下降14.7%、9.1%、4.5%和5.3%，空气质量优良天数156天、同比增加18天。"
            "完成造林24万亩，提前超额完成全年任务。中心城区水环境整治总投资9.8亿元，涉及重点工程9项。郯城县、"
            "莒南县、兰陵县垃圾焚烧厂分别完成总量的85%、75%和45%。完成农村道路硬化281.5万平方米，"
            "占全年计划的92.2%；完成农村改厕29202户，占全年计划的100.5%。新开工建设农村新型社区28个，"
            "实现入驻社区49个、“气上楼”41个、“暖入户”30个，分别完成年度任务的186%、90.7%、111%和125%。"
            "170座重点整治的农村汪塘已完成治理154座，占90.6%。"
        ),
    },
    {
        "title": "文化惠民",
        "category": Category.CULTURE,
        "lead": "市文广新局",
        "cooperating": [],
        "content": "建好用好文化阵地；丰富群众文化活动；推进文化下乡（“一村一年一场戏”“一村一月一场电影”）。",
        "planned_investment": yi("2"),  # chosen, see the module docstring
        "targets": [
            (
                "建设提升改造基层综合性文化服务中心",
                "个",
                100,
                73,
                "市文广新局",
                DERIVED.format("完成全年任务的73%"),
            ),
            ("改造乡镇历史文化展示室", "个", 50, 33, "市文广新局", DERIVED.format("完成任务量的66%")),
            (
                "“一村一年一场戏”送戏下乡",
                "场",
                4800,
                5090,
                "市文广新局",
                DERIVED.format("完成年度任务的106%"),
            ),
            (
                "“一村一月一场电影”送电影下乡",
                "场",
                48000,
                52760,
                "市文广新局",
                DERIVED.format("完成年度任务的109.9%"),
            ),
        ],
        "investment_completed": yi("1.2"),  # chosen, see the module docstring
        "narrative": (
            "市县13个文化馆全部达到国家二级以上标准。建设提升改造基层综合性文化服务中心73个，"
            "完成全年任务的73%；改造完成乡镇历史文化展示室33个，完成任务量的66%；行政村应急广播覆盖率达54%，"
            "提前完成全年目标任务。组织大型群众性文化活动近360场次。“一村一年一场戏”工程送戏下乡5090余场，"
            "完成年度任务的106%；“一村一月一场电影”工程送电影下乡52760场，完成年度任务的109.9%。"
        ),
    },
    {
        "title": "食品药品安全",
        "category": Category.SAFETY,
        "lead": "市食品药品监管局",
        "cooperating": ["市农业局"],
        "content": "建设农产品质量安全放心市；健全食品药品监管体系，覆盖生产、流通、消费各环节。",
        "planned_investment": yi("1.2"),  # chosen, see the module docstring
        # No annual targets: the seed gives rates (合格率99.6%、量化分级管理率96%), not tasks with a target.
        "targets": [],
        "investment_completed": yi("0.8"),  # chosen, see the module docstring
        "narrative": (
            "全市农产品质量安全检测合格率为99.6%，药品评价性抽检合格率为100%；餐饮食品量化分级管理率已达96%，"
            "超过年度任务目标。新聘任村级农产品质量安全监管员6766名。抽检各类食品720批次，合格率为92.78%；"
            "组织药品抽验90批次，合格率为100%。建成食品快检室96处；查办各类违法案件841件，移送司法机关32起。"
        ),
    },
]
