"""The one access policy of minsheng: which rows a user may see or change, and who may do what.

Rows. Every model's queryset declares, as a `Reach`, how its rows reach a region and a unit;
`restrict(queryset, user, action)` (and `RestrictedQuerySet.restrict`) is the only place that turns that
into a filter, in the spirit of NetBox's `RestrictedQuerySet.restrict(user, action)`:

- 民生办 staff, leaders and auditors see the rows of their region and the regions below it;
- a unit's filer sees the rows addressed to their unit (`Reach.units`), or none when a model has no unit;
- rows that hang off another row (`Reach.via`: a target, a report, an attachment) follow that row;
- to change rows ("change"), one must be allowed to edit at all: staff (their region and below), a filer
  (their unit's rows); leaders and auditors change nothing;
- the system itself (the scheduler, management commands: `SYSTEM`) and a break-glass superuser see all;
- the three administrators (below) see the organisation's rows (regions, units, accounts:
  `Reach.administered`) and no business row.

The three administrators (三员分立, 等保 2.0 level 3). The daily superuser is gone: administration is split
between three roles (`Role.SYSADMIN`, `Role.SECADMIN`, `Role.AUDITADMIN`), one per account (the role field
holds one value, and a check constraint keeps an administrator's account without a unit and not a superuser),
so no single person can create an account, give it power and erase the traces:

- 系统管理员 (`manage_accounts`): creates business accounts, edits their profile and unit, resets their
  passwords, deactivates them; regions and units; system settings. No role or permission, no business data,
  no security log; the change history of the organisation only (regions, units, accounts).
- 安全管理员 (`manage_security`): gives business accounts their role (the only power an account has:
  permissions follow the role), activates and deactivates any account but their own, lockouts, second-factor
  resets, security settings. Creates no account, sets no password; no business data, no security log.
- 审计管理员 (`read_security_log`, `read_all_history`): reads the security audit log and the change history of
  every record (`history_scope`); changes nothing.

An administrator's account is made, given its role and has its password reset only on the server's console
(`manage.py create_administrator`, `manage.py changepassword`), never in the web admin: whoever could reset
another administrator's password there could sign in as them.

The superuser (`createsuperuser`) is kept as break-glass only: no demo or documented account is one, it is
created on the console for an emergency (the last 安全管理员 gone, a restore), holds the system's powers
(`is_administrator`) but not the security log, so whoever breaks the glass cannot read or tidy the record
of having done it; its sign-ins are recorded like anyone's. Accounts are deactivated, never deleted.

Acts. "May do X" checks are named predicates of the `rules` package, registered below as `minsheng.<name>`
rules, so services (`require`), the admin, the API, the pages and the templates (`{% load rules %}
{% test_rule "minsheng.edit" user as can_edit %}`) ask the same question. Nothing else in the code base
compares roles or reads `is_superuser`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.db import models
from django.db.models import Q

from minsheng.errors import PermissionDenied

from .choices import Role

# ---------------------------------------------------------------------------------------------------------
# The system actor


class SystemActor:
    """The office's own machinery acting (the scheduler, management commands): sees and may do everything,
    records no user as the author of what it does."""

    pk = id = None
    unit = unit_id = None
    role = ""
    username = "system"
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __str__(self) -> str:
        return "系统"

    def __repr__(self) -> str:
        return "SYSTEM"

    def get_full_name(self) -> str:
        return "系统"


SYSTEM = SystemActor()


def as_user(actor):
    """The user to record as the author of an act: None for the system."""
    return None if actor is None or isinstance(actor, SystemActor) else actor


# ---------------------------------------------------------------------------------------------------------
# Predicates: who a user is


@rules.predicate
def is_system(user) -> bool:
    return isinstance(user, SystemActor)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_administrator(user) -> bool:
    """The system itself or a break-glass superuser: every region, every act (not the security log)."""
    return is_system(user) or bool(is_signed_in(user) and getattr(user, BREAK_GLASS_FIELD))


def _role(*roles: str):
    wanted = frozenset(roles)

    def check(user) -> bool:
        return bool(is_signed_in(user) and not is_administrator(user) and user.role in wanted)

    check.__name__ = "role_" + "_".join(sorted(wanted))
    return rules.predicate(check)


is_office_staff = _role(Role.STAFF)
is_filer = _role(Role.FILER)
is_leader = _role(Role.LEADER)
is_auditor = _role(Role.AUDITOR)
is_sysadmin = _role(Role.SYSADMIN)
is_secadmin = _role(Role.SECADMIN)
is_auditadmin = _role(Role.AUDITADMIN)

# The business roles (issue 15 leaves them as they were): they work on the yearly cycle's records.
BUSINESS_ROLES = frozenset({Role.STAFF, Role.FILER, Role.LEADER, Role.AUDITOR})
# 三员分立: the three administrators; an account holds at most one (one role field).
ADMINISTRATOR_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
# Business roles that work in the admin; filers use the unit-facing forms and the API.
RECORD_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.AUDITOR})
# Roles that open the admin at all (is_staff follows from the role).
ADMIN_ROLES = RECORD_ROLES | ADMINISTRATOR_ROLES
# Business roles that may read the change history of records.
HISTORY_ROLES = frozenset({Role.STAFF, Role.AUDITOR})

is_one_of_three = _role(*ADMINISTRATOR_ROLES)

# Accounts (not acts). The break-glass flag, and the accounts only administrators see and only the console
# changes: superusers and the three administrators (they need no unit).
BREAK_GLASS_FIELD = "is_superuser"
ADMINISTRATOR_ACCOUNT = Q(**{BREAK_GLASS_FIELD: True}) | Q(role__in=sorted(ADMINISTRATOR_ROLES))
# The database's view of 三员分立: an administrator's account has no unit and is no superuser.
ADMINISTRATOR_STANDS_ALONE = ~Q(role__in=sorted(ADMINISTRATOR_ROLES)) | Q(
    unit__isnull=True, **{BREAK_GLASS_FIELD: False}
)


def is_break_glass_account(user) -> bool:
    return bool(getattr(user, BREAK_GLASS_FIELD, False))


def is_administrator_account(user) -> bool:
    """A superuser's or one of the three administrators' account: no unit, managed on the console only."""
    return is_break_glass_account(user) or user.role in ADMINISTRATOR_ROLES


def is_administrator_role(role: str) -> bool:
    return role in ADMINISTRATOR_ROLES


def make_administrator(user, role: str) -> None:
    """Give an account (not yet saved) one of the three administrator roles: no unit, the admin's door."""
    if role not in ADMINISTRATOR_ROLES:
        raise ValueError(f"{role!r} is not an administrator role")
    user.role = role
    user.unit = None
    setattr(user, BREAK_GLASS_FIELD, False)
    user.is_staff = True


