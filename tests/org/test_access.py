"""org/access.py: the one access policy (named rules, row scoping, the system actor)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from minsheng.errors import PermissionDenied
from org import access
from org.admin_base import RoleScopedAdmin
from org.models import Region, Unit, User
from projects.models import Plan, Project, Target
from supervision.models import Problem


@pytest.fixture
def projects(org, make_project):
    """A city project led by the filer's unit, one led by another unit with the filer's unit cooperating,
    one in 兰山区 and one in 济南 (another city)."""
    own = make_project("01", targets={"人数": 100})
    cooperating = make_project("02", lead_unit=org.edu)
    cooperating.cooperating_units.add(org.hrss)
    lanshan = make_project("03", region=org.lanshan, lead_unit=org.lanshan_gov)
    jinan = make_project("04", region=org.other_city, lead_unit=org.jinan_office)
    return own, cooperating, lanshan, jinan


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


@pytest.mark.django_db
def test_roles_and_named_rules(org):
    anonymous = AnonymousUser()
    assert access.test("edit", org.staff)
    assert access.test("edit", org.admin)
    assert not any(access.test("edit", u) for u in (org.leader, org.auditor, org.filer, anonymous))
    assert access.test("use_admin", org.leader)
    assert not access.test("use_admin", org.filer)
    assert access.test("see_history", org.auditor)
    assert not access.test("see_history", org.leader)
    assert access.test("file", org.filer)
    assert not access.test("file", org.admin)
    assert access.test("manage", org.staff, org.lanshan)  # a county below the city
    assert not access.test("manage", org.county_staff, org.city)  # the city above the county
    assert not access.test("manage", org.staff, org.other_city)
    org.staff.is_active = False
    assert not access.test("edit", org.staff)


@pytest.mark.django_db
def test_restrict_by_region_unit_and_action(org, projects):
    everything = ["01", "02", "03", "04"]
    assert codes(Project.objects.restrict(org.admin)) == everything
    assert codes(Project.objects.restrict(access.SYSTEM)) == everything
    assert codes(Project.objects.restrict(org.staff)) == ["01", "02", "03"]
    assert codes(Project.objects.restrict(org.leader)) == ["01", "02", "03"]
    assert codes(Project.objects.restrict(org.county_staff)) == ["03"]
    # A filer: the projects the unit leads or cooperates on, each once.
    assert codes(Project.objects.restrict(org.filer)) == ["01", "02"]
    assert codes(Project.objects.restrict(AnonymousUser())) == []
    # Changing: leaders and auditors change nothing; staff and filers keep their scope.
    assert codes(Project.objects.restrict(org.leader, access.CHANGE)) == []
    assert codes(Project.objects.restrict(org.auditor, access.CHANGE)) == []
    assert codes(Project.objects.restrict(org.staff, access.CHANGE)) == ["01", "02", "03"]
    # Rows that hang off a project follow it; plans are those holding the filer's projects.
    assert Target.objects.restrict(org.filer).count() == 1
    assert list(Plan.objects.restrict(org.filer)) == [projects[0].plan]
    assert Plan.objects.restrict(org.county_staff).get().region == org.lanshan


@pytest.mark.django_db
def test_accounts_units_and_regions(org):
    assert org.admin not in User.objects.restrict(org.staff)  # administrators' accounts stay private
    assert org.county_staff in User.objects.restrict(org.staff)
    assert org.staff not in User.objects.restrict(org.county_staff)
    assert list(Unit.objects.restrict(org.filer)) == [org.hrss]
    assert set(Region.objects.restrict(org.filer)) == {org.city, org.lanshan, org.luozhuang}


@pytest.mark.django_db
def test_require_speaks_chinese_and_says_which_refusal(org):
    with pytest.raises(PermissionDenied, match="只有民生办"):
        access.require("manage", org.leader, org.city, message="只有民生办工作人员可以办理。", outside="外")
    with pytest.raises(PermissionDenied, match="^外$"):
        access.require(
            "manage", org.county_staff, org.city, message="只有民生办工作人员可以办理。", outside="外"
        )
    with pytest.raises(PermissionDenied, match="请先登录"):
        access.require("edit", AnonymousUser(), message="x")
    access.require("manage", access.SYSTEM, org.city, message="x")  # the system may


def test_system_actor_records_no_user():
    assert access.as_user(access.SYSTEM) is None
    assert access.as_user(None) is None
    assert str(access.SYSTEM) == "系统"


@pytest.mark.django_db
def test_templates_ask_the_same_rules(org):
    template = Template('{% load rules %}{% test_rule "minsheng.use_board" user as ok %}{{ ok }}')
    assert template.render(Context({"user": org.leader})) == "True"
    assert template.render(Context({"user": org.filer})) == "False"


def test_every_scoped_admin_model_declares_its_reach():
    """An admin page shows `restrict(user)`: a model without a Reach would fail at the first request."""
    missing = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, RoleScopedAdmin) and not access.is_restricted(model)
    ]
    assert not missing


def test_no_role_comparison_outside_the_policy():
    """Roles and the administrator flag are read in org/access.py only (demo data excepted)."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    pattern = re.compile(r"is_superuser|\.role (==|!=|in)|Role\.(STAFF|FILER|LEADER|AUDITOR)\b")
    offenders = []
    for app in apps.get_app_configs():
        path = Path(app.path)
        if not path.is_relative_to(root) or path.relative_to(root).parts[0].startswith("."):
            continue
        for file in path.rglob("*.py"):
            relative = file.relative_to(root).as_posix()
            if "migrations/" in relative or "/demo" in relative or relative == "org/access.py":
                continue
            for number, line in enumerate(file.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    for file in (root / "templates").rglob("*.html"):
        text = file.read_text()
        if re.search(r"user\.role|is_superuser", text):
            offenders.append(file.relative_to(root).as_posix())
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
def test_problem_rows_reach_their_unit(org, projects):
    own = Problem.objects.create(
        unit=org.hrss, project=projects[0], source="report", description="台账不全", found_on="2016-05-01"
    )
    Problem.objects.create(
        unit=org.edu, project=projects[1], source="report", description="进度滞后", found_on="2016-05-01"
    )
    assert list(Problem.objects.restrict(org.filer)) == [own]
    assert Problem.objects.restrict(org.staff).count() == 2
    assert Problem.objects.restrict(org.county_staff).count() == 0
