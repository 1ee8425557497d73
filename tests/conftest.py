"""Shared fixtures: a small organisation tree and one named user per role (as Healthchecks' hc/test.py)."""

import types
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from ledgers import cells
from minsheng import sms
from org.choices import RegionLevel, Role, UnitKind
from org.models import Region, Unit, User
from projects.choices import ProjectLevel, ReportStatus
from tests.clients import VerifiedClient
from tests.factories import PlanFactory, ProgressReportFactory, ProjectFactory
from voting import services as voting_services

PASSWORD = "test-pass-123"

# Each app's shared fixtures live in tests/fixtures/<app>.py and are loaded here as plugins.
pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)


# Per-process caches of app code, emptied before each test (module-level state that outlives a test):
# - voting.services._papers: a vote's ballot paper, kept for PAPER_TTL seconds;
# - ledgers.cells key(), code(), month(): functools.lru_cache memos of pure cell parsers (emptied so a
#   test never depends on what an earlier one parsed).
# Not reset: voting.codestore._clients (Redis connections per location, no data) and the apps'
# BEAT_SCHEDULE dicts (constants).
MEMOISED = (cells.key, cells.code, cells.month)


@pytest.fixture(autouse=True)
def fresh_state():
    """Before each test: empty Django caches, SMS and mail outboxes and app code's per-process caches."""
    for alias in caches:
        cache = caches[alias]
        # A Redis cache is shared with other processes; tests that use one own a key prefix and clean it
        # (tests/fixtures/voting.py redis_cache). The test settings' caches are in-process.
        if not isinstance(cache, RedisCache):
            cache.clear()
    sms.outbox.clear()
    if isinstance(getattr(mail, "outbox", None), list):
        mail.outbox.clear()
    else:
        mail.outbox = []
    voting_services._papers.clear()
    for function in MEMOISED:
        function.cache_clear()


# Issue 15 (second factor): pytest-django's `client` (and `admin_client`, built on it), signed in with both
# factors by login()/force_login(); tests/twofactor/ builds plain clients to test the second step itself.
@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def org(db):
    """Province > city > two counties, with units in each and one user per role.

    - staff (民生办, city), leader (city), auditor (city): see the city and its counties
    - county_staff: sees only 兰山区
    - filer: a filer of 市人社局, sees only projects it leads or cooperates on
    """
    province = Region.objects.create(code="370000", name="山东省", level=RegionLevel.PROVINCE)
    city = Region.objects.create(code="371300", name="临沂市", level=RegionLevel.CITY, parent=province)
    lanshan = Region.objects.create(code="371302", name="兰山区", level=RegionLevel.COUNTY, parent=city)
    luozhuang = Region.objects.create(code="371311", name="罗庄区", level=RegionLevel.COUNTY, parent=city)
    other_city = Region.objects.create(code="370100", name="济南市", level=RegionLevel.CITY, parent=province)

    office = Unit.objects.create(name="临沂市民生工作办公室", kind=UnitKind.OFFICE, region=city)
    hrss = Unit.objects.create(name="临沂市人力资源和社会保障局", short_name="市人社局", region=city)
    edu = Unit.objects.create(name="临沂市教育局", short_name="市教育局", region=city)
    lanshan_gov = Unit.objects.create(name="兰山区人民政府", kind=UnitKind.GOVERNMENT, region=lanshan)
    lanshan_office = Unit.objects.create(name="兰山区民生办", kind=UnitKind.OFFICE, region=lanshan)
    luozhuang_gov = Unit.objects.create(name="罗庄区人民政府", kind=UnitKind.GOVERNMENT, region=luozhuang)
    jinan_office = Unit.objects.create(name="济南市民生办", kind=UnitKind.OFFICE, region=other_city)

    def user(username, unit, role, **extra):
        return User.objects.create_user(username=username, password=PASSWORD, unit=unit, role=role, **extra)

    o = types.SimpleNamespace()
    o.province, o.city, o.lanshan, o.luozhuang, o.other_city = province, city, lanshan, luozhuang, other_city
    o.office, o.hrss, o.edu = office, hrss, edu
    o.lanshan_gov, o.lanshan_office, o.luozhuang_gov, o.jinan_office = (
        lanshan_gov,
        lanshan_office,
        luozhuang_gov,
        jinan_office,
    )
    o.staff = user("staff", office, Role.STAFF)
    o.leader = user("leader", office, Role.LEADER)
    o.auditor = user("auditor", office, Role.AUDITOR)
    o.filer = user("filer", hrss, Role.FILER)
    o.county_staff = user("county_staff", lanshan_office, Role.STAFF)
    o.jinan_staff = user("jinan_staff", jinan_office, Role.STAFF)
    # A break-glass superuser (the system's powers; no demo account is one): existing tests use it as "every
    # region, every act".
    o.admin = User.objects.create_superuser(username="admin", password=PASSWORD)
    # 三员分立 (issue 15): the three administrators, no unit each.
    o.sysadmin = User.objects.create_user(username="sysadmin", password=PASSWORD, role=Role.SYSADMIN)
    o.secadmin = User.objects.create_user(username="secadmin", password=PASSWORD, role=Role.SECADMIN)
    o.auditadmin = User.objects.create_user(username="auditadmin", password=PASSWORD, role=Role.AUDITADMIN)
    return o


@pytest.fixture
def make_project(org):
    """Build a project (and its plan on first use) with targets given as {name: annual target}."""

    def make(
        code="01",
        *,
        region=None,
        year=2016,
        lead_unit=None,
        targets=None,
        reporting_month=None,
        level=ProjectLevel.CITY,
        **fields,
    ):
        return ProjectFactory(
            plan=PlanFactory(region=region or org.city, year=year, reporting_month=reporting_month),
            code=code,
            level=level,
            lead_unit=lead_unit or org.hrss,
            targets=targets or {},
            **fields,
        )

    return make


@pytest.fixture
def file_report():
    """Record a counted (submitted) report with cumulative values {target name: value}."""

    def file(project, month, values, *, status=ReportStatus.SUBMITTED, investment=None, **fields):
        return ProgressReportFactory(
            project=project,
            month=month,
            status=status,
            investment_completed=investment,
            values=values,
            **fields,
        )

    return file
