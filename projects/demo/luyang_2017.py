"""庐阳区 2017 "29+8" livelihood projects (seed 004) and the 安徽省 and 合肥市 projects they implement.

Seed 004 counts, checked against its own lists:
- 省定 33 projects, of which the district implements 22: 新增 3 + 提标扩面 5 + 整合归并 1
  (特困人员供养及生活无着人员救助, the one merged project that is not also 新增 or 提标扩面) + 继续实施 13.
  The notice's "继续实施17项" list includes four of the 提标扩面 projects (就业扶持工程,
  城乡居民基本医疗保险, 义务教育经费保障机制, 高校…资助), so 13 are continued unchanged. Its
  "整合归并7项" counts the seven former projects merged, not the result. Plus 城市老旧小区整治, which the
  district no longer carries (退出).
- 市定 9 projects, of which the district takes 7 (新增 2 + 继续实施 5); the two 调整退出 left the city list.
- 区定 8 projects; the seed gives them no change type.
22 + 7 + 8 = 37 (the notice's "省、市、区级37项民生工程").

Only the higher-level projects the seed names are recorded in the 安徽省 and 合肥市 plans (23 of 33 and
7 of 9).
Change types are recorded on the district's projects only: the seed states them from the district's side.
"""

import datetime

from projects.choices import Category, ChangeType, ProjectLevel, ProjectStatus

from .org import ANHUI, HEFEI, LUYANG

# "工程类项目在11月中旬前全部完工"
WORKS_DEADLINE = datetime.date(2017, 11, 15)

ANHUI_PLAN = {
    "region": ANHUI,
    "year": 2017,
    "name": "安徽省2017年33项民生工程",
    "document_number": "皖政〔2017〕10号",
    "reporting_month": None,
    "description": (
        "《安徽省人民政府关于2017年实施33项民生工程的通知》。演示数据只收录《庐阳区2017年实施“29+8”"
        "项民生工程的通知》所列的23项（庐阳区实施的22项及庐阳区退出的城市老旧小区整治）。"
    ),
}

HEFEI_PLAN = {
    "region": HEFEI,
    "year": 2017,
    "name": "合肥市2017年“31+9”项民生工程",
    "document_number": "合政〔2017〕1号",
    "reporting_month": None,
    "description": (
        "《合肥市人民政府关于2017年实施“31+9”项民生工程的通知》：全市实施市定民生工程9项。"
        "演示数据只收录庐阳区承担的7项。免收义务教育阶段学生书本费调整至省定民生工程“城乡义务教育经费保障机制"
        "”实施；肉类蔬菜流通追溯体系建设退出市级民生工程项目。"
    ),
}

LUYANG_PLAN = {
    "region": LUYANG,
    "year": 2017,
    "name": "庐阳区2017年“29+8”项民生工程",
    "document_number": "",
    "reporting_month": None,
    "description": (
        "根据皖政〔2017〕10号和合政〔2017〕1号文件要求，区政府决定2017年实施省、市、区级37项民生工程："
        "省定33项中实施22项，市定9项中承担7项，区定8项。\n要求：区政府与各单位签订民生工程目标责任书；"
        "区级配套资金6月中旬前全部配套到位；工程进度不低于序时进度和全市平均进度，工程类项目在11月中旬前全部"
        "完工；一旬一督查，一月一通报；“四图”挂图作战、“四项清单”解决疑点难点问题；按“谁主管，谁负责，"
        "谁受益，谁管养”明确工程类项目建后管养责任主体。"
    ),
}

