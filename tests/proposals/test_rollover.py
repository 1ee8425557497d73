"""The year rollover: 继续实施 carried with lineage, 退出 marked, 整合归并 into one with every link;
idempotent, from the service and the command."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from projects.choices import ChangeType
from projects.models import Plan, Project
from proposals import services
from proposals.choices import CarryOverDecision
from proposals.models import CarryOver, ProjectLineage

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_end(org, make_project):
    """临沂市 2016 with five projects: two continue, one exits, two merge into one."""
    p = {
        code: make_project(code, title=f"项目{code}", content=f"内容{code}")
        for code in ("01", "02", "03", "04", "05")
    }
    p["01"].cooperating_units.set([org.edu])
    p["05"].lead_unit = org.edu
    p["05"].save()
    services.set_carry_over(p["01"], actor=org.staff, decision=CarryOverDecision.CONTINUE)
    services.set_carry_over(p["02"], actor=org.staff, decision=CarryOverDecision.CONTINUE)
    services.set_carry_over(p["03"], actor=org.staff, decision=CarryOverDecision.EXIT, note="已完成")
    for code in ("04", "05"):
        services.set_carry_over(
            p[code],
            actor=org.staff,
            decision=CarryOverDecision.MERGE,
            merge_code="M1",
            merge_title="城乡养老服务提升",
        )
    return p


def test_rollover_continues_exits_and_merges(org, year_end):
    result = services.rollover(org.city, 2016, actor=org.staff)
    plan = Plan.objects.get(region=org.city, year=2017)
    assert result.summary() == "继续实施2项，退出1项，整合归并为1项。"
    continued = Project.objects.get(plan=plan, code="01")
    assert (continued.predecessor, continued.change_type, continued.title) == (
        year_end["01"],
        ChangeType.CONTINUED,
        "项目01",
    )
    assert list(continued.cooperating_units.all()) == [org.edu]
    merged = Project.objects.get(plan=plan, code="M1")
    assert (merged.title, merged.change_type, merged.predecessor) == (
        "城乡养老服务提升",
        ChangeType.MERGED,
        year_end["04"],
    )
    assert merged.content == "内容04\n内容05"
    # Both merged projects keep their link to the one project; 市教育局 led one of them and now cooperates.
    assert set(
        ProjectLineage.objects.filter(successor=merged).values_list("predecessor__code", flat=True)
    ) == {
        "04",
        "05",
    }
    assert org.edu in merged.cooperating_units.all()
    assert not Project.objects.filter(plan=plan, code="03").exists()
    exited = CarryOver.objects.get(project=year_end["03"])
    assert exited.done_at is not None
    assert exited.successor is None
    assert set(Project.objects.filter(plan=plan).values_list("code", flat=True)) == {"01", "02", "M1"}


def test_rollover_twice_changes_nothing(org, year_end):
    services.rollover(org.city, 2016, actor=org.staff)
    counts = (Project.objects.count(), ProjectLineage.objects.count(), Plan.objects.count())
    history = Project.history.count()
    again = services.rollover(org.city, 2016, actor=org.staff)
    assert not again.changed
    assert (Project.objects.count(), ProjectLineage.objects.count(), Plan.objects.count()) == counts
    assert Project.history.count() == history


def test_carry_over_cannot_change_once_done(org, year_end):
    services.rollover(org.city, 2016)
    with pytest.raises(InvalidTransition, match="已于"):
        services.set_carry_over(year_end["03"], actor=org.staff, decision=CarryOverDecision.CONTINUE)


def test_merge_needs_target_code_and_title(org, make_project):
    project = make_project("09")
    with pytest.raises(DomainError, match="编号和名称"):
        services.set_carry_over(project, actor=org.staff, decision=CarryOverDecision.MERGE, merge_code="M2")


def test_code_clash_in_next_year_is_refused_whole(org, year_end, make_project):
    make_project("02", year=2017, title="已有项目")
    with pytest.raises(DomainError, match="已有编号为“02”"):
        services.rollover(org.city, 2016)
    assert Project.objects.filter(plan__year=2017).count() == 1
    assert not CarryOver.objects.filter(done_at__isnull=False).exists()


def test_only_staff_of_the_region_roll_over(org, year_end):
    for outsider in (org.leader, org.auditor, org.jinan_staff, org.county_staff):
        with pytest.raises(PermissionDenied):
            services.rollover(org.city, 2016, actor=outsider)
    assert not Plan.objects.filter(year=2017).exists()


def test_command_rolls_over_once(org, year_end, capsys):
    call_command("rollover", region="371300", year=2016)
    out = capsys.readouterr().out
    assert "继续实施2项，退出1项，整合归并为1项" in out
    assert "继续实施：01 项目01" in out
    call_command("rollover", region="371300", year=2016)
    assert "没有待结转的项目" in capsys.readouterr().out
    assert Project.objects.filter(plan__year=2017).count() == 3


def test_next_code_moves_a_leading_year_only():
    assert services.next_code("2017-D01", 2017) == "2018-D01"
    assert services.next_code("S-12", 2017) == "S-12"


def test_command_reports_missing_plan_or_region(org):
    with pytest.raises(CommandError, match="没有2015年的年度计划"):
        call_command("rollover", region="371300", year=2015)
    with pytest.raises(CommandError, match="不存在"):
        call_command("rollover", region="999999", year=2016)


def test_merge_into_a_project_already_in_next_years_plan(org, year_end, make_project):
    target = make_project("M1", year=2017, title="已立项的养老服务项目")
    result = services.rollover(org.city, 2016, actor=org.staff)
    assert result.merged == []
    links = ProjectLineage.objects.filter(successor=target)
    assert set(links.values_list("predecessor__code", "change_type")) == {
        ("04", ChangeType.MERGED),
        ("05", ChangeType.MERGED),
    }
    assert CarryOver.objects.get(project=year_end["05"]).successor == target
    assert Project.objects.filter(plan__year=2017, code="M1").count() == 1


def test_rollover_queries_do_not_grow_with_the_plan(org, make_project):
    def queries(year, n):
        for i in range(n):
            project = make_project(f"{year}-{i:02d}", year=year)
            decision = [CarryOverDecision.CONTINUE, CarryOverDecision.EXIT, CarryOverDecision.MERGE][i % 3]
            services.set_carry_over(
                project, actor=org.staff, decision=decision, merge_code="M", merge_title="归并"
            )
        with CaptureQueriesContext(connection) as ctx:
            services.rollover(org.city, year)
        return len(ctx)

    assert queries(2014, 3) == queries(2016, 30)