def is_admin_role(role: str) -> bool:
    return role in ADMIN_ROLES


def grantable_roles() -> list[tuple[str, str]]:
    """The roles an account may be given in the web admin: the business roles, never an administrator's
    (those are given on the console)."""
    return [(value, label) for value, label in Role.choices if value in BUSINESS_ROLES]


# Issue 15 (twofactor/): who must pass the second factor after the password. settings.
# MINSHENG_OTP_REQUIRED_ROLES lists roles, "administrator" for administrators' accounts, or "*" for every
# account that signs in (the default).
def needs_second_factor(user) -> bool:
    from django.conf import settings

    if not is_signed_in(user):
        return False
    listed = settings.MINSHENG_OTP_REQUIRED_ROLES
    if "*" in listed:
        return True
    if is_administrator_account(user):
        return "administrator" in listed
    return bool(user.role) and user.role in listed


may_edit = is_administrator | is_office_staff
may_use_admin = is_administrator | _role(*ADMIN_ROLES)
# The business records in the admin (projects, reports, funding...): the roles of the yearly cycle only.
may_read_records = is_administrator | _role(*RECORD_ROLES)
may_read_dashboard = may_read_records
may_use_board = may_read_records
may_use_workbench = may_edit
may_see_history = (
    is_administrator
    | is_auditadmin
    | (_role(*HISTORY_ROLES) & rules.predicate(lambda u: u.unit_id is not None))
)
# The organisation (regions, units): what the business roles read, and what the three administrators read.
may_read_organisation = may_read_records | is_one_of_three
may_see_organisation_history = may_see_history | is_sysadmin | is_secadmin
# Accounts: only administrators see them (business staff no longer manage accounts: issue 15).
may_read_accounts = is_administrator | is_one_of_three
may_manage_accounts = is_administrator | is_sysadmin
may_manage_security = is_administrator | is_secadmin
# The security audit log: the 审计管理员 (and the system's own commands: verify, archive). Not a superuser:
# whoever breaks the glass does not read or tidy the record of it.
may_read_security_log = is_system | is_auditadmin
# Any history page at all (the 最近修改 page lists only the kinds of record each may read).
may_read_some_history = may_see_history | may_see_organisation_history
# A signed-in user with a unit and a business role: the only kind that sees any region's rows.
has_reach = rules.predicate(
    lambda u: (
        is_administrator(u) or bool(is_signed_in(u) and u.role in BUSINESS_ROLES and u.unit_id is not None)
    )
)


