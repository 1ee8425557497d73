"""The permission matrix: every API endpoint (from the OpenAPI schema), every page (from the URL
configuration) and every admin list and change page (from the admin's registry) for every role, against
the demo's regions and units, and an oracle written here in plain attribute terms, apart from
org/access.py's SQL lookups.

Scope cases come from the demo: the city's staff, leader and auditor (their region and its counties), a
county's staff (own county; the city above and other regions out of reach), the city's filer (own unit;
other units out of reach), the three administrators of 三员分立 (the organisation's rows, no business row),
a break-glass superuser, a user with no role, and anonymous visitors.

A list must return exactly the rows the oracle allows (no leak, nothing legitimate missing); a detail
answers 200 exactly when the oracle allows, else 404; nothing answers 500. A new endpoint over a model
the oracle does not know, or a new page with a parameter, fails the test until it is classified here.
"""

import collections
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from bulletins.models import Bulletin
from fixtures.demo.loader import load_demo
from funding.models import Entry
from minsheng.api import RestrictedViewSetMixin
from notifications.models import Notification
from org.choices import Role
from org.models import Region, Unit, User
from projects.models import ProgressReport, Project, ReportAttachment
from proposals.models import Candidate, CollectionRound, DecisionStep, Proposal
from supervision.models import Alert, Inspection, Problem, SupervisionOrder
from tests.clients import VerifiedClient

PASSWORD = "matrix-2026"


# -- the oracle ---------------------------------------------------------------------------------------------


def _walk(obj, path):
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


# model -> (attribute path to the row's region, attribute paths to the units a filer reaches through,
#           whether filers read the region's rows)
ANCHORS = {
    Region: ("", (), True),
    Unit: ("region", ("",), False),
    Project: ("plan.region", ("lead_unit", "cooperating_units*"), False),
    ProgressReport: ("project.plan.region", ("project.lead_unit", "project.cooperating_units*"), False),
    ReportAttachment: (
        "report.project.plan.region",
        ("report.project.lead_unit", "report.project.cooperating_units*"),
        False,
    ),
    Entry: ("project.plan.region", ("project.lead_unit", "project.cooperating_units*"), False),
    Alert: ("project.plan.region", ("unit",), False),
    SupervisionOrder: ("unit.region", ("unit",), False),
    Problem: ("unit.region", ("unit",), False),
    Inspection: ("region", (), False),
    CollectionRound: ("region", (), False),
    Proposal: ("round.region", ("proposer_unit",), False),
    Candidate: ("region", (), False),
    DecisionStep: ("candidate.region", (), False),
    Bulletin: ("region", (), True),
}


def _units(obj, paths) -> set[int]:
    found = set()
    for path in paths:
        many = path.endswith("*")
        path = path.rstrip("*")
        target = _walk(obj, path) if path else obj
        if many:
            found |= {u.pk for u in target.all()}
        elif target is not None:
            found.add(target.pk)
    return found


def may_see(who, obj) -> bool:
    """What the README promises each role, as plain attribute checks."""
    user = who.user
    if isinstance(obj, Notification):  # an inbox: one's own, for everyone (administrators included)
        return user is not None and obj.user_id == user.pk
    if who.name in ("anonymous", "norole"):
        return False
    if who.name == "admin":
        return True
    if who.name in ADMINISTRATORS:  # the organisation they administer; no business row
        return isinstance(obj, (Region, Unit))
    region_path, unit_paths, filers_read = ANCHORS[type(obj)]
    region = _walk(obj, region_path) if region_path else obj
    within = region.path.startswith(user.unit.region.path)
    if isinstance(obj, Bulletin) and obj.status != "issued" and user.role != Role.STAFF:
        return False
    if user.role == Role.FILER:
        if filers_read:
            return within
        return user.unit_id in _units(obj, unit_paths)
    return within


# The three administrators (三员分立), by the name the matrix gives them.
ADMINISTRATORS = ("sysadmin", "secadmin", "auditadmin")

# -- the world ------------------------------------------------------------------------------------------

