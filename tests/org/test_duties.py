"""三员分立 (issue 15): the 系统管理员, the 安全管理员 and the 审计管理员 each hold powers the others lack, no
account holds two of them, and business staff no longer manage accounts. Every refusal is the server's
(admin URLs, services, rules), not a hidden button."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from minsheng.errors import PermissionDenied
from minsheng.security_events import EventKind, security_event
from notifications.models import Notification
from org import access, services
from org.choices import Role
from org.models import User
from projects.models import Project
from tests.conftest import PASSWORD

NEW_PASSWORD = "Qx7!long-enough-2026"


@pytest.fixture
def events():
    """The changes the test's security events record, as (kind, user, target, detail, result); the refusals
    (403s, which the audit log records too) are the assertions' business, not this list's."""
    seen = []

    def receive(sender, kind, user, target, detail, result, **kwargs):
        if kind != EventKind.REFUSED:
            seen.append((kind, user, target, detail, result))

    security_event.connect(receive, dispatch_uid="test_duties")
    yield seen
    security_event.disconnect(dispatch_uid="test_duties")


def role_url(user):
    return reverse("admin:org_user_powers_detail", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def change_url(user):
    return reverse("admin:org_user_change", args=[user.pk])


# -- the rules -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_administrator_holds_one_power(org):
    table = {
        "manage_accounts": {"sysadmin"},
        "manage_security": {"secadmin"},
        "read_security_log": {"auditadmin"},
        "read_all_history": {"auditadmin", "admin"},
        "edit": {"staff", "county_staff", "jinan_staff", "admin"},
    }
    people = ["staff", "county_staff", "jinan_staff", "leader", "auditor", "filer", "sysadmin", "secadmin"]
    people += ["auditadmin"]
    for rule, holders in table.items():
        for name in people:
            expected = name in holders
            assert access.test(rule, getattr(org, name)) is expected, (rule, name)
    # A break-glass superuser keeps the system's powers but never reads the security log.
    assert access.test("manage_accounts", org.admin)
    assert access.test("manage_security", org.admin)
    assert not access.test("read_security_log", org.admin)
    assert access.test("read_security_log", access.SYSTEM)


@pytest.mark.django_db
def test_administrators_reach_no_business_row(org, make_project):
    make_project("01")
    for name in ("sysadmin", "secadmin", "auditadmin"):
        user = getattr(org, name)
        assert Project.objects.restrict(user).count() == 0, name
        assert User.objects.restrict(user).count() == User.objects.count(), name
    # The 审计管理员 reads every record's history, and changes no account.
    assert access.history_scope(Project.objects.all(), org.auditadmin).count() == 1
    assert access.history_scope(Project.objects.all(), org.sysadmin).count() == 0
    assert User.objects.restrict(org.auditadmin, access.CHANGE).count() == 0
    # Their own inbox is theirs like anyone's.
    mine = Notification.objects.create(user=org.secadmin, event="duties:1", title="测试")
    Notification.objects.create(user=org.staff, event="duties:2", title="测试")
    assert list(Notification.objects.restrict(org.secadmin)) == [mine]
    # Business users never see an administrator's account.
    assert not User.objects.restrict(org.staff).filter(role__in=sorted(access.ADMINISTRATOR_ROLES)).exists()


# -- no account holds two ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_administrator_account_has_no_unit_and_is_no_superuser(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="x1", password=PASSWORD, role=Role.SYSADMIN, unit=org.office)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_superuser(username="x2", password=PASSWORD, role=Role.AUDITADMIN)
    with pytest.raises(ValidationError) as error:
        User(username="x3", role=Role.SECADMIN, unit=org.office).clean()
    assert "不能属于单位" in str(error.value)
    with pytest.raises(ValidationError) as error:
        User(username="x4", role=Role.SECADMIN, is_superuser=True).clean()
    assert "超级用户" in str(error.value)
    # A business role still needs a unit; an administrator's needs none.
    with pytest.raises(ValidationError):
        User(username="x5", role=Role.STAFF).clean()
    User(username="x6", role=Role.AUDITADMIN).clean()
    assert org.sysadmin.is_staff
    assert org.secadmin.is_staff
    assert org.auditadmin.is_staff


# -- 系统管理员 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sysadmin_creates_a_business_account_without_a_role(client, org):
    client.force_login(org.sysadmin)
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "username": "newfiler",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "first_name": "新人",
            "unit": org.hrss.pk,
            "role": Role.AUDITADMIN,  # ignored: not a field of the form
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="newfiler")
    assert account.role == ""
    assert account.unit == org.hrss
    assert not account.is_staff


@pytest.mark.django_db
def test_sysadmin_resets_a_business_password_but_not_an_administrators(client, org, events):
    client.force_login(org.sysadmin)
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    assert client.post(password_url(org.filer), data).status_code == 302
    org.filer.refresh_from_db()
    assert org.filer.check_password(NEW_PASSWORD)
    assert [(e[0], e[1], e[2]) for e in events] == [(EventKind.PASSWORD_CHANGED, org.sysadmin, "user:filer")]
    for other in (org.auditadmin, org.secadmin, org.admin):
        assert client.post(password_url(other), data).status_code == 403
        other.refresh_from_db()
        assert other.check_password(PASSWORD)
    # Nor changes an administrator's account in any other way.
    assert client.post(change_url(org.auditadmin), {"username": "renamed"}).status_code == 403


@pytest.mark.django_db
def test_sysadmin_may_not_give_a_role(client, org, events):
    client.force_login(org.sysadmin)
    assert client.get(role_url(org.filer)).status_code == 403
    assert client.post(role_url(org.filer), {"role": Role.STAFF, "is_active": "on"}).status_code == 403
    org.filer.refresh_from_db()
    assert org.filer.role == Role.FILER
    with pytest.raises(PermissionDenied):
        services.set_powers(org.filer, role=Role.STAFF, is_active=True, actor=org.sysadmin)
    assert events == []


@pytest.mark.django_db
def test_sysadmin_changes_regions_and_units_not_business_data(client, org, make_project):
    project = make_project("01")
    client.force_login(org.sysadmin)
    unit_url = reverse("admin:org_unit_change", args=[org.edu.pk])
    assert client.get(unit_url).status_code == 200
    response = client.post(
        unit_url,
        {"name": "临沂市教育和体育局", "short_name": "市教体局", "kind": "department", "region": org.city.pk},
    )
    assert response.status_code == 302
    org.edu.refresh_from_db()
    assert org.edu.short_name == "市教体局"
    assert client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 403
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 403
    # Out of reach reads as not found (issue 15's probes: never "exists elsewhere").
    assert client.get(reverse("admin:projects_project_history", args=[project.pk])).status_code == 404
    # The API shows no business row either.
    assert client.get("/api/v1/projects/").json()["count"] == 0


# -- 安全管理员 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_secadmin_gives_a_business_role_and_it_is_recorded(
    client, org, events, django_capture_on_commit_callbacks
):
    client.force_login(org.secadmin)
    assert client.get(role_url(org.filer)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(role_url(org.filer), {"role": Role.LEADER, "is_active": "on"})
    assert response.status_code == 302
    org.filer.refresh_from_db()
    assert org.filer.role == Role.LEADER
    assert org.filer.is_staff
    [(kind, user, target, detail, result)] = events
    assert (kind, user, target) == (EventKind.ROLE_CHANGED, org.secadmin, "user:filer")
    assert detail["changed"] == ["role"]
    assert detail["before"] == {"role": Role.FILER}
    assert detail["after"] == {"role": Role.LEADER}


@pytest.mark.django_db
def test_secadmin_deactivates_an_account(client, org, events, django_capture_on_commit_callbacks):
    client.force_login(org.secadmin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(role_url(org.auditadmin), {"role": Role.AUDITADMIN}).status_code == 302
    org.auditadmin.refresh_from_db()
    assert not org.auditadmin.is_active
    assert org.auditadmin.role == Role.AUDITADMIN
    assert events[0][3]["before"] == {"is_active": True}
    assert events[0][3]["after"] == {"is_active": False}


@pytest.mark.django_db
def test_secadmin_cannot_make_an_administrator_or_change_their_own_account(client, org, events):
    client.force_login(org.secadmin)
    response = client.post(role_url(org.staff), {"role": Role.AUDITADMIN, "is_active": "on"})
    assert response.status_code == 200  # the form again, with the choice refused
    offered = dict(response.context["form"].fields["role"].choices)
    assert Role.LEADER in offered
    assert not access.ADMINISTRATOR_ROLES & set(offered)
    org.staff.refresh_from_db()
    assert org.staff.role == Role.STAFF
    with pytest.raises(PermissionDenied):
        services.set_powers(org.staff, role=Role.SYSADMIN, is_active=True, actor=org.secadmin)
    with pytest.raises(PermissionDenied):
        services.set_powers(org.sysadmin, role=Role.STAFF, is_active=True, actor=org.secadmin)
    assert client.post(role_url(org.secadmin), {"role": "", "is_active": "on"}).status_code == 403
    assert events == []


@pytest.mark.django_db
def test_secadmin_neither_creates_accounts_nor_sets_passwords_nor_edits_business_data(
    client, org, make_project
):
    project = make_project("01")
    client.force_login(org.secadmin)
    assert client.get(reverse("admin:org_user_add")).status_code == 403
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    assert client.post(password_url(org.filer), data).status_code == 403
    assert client.post(change_url(org.filer), {"username": "filer", "first_name": "改名"}).status_code == 403
    assert client.get(change_url(org.filer)).status_code == 200  # reads the account
    response = client.post(reverse("admin:projects_project_change", args=[project.pk]), {"name": "改"})
    assert response.status_code == 403
    assert not access.test("read_security_log", org.secadmin)


@pytest.mark.django_db
def test_a_role_needs_a_unit(client, org):
    bare = User.objects.create_user(username="bare", password=PASSWORD)
    client.force_login(org.secadmin)
    response = client.post(role_url(bare), {"role": Role.STAFF, "is_active": "on"})
    assert response.status_code == 200
    assert "有角色的用户必须属于一个单位" in response.content.decode()
    bare.refresh_from_db()
    assert bare.role == ""


# -- 审计管理员 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_auditadmin_reads_history_and_changes_nothing(client, org, make_project):
    project = make_project("01")
    client.force_login(org.auditadmin)
    assert client.get(reverse("admin:projects_project_history", args=[project.pk])).status_code == 200
    history = client.get("/history/")
    assert history.status_code == 200
    assert any(change.model_name == str(Project._meta.verbose_name) for change in history.context["rows"])
    assert client.get(change_url(org.filer)).status_code == 200
    posts = [
        (role_url(org.filer), {"role": Role.STAFF, "is_active": "on"}),
        (change_url(org.filer), {"username": "filer", "first_name": "改名"}),
        (password_url(org.filer), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
        (reverse("admin:org_user_add"), {"username": "sneaky"}),
        (reverse("admin:org_unit_add"), {"name": "新单位", "region": org.city.pk, "kind": "department"}),
        (reverse("admin:org_region_change", args=[org.city.pk]), {"name": "改名"}),
        (reverse("admin:projects_project_change", args=[project.pk]), {"name": "改"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not User.objects.filter(username="sneaky").exists()
    org.filer.refresh_from_db()
    assert org.filer.role == Role.FILER
    assert org.filer.first_name == ""
    # Nor reverts a record from its history (simple_history saves a posted old version).
    version = project.history.earliest()
    url = reverse("admin:projects_project_simple_history", args=[project.pk, version.history_id])
    assert client.get(url).status_code == 200
    project.title = "改过的名称"
    project.save()
    assert client.post(url, {}).status_code == 403
    project.refresh_from_db()
    assert project.title == "改过的名称"
    # The project's record itself is not opened: history only.
    assert client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 403


# -- business staff ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_no_longer_manage_accounts(client, org):
    """The probe: city staff reset the auditor's password, signed in as the auditor, made a new auditor."""
    client.force_login(org.staff)
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    assert client.post(password_url(org.auditor), data).status_code == 403
    org.auditor.refresh_from_db()
    assert org.auditor.check_password(PASSWORD)
    assert client.get(reverse("admin:org_user_add")).status_code == 403
    assert client.get(reverse("admin:org_user_changelist")).status_code == 403
    assert client.post(role_url(org.filer), {"role": Role.STAFF, "is_active": "on"}).status_code == 403
    # Units and regions are read, no longer changed.
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 200
    response = client.post(reverse("admin:org_unit_add"), {"name": "新单位", "region": org.city.pk})
    assert response.status_code == 403