# 安徽省 projects: (title, category, lead unit of 安徽省, content).
ANHUI_PROJECTS = [
    (
        "技工大省技能培训工程",
        Category.EMPLOYMENT,
        "省人社厅",
        "开展技能脱贫培训、企业新录用人员岗前技能培训、新技工系统培养、退役士兵培训，推动技工大省建设。",
    ),
    (
        "医疗卫生人才能力提升工程",
        Category.HEALTH,
        "省卫生计生委",
        "开展住院医师规范化、全科医生转岗、县级医院骨干医师、儿科医师转岗培训。",
    ),
    ("秸秆综合利用提升工程", Category.ECOLOGY, "省农委", "大力开展秸秆禁烧及综合利用，改善空气质量。"),
    (
        "就业扶持工程",
        Category.EMPLOYMENT,
        "省人社厅",
        "高校毕业生就业见习省级财政补助标准由2016年每人每月600元提高到800元。",
    ),
    (
        "城乡居民基本医疗保险",
        Category.SOCIAL_SECURITY,
        "省人社厅",
        "新型农村合作医疗、城镇居民基本医疗保险财政补助标准由2016年每人420元提高到450元。",
    ),
    (
        "公共卫生服务及妇幼健康、计生特扶",
        Category.HEALTH,
        "省卫生计生委",
        "基本公共卫生服务财政补助标准由2016年每人45元提高到50元。",
    ),
    (
        "城乡义务教育经费保障机制",
        Category.EDUCATION,
        "省教育厅",
        "免费教科书、家庭经济困难寄宿生补助覆盖范围扩大到城乡义务教育学生。",
    ),
    (
        "高校、中职和普通高中家庭经济困难学生资助",
        Category.EDUCATION,
        "省教育厅",
        "免除公办普通高中在籍在校建档立卡等家庭经济困难学生学杂费纳入补助内容。",
    ),
    (
        "特困人员供养及生活无着人员救助",
        Category.SPECIAL_GROUPS,
        "省民政厅",
        "原农村五保供养及运行维护、孤儿基本生活保障合并而成。",
    ),
    ("农村居民最低生活保障", Category.SOCIAL_SECURITY, "省民政厅", ""),
    ("贫困残疾人康复", Category.SPECIAL_GROUPS, "省残联", ""),
    ("残疾人生活和护理补贴", Category.SPECIAL_GROUPS, "省民政厅", ""),
    ("城乡困难群体法律援助", Category.SPECIAL_GROUPS, "省司法厅", ""),
    ("小型水利工程改造提升", Category.SERVICES, "省水利厅", ""),
    ("提升农村基层党建与服务经费保障", Category.SERVICES, "省委组织部", ""),
    ("城乡居民基本养老保险", Category.SOCIAL_SECURITY, "省人社厅", ""),
    ("城乡医疗救助", Category.SOCIAL_SECURITY, "省民政厅", ""),
    ("社会养老服务体系建设", Category.SPECIAL_GROUPS, "省民政厅", ""),
    ("公共文化场馆开放", Category.CULTURE, "省文化厅", ""),
    ("农村文化建设专项补助", Category.CULTURE, "省文化厅", ""),
    ("农产品食品安全工程", Category.SAFETY, "省食品药品监管局", ""),
    ("棚户区改造", Category.HOUSING, "省住房城乡建设厅", ""),
    ("城市老旧小区整治", Category.HOUSING, "省住房城乡建设厅", ""),
]

# 合肥市 projects the district takes: (title, category, lead unit of 合肥市, content).
HEFEI_PROJECTS = [
    (
        "农村留守儿童关爱保护",
        Category.SPECIAL_GROUPS,
        "市民政局",
        (
            "采用政府购买服务岗位方式在每个乡镇和行政村（社区）设置留守儿童保护专员，委托第三方对留守儿童进行"
            "心理辅导。"
        ),
    ),
    ("群众体育设施建设", Category.CULTURE, "市体育局", "建设全民健身苑。"),
    ("残疾人托养工程", Category.SPECIAL_GROUPS, "市残联", ""),
    ("重性精神病患者医疗救助", Category.HEALTH, "市卫生计生委", ""),
    ("政府购买居家养老服务", Category.SPECIAL_GROUPS, "市民政局", ""),
    ("五保对象长期医疗护理保障制度", Category.SPECIAL_GROUPS, "市民政局", ""),
    ("新生儿遗传代谢疾病筛查", Category.HEALTH, "市卫生计生委", ""),
]

NEW, RAISED, MERGED = ChangeType.NEW, ChangeType.RAISED, ChangeType.MERGED
CONTINUED, EXITED = ChangeType.CONTINUED, ChangeType.EXITED
PROVINCE, CITY, COUNTY = ProjectLevel.PROVINCE, ProjectLevel.CITY, ProjectLevel.COUNTY
WITHDRAWN = ProjectStatus.WITHDRAWN