def user_region(user):
    """The region whose subtree the user works in; None for administrators (everything) and the unplaced."""
    if is_administrator(user) or not has_reach(user):
        return None
    return user.unit.region


# ---------------------------------------------------------------------------------------------------------
# Predicates on an object


def _region_of(obj):
    """The region an object belongs to: a Region itself, or its `.region`, its plan's or its project's."""
    from .models import Region

    if isinstance(obj, Region):
        return obj
    for path in ("region", "plan.region", "project.plan.region", "round.region", "unit.region"):
        current = obj
        for name in path.split("."):
            current = getattr(current, name, None)
            if current is None:
                break
        if isinstance(current, Region):
            return current
    raise TypeError(f"{obj!r} does not reach a region")


@rules.predicate
def covers(user, obj) -> bool:
    """The object (a region, or a row of a region) lies within the user's region."""
    if is_administrator(user):
        return True
    region = user_region(user)
    return region is not None and _region_of(obj).path.startswith(region.path)


@rules.predicate
def sees(user, obj) -> bool:
    """The row is among those the user may see (its model's `restrict(user)`)."""
    if is_administrator(user):
        return True
    return type(obj)._default_manager.all().restrict(user).filter(pk=obj.pk).exists()


@rules.predicate
def in_unit(user, unit) -> bool:
    """The user belongs to the unit (a Unit or its id)."""
    unit_id = getattr(unit, "pk", unit)
    return bool(is_signed_in(user) and unit_id is not None and user.unit_id == unit_id)


@rules.predicate
def leads(user, project) -> bool:
    """A filer of the project's lead unit."""
    return bool(is_filer(user) and user.unit_id == project.lead_unit_id)


@rules.predicate
def cooperates(user, project) -> bool:
    """A filer of one of the project's cooperating units."""
    return bool(is_filer(user) and project.cooperating_units.filter(pk=user.unit_id).exists())


@rules.predicate
def did_the_work(user, obj) -> bool:
    """The user did the work under review: submitted the report, planned or submitted the rectification,
    answered the 督办单 (each model names its authors in `authors()`)."""
    return bool(is_signed_in(user) and user.pk is not None and user.pk in obj.authors())


may_manage = may_edit & covers  # 民生办 staff of the object's region or a region above it
may_manage_project = may_edit & sees