# -- homes and the admin's sidebar -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_land_on_the_admin_and_see_their_areas(client, org, name):
    client.force_login(getattr(org, name))
    assert client.get("/").status_code in (200, 302)
    home = client.get(reverse("workbench:home"))
    assert home.status_code == 302
    assert home["Location"] == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 200
    listed = {entry["admin_url"] for app in response.context["app_list"] for entry in app["models"]}
    assert "/admin/org/user/" in listed
    assert "/admin/org/unit/" in listed
    assert "/admin/projects/project/" not in listed
    assert "/workbench/" not in listed  # the pages of the yearly cycle are not theirs
    assert "/history/" in listed  # the change history: the organisation's, or every record's
    assert client.get("/workbench/").status_code == 403


# -- the console -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_administrator_command(org, monkeypatch, events, django_capture_on_commit_callbacks):
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_administrator", "auditor2", "--role", "auditadmin", "--password-stdin", stdout=out
        )
    account = User.objects.get(username="auditor2")
    assert account.role == Role.AUDITADMIN
    assert account.unit is None
    assert account.is_staff
    assert account.check_password(NEW_PASSWORD)
    assert "审计管理员" in out.getvalue()
    [(kind, user, target, detail, _)] = events
    assert (kind, user, target) == (EventKind.ROLE_CHANGED, None, "user:auditor2")
    assert detail["after"]["role"] == Role.AUDITADMIN
    # An existing account never becomes an administrator after the fact.
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_administrator", "staff", "--role", "sysadmin", "--password-stdin")
    org.staff.refresh_from_db()
    assert org.staff.role == Role.STAFF