Who = collections.namedtuple("Who", "name user")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (rolled back after), with a password every role signs in with."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        by_name = {u.username: u for u in User.objects.all()}
        User.objects.create_user(username="norole", password=PASSWORD)
        User.objects.create_superuser(username="breakglass", password=PASSWORD)  # no demo account is one
        for user in by_name.values():
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        people = [
            Who("anonymous", None),
            Who("norole", User.objects.get(username="norole")),
            Who("admin", User.objects.get(username="breakglass")),
            Who("sysadmin", by_name["xitong"]),
            Who("secadmin", by_name["anquan"]),
            Who("auditadmin", by_name["shenjiguan"]),
            Who("staff", by_name["minshengban"]),
            Who("leader", by_name["lingdao"]),
            Who("auditor", by_name["shenji"]),
            Who("filer", by_name["tianbao"]),
            Who("county_staff", by_name["lanshan"]),
        ]
        # A notification for two people, so inboxes have something to keep apart.
        Notification.objects.create(user=by_name["tianbao"], event="matrix:1", title="测试")
        Notification.objects.create(user=by_name["minshengban"], event="matrix:2", title="测试")
        yield people
        transaction.set_rollback(True)


def client_for(who) -> Client:
    client = VerifiedClient()
    if who.user is not None:
        assert client.login(username=who.user.username, password=PASSWORD)
    return client


def sample(model, limit=14):
    """Rows of a model spread over its regions and units: one per (region, unit) anchor, up to `limit`."""
    if model is Notification:
        return list(Notification.objects.all())
    region_path, unit_paths, _ = ANCHORS[model]
    picked = {}
    for obj in model._default_manager.all().order_by("pk")[:400]:
        region = _walk(obj, region_path) if region_path else obj
        key = (region.pk, tuple(sorted(_units(obj, [p for p in unit_paths if not p.endswith("*")]))))
        picked.setdefault(key, obj)
    return list(picked.values())[:limit]


# -- the API ----------------------------------------------------------------------------------------------


