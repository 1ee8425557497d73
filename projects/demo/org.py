"""Regions and units of the demo: the places and bodies named in seeds 000, 001 and 004.

Units are keyed in the project data by (region code, short name, or full name when there is none). Names the
seeds print are used as printed (临沂民生工作办公室, 市人社局, 区商旅局 ...); full names follow the official
pattern of the year. Where a seed names no body at all (e.g. who runs culture in 庐阳区), the unit is an
assumption of the demo and says so in a comment.
"""

from org.choices import RegionLevel, UnitKind

SHANDONG, LINYI = "370000", "371300"
ANHUI, HEFEI, LUYANG = "340000", "340100", "340103"

# (code, name, level, parent code), parents first.
REGIONS = [
    (SHANDONG, "山东省", RegionLevel.PROVINCE, None),
    (LINYI, "临沂市", RegionLevel.CITY, SHANDONG),
    ("371302", "兰山区", RegionLevel.COUNTY, LINYI),
    ("371311", "罗庄区", RegionLevel.COUNTY, LINYI),
    ("371312", "河东区", RegionLevel.COUNTY, LINYI),
    ("371321", "沂南县", RegionLevel.COUNTY, LINYI),
    ("371322", "郯城县", RegionLevel.COUNTY, LINYI),
    ("371323", "沂水县", RegionLevel.COUNTY, LINYI),
    ("371324", "兰陵县", RegionLevel.COUNTY, LINYI),
    ("371325", "费县", RegionLevel.COUNTY, LINYI),
    ("371326", "平邑县", RegionLevel.COUNTY, LINYI),
    ("371327", "莒南县", RegionLevel.COUNTY, LINYI),
    ("371328", "蒙阴县", RegionLevel.COUNTY, LINYI),
    ("371329", "临沭县", RegionLevel.COUNTY, LINYI),
    (ANHUI, "安徽省", RegionLevel.PROVINCE, None),
    (HEFEI, "合肥市", RegionLevel.CITY, ANHUI),
    (LUYANG, "庐阳区", RegionLevel.COUNTY, HEFEI),
]

DEPT, GOV, OFFICE, OTHER = UnitKind.DEPARTMENT, UnitKind.GOVERNMENT, UnitKind.OFFICE, UnitKind.OTHER