@pytest.mark.django_db
def test_a_history_reader_cannot_revert_a_record(client, org, make_project):
    """simple_history's old-version page saves what is posted to it; readers of history only look."""
    project = make_project("01")
    version = project.history.earliest()
    project.title = "改过的名称"
    project.save()
    url = reverse("admin:projects_project_simple_history", args=[project.pk, version.history_id])
    client.force_login(org.auditor)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    project.refresh_from_db()
    assert project.title == "改过的名称"


@pytest.mark.django_db
def test_sysadmin_moving_or_deactivating_an_account_is_recorded(
    client, org, events, django_capture_on_commit_callbacks
):
    client.force_login(org.sysadmin)
    form = client.get(change_url(org.staff)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data["unit"] = org.lanshan_office.pk
    data.pop("is_active")  # an unticked box is absent from the post: deactivated
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(org.staff), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    org.staff.refresh_from_db()
    assert org.staff.unit == org.lanshan_office
    assert not org.staff.is_active
    assert org.staff.role == Role.STAFF  # the role is not the 系统管理员's to change
    [(kind, user, target, detail, _)] = events
    assert (kind, user, target) == (EventKind.ROLE_CHANGED, org.sysadmin, "user:staff")
    assert set(detail["changed"]) == {"unit", "unit_id", "is_active"}
    assert detail["before"]["unit_id"] == org.office.pk
    assert detail["after"]["unit_id"] == org.lanshan_office.pk