RULES = {
    "edit": may_edit,
    "use_admin": may_use_admin,
    "read_dashboard": may_read_dashboard,
    "use_board": may_use_board,
    "use_workbench": may_use_workbench,
    "see_history": may_see_history,
    "file": is_filer,
    "is_leader": is_leader,
    "is_auditor": is_auditor,
    "administer": is_administrator,
    "manage": may_manage,
    "manage_project": may_manage_project,
    "lead": leads,
    "write_report": may_edit | leads,  # a project's monthly report: staff, or a filer of its lead unit
    "cooperate": cooperates,
    "member": in_unit,
    "see": sees,
    # Four eyes: whoever did the work does not review it, administrators included.
    "review": ~did_the_work,
    # The three administrators (三员分立, issue 15; see the module docstring).
    "manage_accounts": may_manage_accounts,  # 系统管理员: accounts, units, regions, system settings
    "manage_security": may_manage_security,  # 安全管理员: roles, lockouts, second factors, security settings
    "read_security_log": may_read_security_log,  # 审计管理员: the security audit log
    "read_all_history": is_administrator | is_auditadmin,  # the change history of every record
    "read_records": may_read_records,
    "read_organisation": may_read_organisation,
    "see_organisation_history": may_see_organisation_history,
    "read_accounts": may_read_accounts,
    "read_some_history": may_read_some_history,
    "sysadmin": is_sysadmin,
    "secadmin": is_secadmin,
    "auditadmin": is_auditadmin,
    "one_of_three": is_one_of_three,
}
for _name, _predicate in RULES.items():
    rules.add_rule(f"minsheng.{_name}", _predicate)


def test(name: str, user, obj=None) -> bool:
    """Whether the named rule (a key of RULES) holds."""
    return rules.test_rule(f"minsheng.{name}", user, obj)


def require(name: str, user, obj=None, *, message: str, outside: str | None = None) -> None:
    """Raise PermissionDenied (a Chinese message, 403 on the API) unless the named rule holds.

    For the `manage*` rules, `outside` is the message when the user may edit but the object lies outside
    their region (so they learn which of the two it was).
    """
    if user is None or not is_signed_in(user):
        raise PermissionDenied("请先登录。")
    if test(name, user, obj):
        return
    if outside and name.startswith("manage") and may_edit(user):
        raise PermissionDenied(outside)
    raise PermissionDenied(message)


# ---------------------------------------------------------------------------------------------------------
# Rows


@dataclass(frozen=True)
class Reach:
    """How a model's rows reach a region and a unit (declared on its queryset as `reach`).

    region: lookup from a row to the materialised path of its region ("plan__region__path"), or "path"
        for Region itself.
    units: lookups from a row to the units it is addressed to; a filer sees the rows of their unit.
    via: lookup to the row this one belongs to (a target's "project"): its rows follow that row's reach.
    owner: lookup to the one user a row belongs to (a notification): only they see it.
    filers_read_region: filers read the region's rows too (regions, bulletins, ledger imports).
    drafts: rows only those who may edit see (a bulletin not yet issued).
    private: rows only administrators see (administrators' own accounts).
    administered: the organisation's rows (regions, units, accounts): the three administrators see them all.
    """

    region: str | None = None
    units: tuple[str, ...] = ()
    via: str | None = None
    owner: str | None = None
    filers_read_region: bool = False
    drafts: Q | None = None
    private: Q | None = None
    administered: bool = False


VIEW = "view"
CHANGE = "change"


def _is_multivalued(model, lookup: str) -> bool:
    """Whether a lookup crosses a to-many relation (a filter on it would repeat rows)."""
    for name in lookup.split("__"):
        try:
            f = model._meta.get_field(name)
        except Exception:  # a transform such as `path`'s lookups: stop walking
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        model = f.related_model
    return False


def _related_model(model, lookup: str):
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def _unit_q(model, lookups: Iterable[str], unit_id: int) -> Q:
    q = Q()
    for lookup in lookups:
        if _is_multivalued(model, lookup):
            q |= Q(pk__in=model._default_manager.filter(**{lookup: unit_id}).values("pk"))
        else:
            q |= Q(**{lookup: unit_id})
    return q


