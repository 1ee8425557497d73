"""seed_demo: idempotent, and its figures reproduce what the seeds print (001's percentages above all)."""

import datetime
import io
from collections import Counter
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from org.choices import Role
from org.models import User
from projects.choices import ChangeType, ProjectLevel, ProjectStatus, ReportStatus
from projects.models import Milestone, Plan, ProgressReport, Project, Target

pytestmark = pytest.mark.django_db

YI = Decimal("100000000")

# Seed 001 (临沂民生工作简报 第16期): every target with a printed percentage, copied as printed.
SEED_001_PERCENTAGES = {
    "新增农村劳动力转移就业": "91.33",  # 新增农村劳动力转移就业13.7万人、完成全年目标任务的91.33%
    "职业技能新培": "88.9",  # 组织各类职业技能新培7.1万人，完成年度任务的88.9%
    "创业培训": "88",  # 创业培训9700多人，完成年度任务的88%
    "发放创业担保贷款": "112",  # 发放创业担保贷款7.27亿元、完成全年任务的112%
    "解决“大班额”问题完成投资": "86.8",  # 两项工作分别完成投资17.8亿元、12.4亿元，分别占年度计划的86.8%、130%
    "“全面改薄”完成投资": "130",
    "重点医疗卫生设施建设投资": "45.5",  # 投资5亿元用于重点医疗卫生设施建设，占年度投资计划的45.5%
    # 新施划交通标线19.3万平方米、安装交通标志2000面、交通护栏21.5千米，更新电子监控系统100套，
    # 分别完成年度任务的64.3%、83.3%、67.2%和100%
    "新施划交通标线": "64.3",
    "安装交通标志": "83.3",
    "安装交通护栏": "67.2",
    "更新电子监控系统": "100",
    "开工建设棚改安置房": "100",  # 开工建设安置房4.7万套，开工率 ... 100%
    "引进外地来临备案一流物业企业": "110",  # 引进外地来临备案一流物业企业11家，完成年度计划的110%
    "农村道路硬化": "92.2",  # 完成农村道路硬化281.5万平方米，占全年计划的92.2%
    "农村改厕": "100.5",  # 完成农村改厕29202户，占全年计划的100.5%
    "农村新型社区实现入驻": "90.7",  # 入驻社区49个、“气上楼”41个、“暖入户”30个 ... 90.7%、111%和125%
    "农村新型社区“气上楼”": "111",
    "农村新型社区“暖入户”": "125",
    "重点整治农村汪塘": "90.6",  # 170座重点整治的农村汪塘已完成治理154座，占90.6%
    "建设提升改造基层综合性文化服务中心": "73",  # 基层综合性文化服务中心73个，完成全年任务的73%
    "改造乡镇历史文化展示室": "66",  # 乡镇历史文化展示室33个，完成任务量的66%
    "“一村一年一场戏”送戏下乡": "106",  # 送戏下乡5090余场，完成年度任务的106%
    "“一村一月一场电影”送电影下乡": "109.9",  # 送电影下乡52760场，完成年度任务的109.9%
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def printed(rate, like: str, rounding=ROUND_HALF_UP) -> str:
    """A rate as the seed prints it: a percentage with as many decimals as `like` has."""
    places = len(like.partition(".")[2])
    return f"{(Decimal(rate) * 100).quantize(Decimal(1).scaleb(-places), rounding=rounding):f}"


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def linyi_plan() -> Plan:
    return Plan.objects.get(region__code="371300", year=2016)


def test_second_run_creates_and_changes_nothing():
    seed()
    counts = row_counts()
    stamps = dict(Project.objects.values_list("pk", "updated_at"))

    output = seed()

    # Historical models are counted too: a save that changed nothing would still add a history row.
    assert row_counts() == counts
    assert dict(Project.objects.values_list("pk", "updated_at")) == stamps
    assert "未作修改" in output


def test_changed_demo_password_is_put_back():
    seed()
    user = User.objects.get(username="lingdao")
    user.set_password("something-else-1")
    user.save()

    seed()

    user.refresh_from_db()
    assert user.check_password("Minsheng@2026")


def test_an_earlier_demos_superuser_no_longer_signs_in(client):
    """A database seeded before issue 15 has the superuser "admin" with the printed password: the next seed
    keeps the account (its name is on what it did) but it no longer signs in; the administrators do."""
    from django.contrib.auth.hashers import make_password

    from fixtures.demo.loader import demo_salt

    old = User.objects.create_superuser(username="admin", password="x")
    old.password = make_password("minsheng2026", demo_salt("admin"))
    old.save(update_fields=["password"])
    mine = User.objects.create_superuser(username="root", password="my-own-pass-1")

    seed()

    old.refresh_from_db()
    mine.refresh_from_db()
    assert not old.is_active
    assert old.is_superuser
    assert mine.is_active  # not the demo's: left alone
    assert not client.login(username="admin", password="minsheng2026")
    assert client.login(username="xitong", password="Minsheng@2026")


@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data loaded once for a class of read-only tests, rolled back after the last of them.

    Each test runs in a savepoint inside this transaction (pytest-django's `db`), as with setUpTestData.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_data")
class TestDemoData:
    """What the demo holds, checked against the seeds."""

    def test_every_printed_percentage_of_seed_001_is_reproduced(self):
        figures = {t.name: t for t in Target.objects.with_progress().filter(project__plan=linyi_plan())}

        got = {
            name: printed(figures[name].completion, expected)
            for name, expected in SEED_001_PERCENTAGES.items()
        }

        assert got == SEED_001_PERCENTAGES
        assert all(figures[name].as_of_month == 9 for name in SEED_001_PERCENTAGES)

    def test_percentages_no_target_reproduces_keep_the_real_counts(self):
        figures = {t.name: t for t in Target.objects.with_progress().filter(project__plan=linyi_plan())}

        # "年度计划改造的178个老旧小区已有43个启动改造，占年度计划的24.15%": the seed truncated 24.157%.
        old_compounds = figures["老旧小区启动改造"]
        assert (old_compounds.annual_target, old_compounds.value) == (178, 43)
        assert printed(old_compounds.completion, "24.15", ROUND_DOWN) == "24.15"
        assert printed(old_compounds.completion, "24.15") == "24.16"
        # "新开工建设农村新型社区28个 ... 完成年度任务的186%": no whole target gives 186%; 15 is nearest.
        communities = figures["新开工建设农村新型社区"]
        assert communities.value == 28
        assert printed(communities.completion, "186") == "187"

    def test_targets_the_seed_only_says_are_exceeded_are_over_100_percent(self):
        figures = {t.name: t for t in Target.objects.with_progress().filter(project__plan=linyi_plan())}

        # "新增城镇就业9.3万人、提前完成全年目标任务"; "完成造林24万亩，提前超额完成全年任务"
        assert figures["新增城镇就业"].value == 93000
        assert figures["新增城镇就业"].completion > 1
        assert figures["完成造林"].completion > 1

    def test_ten_items_total_187_4_yi_of_282_6_yi_planned(self):
        rows = {p.title: p for p in Project.objects.with_progress().filter(plan=linyi_plan())}

        completed = sum(p.latest_investment for p in rows.values())
        planned = Project.objects.filter(plan=linyi_plan()).aggregate(s=Sum("planned_investment"))["s"]

        # "十件民生大事完成投资187.4亿元，占年度计划的66.3%"
        assert len(rows) == 10
        assert completed == Decimal("187.4") * YI
        assert planned == Decimal("282.6") * YI
        assert printed(completed / planned, "66.3") == "66.3"
        # "资金投入达4.39亿元，占年度计划的70%"; "棚户区改造共完成投资120亿元，占总投资的67%"
        assert printed(rows["提高群众医疗服务质量"].investment_rate, "70") == "70"
        assert printed(rows["棚户区改造"].investment_rate, "67") == "67"

    def test_linyi_items_in_bulletin_order_with_accepted_september_reports(self):
        projects = list(Project.objects.filter(plan=linyi_plan()).order_by("sequence"))

        assert [p.sequence for p in projects] == list(range(1, 11))
        assert projects[0].title == "加强和改进就业创业服务"
        assert projects[0].lead_unit.name == "临沂市人力资源和社会保障局"
        assert projects[-1].title == "食品药品安全"
        assert {p.level for p in projects} == {ProjectLevel.CITY}
        assert linyi_plan().reporting_month == 9
        reports = ProgressReport.objects.filter(project__plan=linyi_plan())
        assert set(reports.values_list("month", "status")) == {(9, ReportStatus.ACCEPTED)}
        assert reports.count() == 10
        assert all(r.narrative for r in reports)

    def test_luyang_projects_by_level_and_change_type(self):
        plan = Plan.objects.get(region__code="340103", year=2017)
        active = plan.projects.exclude(status=ProjectStatus.WITHDRAWN)

        assert Counter(active.values_list("level", flat=True)) == {
            ProjectLevel.PROVINCE: 22,
            ProjectLevel.CITY: 7,
            ProjectLevel.COUNTY: 8,
        }
        assert Counter(active.values_list("level", "change_type")) == {
            (ProjectLevel.PROVINCE, ChangeType.NEW): 3,
            (ProjectLevel.PROVINCE, ChangeType.RAISED): 5,
            (ProjectLevel.PROVINCE, ChangeType.MERGED): 1,
            (ProjectLevel.PROVINCE, ChangeType.CONTINUED): 13,
            (ProjectLevel.CITY, ChangeType.NEW): 2,
            (ProjectLevel.CITY, ChangeType.CONTINUED): 5,
            (ProjectLevel.COUNTY, ""): 8,
        }
        assert active.get(change_type=ChangeType.MERGED).title == "特困人员供养及生活无着人员救助"
        exited = plan.projects.filter(change_type=ChangeType.EXITED)
        assert sorted(exited.values_list("level", "title", "status")) == [
            (ProjectLevel.CITY, "免收义务教育阶段学生书本费", ProjectStatus.WITHDRAWN),
            (ProjectLevel.CITY, "肉类蔬菜流通追溯体系建设", ProjectStatus.WITHDRAWN),
            (ProjectLevel.PROVINCE, "城市老旧小区整治", ProjectStatus.WITHDRAWN),
        ]

    def test_luyang_province_and_city_projects_link_their_parents(self):
        plan = Plan.objects.get(region__code="340103", year=2017)
        linked = plan.projects.exclude(level=ProjectLevel.COUNTY).exclude(
            level=ProjectLevel.CITY, change_type=ChangeType.EXITED
        )

        assert linked.count() == 23 + 7
        for project in linked.select_related("parent_project__plan__region"):
            parent = project.parent_project
            assert parent is not None, project.title
            assert parent.level == project.level
            assert parent.plan.region.code == (
                "340000" if project.level == ProjectLevel.PROVINCE else "340100"
            )
            project.full_clean()
        assert (
            plan.projects.get(title="义务教育经费保障机制").parent_project.title == "城乡义务教育经费保障机制"
        )
        assert not plan.projects.filter(level=ProjectLevel.COUNTY, parent_project__isnull=False).exists()

    def test_luyang_standards_targets_and_works_deadline(self):
        plan = Plan.objects.get(region__code="340103", year=2017)
        targets = {t.name: (t.annual_target, t.measure) for t in Target.objects.filter(project__plan=plan)}

        assert targets == {
            "高校毕业生就业见习省级财政补助标准": (800, "元/人·月"),
            "城乡居民基本医疗保险财政补助标准": (450, "元/人"),
            "基本公共卫生服务财政补助标准": (50, "元/人"),
            "建成全民健身苑": (11, "个"),
        }
        gym = plan.projects.get(title="群众体育设施建设")
        assert gym.deadline == datetime.date(2017, 11, 15)
        assert plan.projects.filter(deadline=datetime.date(2017, 11, 15)).count() >= 5

    def test_shandong_2019_has_the_twenty_items_with_targets_and_deadlines(self):
        plan = Plan.objects.get(region__code="370000", year=2019)
        projects = plan.projects.all()

        assert projects.count() == 20
        assert sorted(projects.values_list("code", flat=True)) == [f"2019-{i:02d}" for i in range(1, 21)]
        assert projects.get(code="2019-06").title == "解决中小学大班额、教师紧缺和“入园难”"
        kindergartens = Target.objects.get(project__plan=plan, name="新建改扩建幼儿园")
        assert (kindergartens.annual_target, kindergartens.authoritative_unit.short_name) == (
            2000,
            "省教育厅",
        )
        assert Target.objects.get(project__plan=plan, name="新增幼儿园学位").annual_target == 500000
        assert Target.objects.get(project__plan=plan, name="跨省和省内异地联网医疗机构").annual_target == 1100
        dates = dict(Milestone.objects.filter(project__plan=plan).values_list("name", "planned_date"))
        assert dates["无证幼儿园专项整治全面完成整改"] == datetime.date(2019, 6, 30)
        assert dates["省内异地定点医疗机构就医购药“一卡通”行"] == datetime.date(2019, 4, 30)
        assert dates["城镇居住区配套幼儿园专项整治全面完成整改"] == datetime.date(2020, 12, 31)
        assert not ProgressReport.objects.filter(project__plan=plan).exists()

    @pytest.mark.parametrize(
        ("username", "role", "unit"),
        [
            ("minshengban", Role.STAFF, "临沂民生工作办公室"),
            ("lingdao", Role.LEADER, "临沂民生工作办公室"),
            ("shenji", Role.AUDITOR, "临沂民生工作办公室"),
            ("tianbao", Role.FILER, "临沂市人力资源和社会保障局"),
            ("lanshan", Role.STAFF, "兰山区民生工作办公室"),
        ],
    )
    def test_demo_user_per_role_can_log_in(self, client, username, role, unit):
        user = User.objects.get(username=username)

        assert (user.role, user.unit.name) == (role, unit)
        assert user.first_name
        assert client.login(username=username, password="Minsheng@2026")

    @pytest.mark.parametrize(
        ("username", "role"),
        [("xitong", Role.SYSADMIN), ("anquan", Role.SECADMIN), ("shenjiguan", Role.AUDITADMIN)],
    )
    def test_demo_administrators_hold_one_role_each_and_can_log_in(self, client, username, role):
        user = User.objects.get(username=username)

        assert (user.role, user.unit, user.is_staff) == (role, None, True)
        assert client.login(username=username, password="Minsheng@2026")

    def test_no_demo_account_is_a_superuser(self):
        """The daily superuser goes (issue 15): administration is the three administrators'."""
        assert not User.objects.filter(is_superuser=True).exists()

    def test_filer_sees_the_projects_of_the_unit(self):
        filer = User.objects.get(username="tianbao")

        # 市人社局 leads item 1 and cooperates on item 3 (基本医疗保险).
        assert set(Project.objects.restrict(filer).values_list("title", flat=True)) == {
            "加强和改进就业创业服务",
            "提高群众医疗服务质量",
        }