# (region code, full name, short name, kind)
UNITS = [
    # 山东省: the bodies seed 000 names or implies for its 20 items (names as of 2019, after the 2018 reform).
    (SHANDONG, "山东省人民政府办公厅", "省政府办公厅", OFFICE),
    (SHANDONG, "山东省医疗保障局", "省医保局", DEPT),
    (SHANDONG, "山东省教育厅", "省教育厅", DEPT),
    (SHANDONG, "山东省民政厅", "省民政厅", DEPT),
    (SHANDONG, "山东省退役军人事务厅", "省退役军人事务厅", DEPT),
    (SHANDONG, "山东省人力资源和社会保障厅", "省人力资源社会保障厅", DEPT),
    (SHANDONG, "山东省住房和城乡建设厅", "省住房城乡建设厅", DEPT),
    (SHANDONG, "山东省卫生健康委员会", "省卫生健康委", DEPT),
    (SHANDONG, "山东省药品监督管理局", "省药监局", DEPT),
    (SHANDONG, "山东省财政厅", "省财政厅", DEPT),
    (SHANDONG, "山东省农业农村厅", "省农业农村厅", DEPT),
    (SHANDONG, "山东省生态环境厅", "省生态环境厅", DEPT),
    (SHANDONG, "山东省发展和改革委员会", "省发展改革委", DEPT),
    (SHANDONG, "山东省地方金融监督管理局", "省地方金融监管局", DEPT),
    (SHANDONG, "中共山东省委政法委员会", "省委政法委", DEPT),
    (SHANDONG, "山东省公安厅", "省公安厅", DEPT),
    (SHANDONG, "山东省自然资源厅", "省自然资源厅", DEPT),
    (SHANDONG, "山东省交通运输厅", "省交通运输厅", DEPT),
    (SHANDONG, "山东省水利厅", "省水利厅", DEPT),
    (SHANDONG, "山东省扶贫开发领导小组办公室", "省扶贫办", DEPT),
    (SHANDONG, "山东省残疾人联合会", "省残联", OTHER),
    (SHANDONG, "中共山东省委机构编制委员会办公室", "省委编办", DEPT),
    (SHANDONG, "山东省能源局", "省能源局", DEPT),
    (SHANDONG, "山东省工业和信息化厅", "省工业和信息化厅", DEPT),
    # 临沂市: the office that issues the bulletin (seed 001 masthead) and the departments behind the items.
    (LINYI, "临沂民生工作办公室", "市民生办", OFFICE),
    (LINYI, "临沂市人力资源和社会保障局", "市人社局", DEPT),
    (LINYI, "临沂市教育局", "市教育局", DEPT),
    (LINYI, "临沂市卫生和计划生育委员会", "市卫生计生委", DEPT),
    (LINYI, "临沂市交通运输局", "市交通运输局", DEPT),
    (LINYI, "临沂市公安局", "市公安局", DEPT),
    (LINYI, "临沂市住房和城乡建设局", "市住房城乡建设局", DEPT),
    (LINYI, "临沂市扶贫开发领导小组办公室", "市扶贫办", DEPT),
    (LINYI, "临沂市环境保护局", "市环保局", DEPT),
    (LINYI, "临沂市文化广电新闻出版局", "市文广新局", DEPT),
    (LINYI, "临沂市食品药品监督管理局", "市食品药品监管局", DEPT),
    (LINYI, "临沂市财政局", "市财政局", DEPT),
    (LINYI, "临沂市农业局", "市农业局", DEPT),
    (LINYI, "临沂市水利局", "市水利局", DEPT),
    (LINYI, "临沂市林业局", "市林业局", DEPT),
    # 安徽省 and 合肥市: the departments that lead the higher-level projects 庐阳区 implements (seed 004 names
    # only the projects; the departments are those of 2017 by portfolio).
    (ANHUI, "安徽省民生工程协调领导小组办公室", "省民生办", OFFICE),
    (ANHUI, "安徽省人力资源和社会保障厅", "省人社厅", DEPT),
    (ANHUI, "安徽省卫生和计划生育委员会", "省卫生计生委", DEPT),
    (ANHUI, "安徽省农业委员会", "省农委", DEPT),
    (ANHUI, "安徽省教育厅", "省教育厅", DEPT),
    (ANHUI, "安徽省民政厅", "省民政厅", DEPT),
    (ANHUI, "安徽省残疾人联合会", "省残联", OTHER),
    (ANHUI, "安徽省司法厅", "省司法厅", DEPT),
    (ANHUI, "安徽省水利厅", "省水利厅", DEPT),
    (ANHUI, "中共安徽省委组织部", "省委组织部", DEPT),
    (ANHUI, "安徽省文化厅", "省文化厅", DEPT),
    (ANHUI, "安徽省食品药品监督管理局", "省食品药品监管局", DEPT),
    (ANHUI, "安徽省住房和城乡建设厅", "省住房城乡建设厅", DEPT),
    (HEFEI, "合肥市民生工程协调领导小组办公室", "市民生办", OFFICE),
    (HEFEI, "合肥市民政局", "市民政局", DEPT),
    (HEFEI, "合肥市残疾人联合会", "市残联", OTHER),
    (HEFEI, "合肥市卫生和计划生育委员会", "市卫生计生委", DEPT),
    (HEFEI, "合肥市体育局", "市体育局", DEPT),
    (HEFEI, "合肥市教育局", "市教育局", DEPT),
    (HEFEI, "合肥市商务局", "市商务局", DEPT),
    # 庐阳区: 区民生办 and 区商旅局 are named in seed 004; the others follow the district's portfolios.
    (LUYANG, "合肥市庐阳区人民政府", "庐阳区政府", GOV),
    (LUYANG, "庐阳区民生工程协调领导小组办公室", "区民生办", OFFICE),
    (LUYANG, "庐阳区人力资源和社会保障局", "区人社局", DEPT),
    (LUYANG, "庐阳区卫生和计划生育委员会", "区卫计委", DEPT),
    (LUYANG, "庐阳区教育体育局", "区教体局", DEPT),
    (LUYANG, "庐阳区民政局", "区民政局", DEPT),
    (LUYANG, "庐阳区农林水务局", "区农林水务局", DEPT),
    (LUYANG, "庐阳区城市管理局", "区城管局", DEPT),
    (LUYANG, "庐阳区商务旅游局", "区商旅局", DEPT),
    (LUYANG, "庐阳区财政局", "区财政局", DEPT),
    (LUYANG, "庐阳区残疾人联合会", "区残联", OTHER),
    (LUYANG, "庐阳区司法局", "区司法局", DEPT),
    (LUYANG, "中共合肥市庐阳区委组织部", "区委组织部", DEPT),
    # Assumption: the seed does not say who runs culture in 庐阳区 (sport sits with 区教体局, tourism with
    # 区商旅局); the district's publicity department stands in for it.
    (LUYANG, "中共合肥市庐阳区委宣传部", "区委宣传部", DEPT),
    # Assumption: food safety under a merged market regulator, as Hefei's districts had by 2017.
    (LUYANG, "庐阳区市场监督管理局", "区市场监管局", DEPT),
    # Assumption: housing, shanty-town renovation and roads under one construction bureau.
    (LUYANG, "庐阳区住房和城乡建设局", "区住建局", DEPT),
]

# Every 临沂 county or district: its government and its 民生 office (the seeds name neither; the pattern
# follows the city's own office).
for _code, _name, _, _parent in REGIONS:
    if _parent == LINYI:
        UNITS.append((_code, f"{_name}人民政府", f"{_name}政府", GOV))
        UNITS.append((_code, f"{_name}民生工作办公室", f"{_name}民生办", OFFICE))

# (region code, short name) of the twelve county and district governments, for "各县区" in the seeds.
LINYI_COUNTY_GOVERNMENTS = [(code, f"{name}政府") for code, name, _, parent in REGIONS if parent == LINYI]