# 庐阳区 projects, in the notice's order. Keys: level, change_type, title, parent (title in the 安徽省 or
# 合肥市 plan), category, lead, cooperating, content, targets [(name, measure, target, note)], works
# (工程类: deadline 2017-11-15), status.
LUYANG_PROJECTS = [
    # 一、省级：新增实施3项
    {
        "level": PROVINCE,
        "change_type": NEW,
        "title": "技工大省技能培训工程",
        "lead": "区人社局",
        "content": (
            "开展技能脱贫培训、企业新录用人员岗前技能培训、新技工系统培养、退役士兵培训。"
            "原就业技能和新型农民培训并入本工程。"
        ),
    },
    {
        "level": PROVINCE,
        "change_type": NEW,
        "title": "医疗卫生人才能力提升工程",
        "lead": "区卫计委",
        "content": "开展住院医师规范化、全科医生转岗、县级医院骨干医师、儿科医师转岗培训。",
    },
    {
        "level": PROVINCE,
        "change_type": NEW,
        "title": "秸秆综合利用提升工程",
        "lead": "区农林水务局",
        "content": "大力开展秸秆禁烧及综合利用，进一步推动环境治理，改善空气质量。",
    },
    # 提标扩面5项
    {
        "level": PROVINCE,
        "change_type": RAISED,
        "title": "就业扶持工程",
        "lead": "区人社局",
        "content": "高校毕业生就业见习省级财政补助标准由2016年每人每月600元提高到800元。",
        "targets": [
            ("高校毕业生就业见习省级财政补助标准", "元/人·月", 800, "由2016年每人每月600元提高到800元。")
        ],
    },
    {
        "level": PROVINCE,
        "change_type": RAISED,
        "title": "城乡居民基本医疗保险",
        "lead": "区人社局",
        "cooperating": ["区卫计委"],
        "content": (
            "城镇居民基本医疗保险并入城乡居民基本医疗保险；新型农村合作医疗、城镇居民基本医疗保险财政补助标准"
            "由2016年每人420元提高到450元。"
        ),
        "targets": [("城乡居民基本医疗保险财政补助标准", "元/人", 450, "由2016年每人420元提高到450元。")],
    },
    {
        "level": PROVINCE,
        "change_type": RAISED,
        "title": "公共卫生服务及妇幼健康、计生特扶",
        "lead": "区卫计委",
        "content": (
            "原基本公共卫生服务、妇女儿童健康水平提升工程、计划生育家庭特别扶助合并而成；"
            "基本公共卫生服务财政补助标准由2016年每人45元提高到50元。"
        ),
        "targets": [("基本公共卫生服务财政补助标准", "元/人", 50, "由2016年每人45元提高到50元。")],
    },
    {
        "level": PROVINCE,
        "change_type": RAISED,
        "title": "义务教育经费保障机制",
        "parent": "城乡义务教育经费保障机制",
        "lead": "区教体局",
        "content": "免费教科书、家庭经济困难寄宿生补助覆盖范围扩大到城乡义务教育学生。",
    },
    {
        "level": PROVINCE,
        "change_type": RAISED,
        "title": "高校、中职和普通高中家庭经济困难学生资助",
        "lead": "区教体局",
        "content": "免除公办普通高中在籍在校建档立卡等家庭经济困难学生学杂费纳入补助内容。",
    },
    # 整合归并
    {
        "level": PROVINCE,
        "change_type": MERGED,
        "title": "特困人员供养及生活无着人员救助",
        "lead": "区民政局",
        "content": "原农村五保供养及运行维护、孤儿基本生活保障合并为本项目继续实施，基本内容未改变。",
    },
    # 继续实施 (the 13 not also 提标扩面)
    {"level": PROVINCE, "change_type": CONTINUED, "title": "农村居民最低生活保障", "lead": "区民政局"},
    {"level": PROVINCE, "change_type": CONTINUED, "title": "贫困残疾人康复", "lead": "区残联"},
    {
        "level": PROVINCE,
        "change_type": CONTINUED,
        "title": "残疾人生活和护理补贴",
        "lead": "区民政局",
        "cooperating": ["区残联"],
    },
    {"level": PROVINCE, "change_type": CONTINUED, "title": "城乡困难群体法律援助", "lead": "区司法局"},
    {
        "level": PROVINCE,
        "change_type": CONTINUED,
        "title": "小型水利工程改造提升",
        "lead": "区农林水务局",
        "works": True,
    },
    {
        "level": PROVINCE,
        "change_type": CONTINUED,
        "title": "提升农村基层党建与服务经费保障",
        "lead": "区委组织部",
    },
    {"level": PROVINCE, "change_type": CONTINUED, "title": "城乡居民基本养老保险", "lead": "区人社局"},
    {"level": PROVINCE, "change_type": CONTINUED, "title": "城乡医疗救助", "lead": "区民政局"},
    {"level": PROVINCE, "change_type": CONTINUED, "title": "社会养老服务体系建设", "lead": "区民政局"},
    {"level": PROVINCE, "change_type": CONTINUED, "title": "公共文化场馆开放", "lead": "区委宣传部"},
    {"level": PROVINCE, "change_type": CONTINUED, "title": "农村文化建设专项补助", "lead": "区委宣传部"},
    {
        "level": PROVINCE,
        "change_type": CONTINUED,
        "title": "农产品食品安全工程",
        "lead": "区市场监管局",
        "cooperating": ["区农林水务局"],
    },
    {"level": PROVINCE, "change_type": CONTINUED, "title": "棚户区改造", "lead": "区住建局", "works": True},
    # 退出实施1项
    {
        "level": PROVINCE,
        "change_type": EXITED,
        "title": "城市老旧小区整治",
        "lead": "区住建局",
        "status": WITHDRAWN,
        "content": "2017年我区不再承担该项目任务。",
    },
    # 二、市级：新增实施2项
    {
        "level": CITY,
        "change_type": NEW,
        "title": "农村留守儿童关爱保护",
        "lead": "区民政局",
        "content": (
            "采用政府购买服务岗位方式在每个乡镇和行政村（社区）设置留守儿童保护专员，"
            "定期走访了解留守儿童家庭情况，督促监护人履行监护义务，委托第三方对留守儿童进行心理辅导，"
            "给予关爱。"
        ),
    },
    {
        "level": CITY,
        "change_type": NEW,
        "title": "群众体育设施建设",
        "lead": "区教体局",
        "works": True,
        "content": "2017年建成11个全民健身苑。",
        "targets": [("建成全民健身苑", "个", 11, "")],
    },
    # 继续实施5项
    {"level": CITY, "change_type": CONTINUED, "title": "残疾人托养工程", "lead": "区残联"},
    {
        "level": CITY,
        "change_type": CONTINUED,
        "title": "重性精神病患者医疗救助",
        "lead": "区卫计委",
        "cooperating": ["区民政局"],
    },
    {"level": CITY, "change_type": CONTINUED, "title": "政府购买居家养老服务", "lead": "区民政局"},
    {
        "level": CITY,
        "change_type": CONTINUED,
        "title": "五保对象长期医疗护理保障制度",
        "lead": "区民政局",
        "cooperating": ["区卫计委"],
    },
    {"level": CITY, "change_type": CONTINUED, "title": "新生儿遗传代谢疾病筛查", "lead": "区卫计委"},
    # 调整退出2项: no longer 合肥市 projects, so no parent.
    {
        "level": CITY,
        "change_type": EXITED,
        "title": "免收义务教育阶段学生书本费",
        "parent": None,
        "lead": "区教体局",
        "category": Category.EDUCATION,
        "status": WITHDRAWN,
        "content": "调整至省定民生工程“城乡义务教育经费保障机制”项目实施。",
    },
    {
        "level": CITY,
        "change_type": EXITED,
        "title": "肉类蔬菜流通追溯体系建设",
        "parent": None,
        "lead": "区商旅局",
        "category": Category.SAFETY,
        "status": WITHDRAWN,
        "content": "退出市级民生工程项目，继续由区商旅局纳入部门常规工作开展。",
    },
    # 三、区级8项 (no change type in the seed)
    {
        "level": COUNTY,
        "title": "一事一议财政奖补试点",
        "lead": "区财政局",
        "category": Category.SERVICES,
        "works": True,
    },
    {
        "level": COUNTY,
        "title": "困难家庭在校大学生学费补助",
        "lead": "区民政局",
        "category": Category.EDUCATION,
    },
    {
        "level": COUNTY,
        "title": "高血压、Ⅱ型糖尿病患者免费药物治疗补助",
        "lead": "区卫计委",
        "category": Category.HEALTH,
    },
    {
        "level": COUNTY,
        "title": "困难群众数据库信息平台建设",
        "lead": "区民政局",
        "category": Category.SPECIAL_GROUPS,
    },
    {
        "level": COUNTY,
        "title": "基础教育设施建设提升工程",
        "lead": "区教体局",
        "category": Category.EDUCATION,
        "works": True,
    },
    {
        "level": COUNTY,
        "title": "城市公园、游园建设",
        "lead": "区城管局",
        "category": Category.ECOLOGY,
        "works": True,
    },
    {
        "level": COUNTY,
        "title": "畅通城市交通支路网建设",
        "lead": "区住建局",
        "category": Category.SERVICES,
        "works": True,
    },
    {
        "level": COUNTY,
        "title": "农贸市场改造提升工程",
        "lead": "区商旅局",
        "category": Category.SERVICES,
        "works": True,
    },
]
