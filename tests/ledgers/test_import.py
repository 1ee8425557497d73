"""Importing ledgers as offices keep them: messy layouts, all-or-nothing, idempotence, exact error places."""

import datetime
from decimal import Decimal

import pytest

from ledgers.services import import_ledger
from projects.choices import Category, ReportStatus
from projects.models import Plan, ProgressReport, ProgressValue, Project, Target
from tests.fixtures.ledgers import build_workbook

pytestmark = pytest.mark.django_db


def run(rows, kind="projects", *, actor, dry_run=False, merges=None, region=None, year=2016, sheet="Sheet1"):
    book = build_workbook((sheet, rows), merges={sheet: merges or []})
    return import_ledger(
        book, kind, actor=actor, region=region, year=year, filename="台账.xlsx", dry_run=dry_run
    )


MESSY_PROJECTS = [
    ["2016年临沂市十件民生大事项目台账"],
    ["填报单位：临沂市民生办", None, None, None, None, "单位：万元"],
    [
        "序号",
        "事项名称",
        "责任单位",
        "配合部门",
        "完成时间",
        "计划投资（万元）",
        "量化指标",
        "计量单位",
        "目标值",
        "类别",
    ],
    ["一、就业创业"],
    [
        "１",
        " 新增城镇就业 ",
        "市人社局",
        "市教育局、临沂市民生工作办公室",
        "2016年12月底",
        "8,782.53",
        "新增城镇就业人数",
        "人",
        "９万",
        "就业",
    ],
    [None, None, None, None, None, None, "农村劳动力转移就业", "人", 150000, None],
    [2, "大班额化解", "临沂市教育局", None, "2016.8.31", "1.4亿元", "新建改扩建学校", "所", 68, "改善教育"],
    [None, None, None, None, None, None, None, None, None, None],
    ["合计", None, None, None, None, "=SUM(F5:F7)", None, None, None, None],
]


def test_messy_projects_ledger_is_imported_as_offices_keep_it(org):
    MESSY_PROJECTS[4][8] = 90000  # "９万" is not a number: covered by the error test below
    report = run(MESSY_PROJECTS, actor=org.staff)
    assert report.ok, report.lines()
    assert report.counts == {"new": 3}
    assert report.skipped == 3  # the section heading, the blank row and the total row
    plan = Plan.objects.get(region=org.city, year=2016)
    jobs = Project.objects.get(plan=plan, code="01")
    assert jobs.title == "新增城镇就业"  # trailing and leading spaces gone
    assert jobs.lead_unit == org.hrss  # matched by short name
    assert set(jobs.cooperating_units.all()) == {org.edu, org.office}
    assert jobs.deadline == datetime.date(2016, 12, 31)
    assert jobs.planned_investment == Decimal("87825300.00")  # 万元 from the header
    assert jobs.category == Category.EMPLOYMENT  # "就业" → 就业创业
    assert {t.name: t.annual_target for t in jobs.targets.all()} == {
        "新增城镇就业人数": Decimal("90000"),
        "农村劳动力转移就业": Decimal("150000"),
    }
    schools = Project.objects.get(plan=plan, code="02")
    assert schools.planned_investment == Decimal("140000000.00")  # the cell's 亿元 wins over the header
    assert schools.deadline == datetime.date(2016, 8, 31)
    assert jobs.history.first().history_change_reason == "台账导入：台账.xlsx"


def test_reimporting_the_same_projects_ledger_changes_nothing(org):
    MESSY_PROJECTS[4][8] = 90000
    run(MESSY_PROJECTS, actor=org.staff)
    history = Project.history.count() + Target.history.count()
    again = run(MESSY_PROJECTS, actor=org.staff)
    assert again.ok
    assert again.counts == {"unchanged": 3}
    assert not again.written
    assert Project.history.count() + Target.history.count() == history


def test_a_changed_target_is_reported_then_written(org):
    MESSY_PROJECTS[4][8] = 90000
    run(MESSY_PROJECTS, actor=org.staff)
    rows = [list(r) for r in MESSY_PROJECTS]
    rows[5][8] = 160000
    preview = run(rows, actor=org.staff, dry_run=True)
    assert preview.counts == {"unchanged": 2, "changed": 1}
    changed = next(r for r in preview.rows if r.action == "changed")
    assert changed.row == 6
    assert changed.changes == ["年度目标：150000 → 160000"]
    assert Target.objects.get(name="农村劳动力转移就业").annual_target == 150000
    run(rows, actor=org.staff)
    target = Target.objects.get(name="农村劳动力转移就业")
    assert target.annual_target == 160000
    assert target.history.first().history_change_reason == "台账导入：台账.xlsx"