def _administered(queryset: models.QuerySet, reach: Reach, user, action: str) -> models.QuerySet:
    """The rows one of the three administrators reaches: the organisation they administer (what each may do
    with it, the admin's rules decide), no business row (the 审计管理员 reads their history through
    history_scope)."""
    if reach.administered and (action == VIEW or not is_auditadmin(user)):
        return queryset
    return queryset.none()


def restrict(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    """The rows of `queryset` that `user` may see ("view") or change ("change")."""
    reach: Reach | None = getattr(queryset, "reach", None)
    if reach is None:
        raise TypeError(f"{queryset.model.__name__} declares no Reach: add one to its queryset")
    if is_administrator(user):
        return queryset
    if not is_signed_in(user):
        return queryset.none()
    if is_one_of_three(user) and not reach.owner:  # their own rows (an inbox) are theirs like anyone's
        return _administered(queryset, reach, user, action)
    if action == CHANGE and not (may_edit(user) or is_filer(user)):
        return queryset.none()
    if reach.private is not None:
        queryset = queryset.exclude(reach.private)
    if reach.owner:
        return queryset.filter(**{reach.owner: user.pk})
    if reach.via:
        parent = _related_model(queryset.model, reach.via)
        return queryset.filter(**{f"{reach.via}__in": restrict(parent._default_manager.all(), user, action)})
    if not has_reach(user):
        return queryset.none()
    if reach.drafts is not None and not may_edit(user):
        queryset = queryset.exclude(reach.drafts)
    if is_filer(user):
        if reach.filers_read_region and action == VIEW:
            return queryset.filter(**{f"{reach.region}__startswith": user.unit.region.path})
        if not reach.units:
            return queryset.none()
        return queryset.filter(_unit_q(queryset.model, reach.units, user.unit_id))
    if action == CHANGE and not may_edit(user):
        return queryset.none()
    return queryset.filter(**{f"{reach.region}__startswith": user.unit.region.path})


def history_scope(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows whose change history `user` may read: every row for the 审计管理员 (who reads all history
    and no record), the rows they may see for everyone else."""
    if is_auditadmin(user):
        return queryset
    return restrict(queryset, user)


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows its model's Reach: `Model.objects.restrict(user)` is what `user` may see."""

    reach: Reach | None = None

    def restrict(self, user, action: str = VIEW):
        return restrict(self, user, action)


def is_restricted(model) -> bool:
    """Whether a model's rows are scoped by the policy (its default manager's queryset has a Reach)."""
    return getattr(model._default_manager.none(), "reach", None) is not None


# ---------------------------------------------------------------------------------------------------------
# Who receives what (the recipients of notifications are chosen by role, here)


def unit_filers(unit_ids):
    """The active filers of the given units: the people who answer for a unit."""
    from .models import User

    return User.objects.filter(unit_id__in=list(unit_ids), role=Role.FILER, is_active=True)


def region_staff(region_ids):
    """The active 民生办 staff of the given regions."""
    from .models import User

    return User.objects.filter(unit__region_id__in=list(region_ids), role=Role.STAFF, is_active=True)


def home_role(user) -> str:
    """Which home a user lands on: office, leader, auditor, filer, administrator (one of the three: the
    admin's index, showing their areas), or none (no role yet) / anonymous."""
    if not is_signed_in(user):
        return "anonymous"
    if is_one_of_three(user):
        return "administrator"
    if may_edit(user):
        return "office"
    if is_leader(user):
        return "leader"
    if is_auditor(user):
        return "auditor"
    if is_filer(user):
        return "filer"
    return "none"


def project_role(user, project) -> str:
    """A user's part in a project they may see: lead / part (cooperating unit) / staff / viewer."""
    if is_filer(user):
        return "lead" if user.unit_id == project.lead_unit_id else "part"
    if may_edit(user):
        return "staff"
    return "viewer"