def api_endpoints():
    """GET operations of the schema with the view class behind each."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        params = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "path"]
        probe = path
        for name in params:
            probe = probe.replace("{" + name + "}", "371300" if name == "code" else "1")
        view = getattr(resolve(probe).func, "cls", None)
        yield path, params, view


def _ids(response, key):
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return {row[key] for row in rows}


@pytest.mark.django_db
def test_api_matrix(world):  # noqa: C901 (one table of every operation and identity)
    problems = []
    scoped = 0
    for path, params, view in api_endpoints():
        restricted = view is not None and issubclass(view, RestrictedViewSetMixin)
        model = view.queryset.model if restricted else None
        if restricted and model not in ANCHORS:
            problems.append(f"{path}: {model.__name__} has no oracle in ANCHORS")
            continue
        is_notifications = path.startswith("/api/v1/notifications/")
        for who in world:
            client = client_for(who)
            if not params:
                response = client.get(path, {"page_size": 500})
                if response.status_code >= 500:
                    problems.append(f"{who.name} GET {path}: {response.status_code}")
                if who.user is None and not view_is_public(view) and response.status_code < 400:
                    problems.append(f"anonymous GET {path}: {response.status_code}, expected a refusal")
                if not (restricted or is_notifications) or response.status_code != 200:
                    if (restricted or is_notifications) and who.name not in ("anonymous", "norole"):
                        problems.append(f"{who.name} GET {path}: {response.status_code}")
                    continue
                scoped += 1
                key = "code" if model is Region else "id"
                rows = Notification.objects.all() if is_notifications else model._default_manager.all()
                expected = {getattr(o, "code" if key == "code" else "pk") for o in rows if may_see(who, o)}
                got = _ids(response, key)
                if got - expected:
                    problems.append(f"{who.name} GET {path}: leaks {sorted(got - expected)[:5]}")
                if expected - got:
                    problems.append(f"{who.name} GET {path}: misses {sorted(expected - got)[:5]}")
                continue
            if not (restricted or is_notifications) or len(params) != 1:
                continue
            for obj in sample(Notification if is_notifications else model):
                value = obj.code if params[0] == "code" else obj.pk
                url = path.replace("{" + params[0] + "}", str(value))
                response = client.get(url)
                allowed = may_see(who, obj)
                scoped += 1
                if response.status_code >= 500:
                    problems.append(f"{who.name} GET {url}: {response.status_code}")
                elif allowed and response.status_code != 200:
                    problems.append(f"{who.name} GET {url}: refused ({response.status_code})")
                elif not allowed and response.status_code == 200:
                    problems.append(f"{who.name} GET {url}: leaks {type(obj).__name__} {obj.pk}")
    assert not problems, "\n".join(problems)
    assert scoped > 500  # the walk reached the scoped endpoints for every role


def view_is_public(view) -> bool:
    from rest_framework.permissions import AllowAny

    return view is not None and any(p is AllowAny for p in getattr(view, "permission_classes", []))


# -- the pages -------------------------------------------------------------------------------------------

# Pages with a parameter name the row they show; the oracle decides who may open it.
PAGE_ROWS = {
    "filing:report": (Project, lambda p: {"pk": p.pk, "month": 5}),
    "filing:attachment": (ReportAttachment, lambda a: {"pk": a.pk}),
    "supervision:order": (SupervisionOrder, lambda o: {"pk": o.pk}),
    "supervision:problem": (Problem, lambda p: {"pk": p.pk}),
}
# Actions answered only to POST (their refusals are covered by the services' and views' own tests).
POST_ONLY = {
    "filing:review_report",
    "filing:submit_report",
    "filing:delete_attachment",
    "notifications:read",
    "notifications:read_all",
    "logout",
    "filing:logout",
    "twofactor:sms",  # issue 15: the second step's SMS code and new recovery codes
    "twofactor:recovery",
    "accounts:end_session",  # issue 15: its refusals are in tests/accounts/test_sessions.py
}
PUBLIC = {"healthz", "login", "filing:login"}  # and the public portal's namespace, publicity
# The second step of signing in (issue 15): each user's own, covered by tests/twofactor/.
SIGN_IN_STEPS = {"twofactor:verify", "twofactor:enrol"}
# Private files by name (issue 15): each kind's access is walked in tests/web/test_private_files.py.
COVERED_ELSEWHERE = {"private-file"}


# Who opens the pages without a parameter (the README's table of roles); everyone else is refused.
def page_allowed(name: str, who) -> bool:
    role = "admin" if who.name == "admin" else (who.user.role if who.user else None)
    office = role in ("admin", Role.STAFF)
    readers = office or role in (Role.LEADER, Role.AUDITOR)
    signed_in = who.user is not None
    rules = {
        # Lists of one's own rows: anyone signed in opens them and sees what their scope holds (the API
        # matrix checks the rows); a user with no role sees an empty list.
        "filing:home": signed_in,
        "filing:review": office,
        "notifications:inbox": who.user is not None,
        "supervision:board": readers,
        "supervision:alerts": signed_in,
        "supervision:orders": signed_in,
        "supervision:problems": signed_in,
        "dashboard:index": readers,
        "workbench:home": bool(role),  # sends each role to its home; no role yet: refused with a note
        "workbench:index": office,
        # The change history: the 审计管理员 every record's, the other two the organisation's.
        "workbench:history": office or role == Role.AUDITOR or who.name in ADMINISTRATORS,
        # Issue 15: every account changes its own password and sees its own sessions.
        "accounts:password_change": signed_in,
        "accounts:sessions": signed_in,
    }
    return rules[name]


def is_login(location: str) -> bool:
    return resolve(urlsplit(location).path).url_name == "login"


def page_patterns():
    def walk(resolver, prefix="", namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if route.startswith(("admin/", "api/", "static/", "media/")):
                    continue
                yield ":".join(filter(None, [namespace, pattern.name])), pattern

    yield from walk(get_resolver())


@pytest.mark.django_db
def test_page_matrix(world):
    problems = []
    checked = 0
    for name, pattern in page_patterns():
        if name in POST_ONLY | PUBLIC | SIGN_IN_STEPS | COVERED_ELSEWHERE or name.startswith("publicity:"):
            continue
        has_params = bool(pattern.pattern.regex.groupindex)
        if has_params and name not in PAGE_ROWS:
            problems.append(f"{name}: a page with a parameter the matrix does not know (add it to PAGE_ROWS)")
            continue
        for who in world:
            client = client_for(who)
            if not has_params:
                response = client.get(reverse(name))
                checked += 1
                if response.status_code == 302 and not is_login(response["Location"]):
                    response.status_code = 200  # sent on to the user's home: opened
                allowed = who.user is not None and page_allowed(name, who)
                if response.status_code >= 500:
                    problems.append(f"{who.name} {name}: {response.status_code}")
                elif allowed and response.status_code != 200:
                    problems.append(f"{who.name} {name}: refused ({response.status_code})")
                elif not allowed and response.status_code == 200:
                    problems.append(f"{who.name} {name}: opened, expected a refusal")
                continue
            model, kwargs = PAGE_ROWS[name]
            for obj in sample(model, limit=8):
                url = reverse(name, kwargs=kwargs(obj))
                response = client.get(url)
                checked += 1
                allowed = may_see(who, obj)
                if response.status_code >= 500:
                    problems.append(f"{who.name} {url}: {response.status_code}")
                elif allowed and response.status_code != 200:
                    problems.append(f"{who.name} {url}: refused ({response.status_code})")
                elif not allowed and response.status_code == 200:
                    problems.append(f"{who.name} {url}: leaks {model.__name__} {obj.pk}")
    assert not problems, "\n".join(problems)
    assert checked > 100


# -- the admin -------------------------------------------------------------------------------------------


def admin_reader(who) -> bool:
    """Who works on the yearly cycle's records in the admin: a break-glass superuser, 民生办 staff, leaders
    and auditors (filers use the pages; the three administrators have their own areas)."""
    return who.name in ("admin", "staff", "leader", "auditor", "county_staff")


def admin_opens(who, model) -> bool:
    """Which admin lists an identity opens: regions and units everyone in the admin reads, the accounts
    only the administrators, every other list the business readers."""
    if model in (Region, Unit):
        return admin_reader(who) or who.name in ADMINISTRATORS
    if model is User:
        return who.name == "admin" or who.name in ADMINISTRATORS
    if model._meta.app_label == "audit":
        return who.name == "auditadmin"  # the security audit log: its reader only, not even the superuser
    if model._meta.label == "accounts.Lockout":
        return who.name in ("admin", "secadmin")  # lockouts are the 安全管理员's (and the break-glass's)
    return admin_reader(who)


@pytest.mark.django_db
def test_admin_matrix(world):
    """Every registered model's list, and the change page of rows spread over the regions and units, for
    every identity: lists open for the admin's roles only, a row opens exactly when the oracle allows."""
    from django.contrib import admin as django_admin

    problems = []
    checked = 0
    for model in django_admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        for who in world:
            client = client_for(who)
            response = client.get(changelist)
            checked += 1
            opened = response.status_code == 200
            if response.status_code >= 500:
                problems.append(f"{who.name} {changelist}: {response.status_code}")
            elif opened and not admin_opens(who, model):
                problems.append(f"{who.name} {changelist}: opened, expected a refusal")
            elif admin_opens(who, model) and not opened:
                problems.append(f"{who.name} {changelist}: refused ({response.status_code})")
            if model not in ANCHORS:
                continue
            for obj in sample(model, limit=6):
                url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
                response = client.get(url)
                checked += 1
                allowed = admin_opens(who, model) and may_see(who, obj)
                if response.status_code >= 500:
                    problems.append(f"{who.name} {url}: {response.status_code}")
                elif allowed and response.status_code != 200:
                    problems.append(f"{who.name} {url}: refused ({response.status_code})")
                elif not allowed and response.status_code == 200:
                    problems.append(f"{who.name} {url}: leaks {model.__name__} {obj.pk}")
    assert not problems, "\n".join(problems)
    assert checked > 300