def test_two_row_merged_header_with_synonyms(org):
    rows = [
        ["项目编号", "民生实事名称", "牵头单位", "领域类别", "年度目标任务", None, None],
        [None, None, None, None, "指标", "单位", "数量"],
        ["A1", "城镇就业", "市人社局", "就业创业", "新增就业", "人", "1,200"],
    ]
    report = run(rows, actor=org.staff, merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:G1"])
    assert report.ok, report.lines()
    project = Project.objects.get(code="A1")
    assert project.targets.get().annual_target == Decimal("1200")


def test_every_error_is_reported_with_sheet_row_and_column_and_nothing_is_written(org):
    rows = [
        [
            "序号",
            "项目编号",
            "项目名称",
            "牵头单位",
            "领域类别",
            "完成时限",
            "指标名称",
            "计量单位",
            "年度目标",
        ],
        [1, "01", "新增城镇就业", "市人社局", "就业创业", "2016年13月", "新增就业", "人", "九万"],
        [2, "02", "学校建设", "不存在的局", "就业创业", "2016年6月底", "学校", "所", 10],
        [3, "03", "养老服务", "市人社局", "不存在的类别", "2016年6月底", "床位", "张", 100],
    ]
    report = run(rows, actor=org.staff)
    assert not report.ok
    where = {(p.sheet, p.row, p.column) for p in report.problems}
    assert where == {("Sheet1", 2, "F"), ("Sheet1", 2, "I"), ("Sheet1", 3, "D"), ("Sheet1", 4, "E")}
    messages = [str(p) for p in report.problems]
    assert any("工作表“Sheet1” 第3行 D列（牵头单位）：找不到单位“不存在的局”" in m for m in messages)
    assert not Project.objects.exists()
    assert not Plan.objects.exists()


def test_missing_required_columns_and_no_header_are_reported(org):
    report = run([["随便写的表"], ["a", "b"]], actor=org.staff)
    assert not report.ok
    assert "没有找到项目台账的表头" in report.problems[0].message


def test_only_staff_of_the_region_may_import(org):
    rows = [["项目编号", "项目名称", "牵头单位", "领域类别"], ["01", "就业", "市人社局", "就业创业"]]
    for user in (org.leader, org.auditor, org.filer):
        assert "只有民生办工作人员" in run(rows, actor=user).problems[0].message
    assert "无权导入" in run(rows, actor=org.county_staff, region=org.city).problems[0].message
    assert run(rows, actor=org.staff).ok


# -- progress


def progress_rows(*rows):
    return [
        ["2016年1-9月民生实事进展台账"],
        ["项目编号", "事项名称", "月份", "指标名称", "累计完成值", "累计完成投资（万元）", "工作进展"],
        *rows,
    ]


def test_progress_ledger_creates_submitted_reports_with_cumulative_values(org, ledger_project):
    report = run(
        progress_rows(
            ["01", "新增城镇就业", "1-9月", "新增城镇就业人数", "９３,０００", "8782.53", "提前完成全年目标"],
            ["01", None, "1-9月", "农村劳动力转移就业", 137000, None, None],
            [None, "新增城镇就业", 8, "新增城镇就业人数", 80000, 7000, "进展顺利"],
        ),
        "progress",
        actor=org.staff,
        year=None,  # from the title row
    )
    assert report.ok, report.lines()
    assert report.counts == {"new": 3}
    september = ProgressReport.objects.get(project=ledger_project, month=9)
    assert september.status == ReportStatus.SUBMITTED
    assert september.submitted_by == org.staff
    assert september.investment_completed == Decimal("87825300.00")
    assert september.narrative == "提前完成全年目标"
    assert {v.target.name: v.value for v in september.values.all()} == {
        "新增城镇就业人数": Decimal("93000"),
        "农村劳动力转移就业": Decimal("137000"),
    }
    value = ProgressValue.objects.get(report=september, target__name="新增城镇就业人数")
    assert value.history.get().history_change_reason == "台账导入：台账.xlsx"
    assert september.history.get().history_user == org.staff


def test_progress_reimport_is_idempotent_and_changes_are_updated(org, ledger_project):
    rows = progress_rows(["01", None, "9月", "新增城镇就业人数", 93000, 100, "x"])
    run(rows, "progress", actor=org.staff)
    again = run(rows, "progress", actor=org.staff)
    assert again.counts == {"unchanged": 1}
    assert not again.written
    assert ProgressValue.history.count() == 1
    rows[2][4] = 94000
    changed = run(rows, "progress", actor=org.staff)
    assert changed.counts == {"changed": 1}
    assert ProgressValue.objects.get().value == 94000
    assert ProgressValue.history.count() == 2


def test_progress_decrease_without_reason_and_locked_reports_are_errors(org, ledger_project, file_report):
    file_report(ledger_project, 8, {"新增城镇就业人数": 80000}, status=ReportStatus.ACCEPTED)
    report = run(
        progress_rows(
            ["01", None, "9月", "新增城镇就业人数", 70000, None, None],
            ["01", None, "8月", "新增城镇就业人数", 81000, None, None],
            ["01", None, "10月", "不存在的指标", 1, None, None],
            ["99", None, "10月", "新增城镇就业人数", 1, None, None],
        ),
        "progress",
        actor=org.staff,
    )
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert "低于8月" in messages[(3, "E")]
    assert "已审核" in messages[(4, "E")]
    assert "没有名为“不存在的指标”的指标" in messages[(5, "D")]
    assert "没有编号为“99”的项目" in messages[(6, "A")]
    assert ProgressReport.objects.count() == 1


def test_progress_decrease_with_correction_reason_is_accepted(org, ledger_project, file_report):
    file_report(ledger_project, 8, {"新增城镇就业人数": 80000})
    rows = [
        ["项目编号", "月份", "指标名称", "累计完成值", "更正说明"],
        ["01", 9, "新增城镇就业人数", 70000, "8月数据重复统计，已核减"],
    ]
    assert run(rows, "progress", actor=org.staff).ok


def test_progress_without_a_plan_asks_for_the_projects_ledger_first(org):
    report = run(progress_rows(["01", None, 9, "x", 1, None, None]), "progress", actor=org.staff)
    assert "请先导入项目台账" in report.problems[0].message
