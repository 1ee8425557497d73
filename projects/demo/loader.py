"""Write the demo data of this package to the database, idempotently, keeping what users changed.

Every record is found by its natural key (region code; region and unit name; plan region and year; plan and
project code; project and target name; project and milestone name; project and month; report and target;
username) and created when missing. A row that existed before the run is left exactly as it is, even where
it differs from the seed (a user may have edited it in the admin): a second run writes nothing, no new rows,
no new history rows, no touched `updated_at`. Only rows created earlier in the same run are completed (an
app's demo may fill in a row another app's demo created). The one exception: a demo login's password is put
back, so that the printed logins work.

After the seeds' years, projects/demo/current_year.py adds the year being run (dates from `today`).
"""

import datetime
import importlib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.db import models, transaction
from django.utils import timezone

from org import access
from org.models import Region, Unit, User
from projects.choices import ProjectLevel, ProjectStatus, ReportStatus
from projects.models import Milestone, Plan, ProgressReport, ProgressValue, Project, Target

from . import linyi_2016, luyang_2017, shandong_2019
from . import org as org_data
from . import users as user_data

SEEDED_MODELS = [Region, Unit, User, Plan, Project, Target, Milestone, ProgressReport, ProgressValue]


@dataclass
class Result:
    """What a run did: rows created and updated per model, and the demo users."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    users: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def demo_salt(username: str) -> str:
    """The salt of a demo login's password hash (letters and digits only, as hashers require)."""
    return "minshengdemo" + "".join(c for c in username if c.isalnum())


def _salt(encoded: str) -> str | None:
    try:
        return identify_hasher(encoded).decode(encoded).get("salt")
    except ValueError:  # an unusable or unknown password
        return None


def _differs(obj: models.Model, name: str, value) -> bool:
    f = obj._meta.get_field(name)
    if isinstance(f, models.Field) and f.is_relation:
        return getattr(obj, f.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


class Loader:
    """Loads the demo data; `run()` is the whole job (`load_demo` runs it in a transaction)."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.result = Result()
        self.fresh: set[tuple[type, object]] = set()  # rows created in this run, which may still be completed
        self.regions: dict[str, Region] = {}
        self.units: dict[tuple[str, str], Unit] = {}
        self.users: dict[str, User] = {}

    # -- generic --------------------------------------------------------------------------------------------

    def upsert(self, model, lookup: dict, **values):
        """The row with `lookup`, created with `values` when missing; an existing row is kept as it is."""
        return self._upsert(model, lookup, values)[0]

    def adopt(self, obj: models.Model) -> None:
        """Count a row a service created in this run as created, so that upsert may still complete it."""
        self.fresh.add((type(obj), obj.pk))
        self.result.created[type(obj)] += 1

    def keep(self, model, count: int = 1) -> None:
        """Count rows found from an earlier run and left as they are."""
        self.result.kept[model] += count

    def is_fresh(self, obj: models.Model) -> bool:
        return (type(obj), obj.pk) in self.fresh

    def _upsert[M: models.Model](self, model: type[M], lookup: dict, values: dict) -> tuple[M, bool]:
        """As `upsert`, also saying whether anything was written."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self._save(obj)
            self.fresh.add((model, obj.pk))
            self.result.created[model] += 1
            return obj, True
        if (model, obj.pk) not in self.fresh:
            # From an earlier run: the user may have changed it, and what they changed stays.
            self.result.kept[model] += 1
            return obj, False
        # Created earlier in this run (counted then): completed with what this caller knows.
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            self._save(obj)
        return obj, bool(changed)

    @staticmethod
    def _save(obj: models.Model):
        # Field and model rules (Project.clean ...) in Python; unique and check constraints are left to the
        # database, which enforces them anyway, to spare a query per constraint and row.
        exclude = [f.name for f in obj._meta.concrete_fields if not f.editable]
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        obj.save()

    def unit(self, region_code: str, ref) -> Unit:
        """A unit by short or full name: `ref` is a name in `region_code` or a (region code, name) pair."""
        if isinstance(ref, tuple):
            region_code, ref = ref
        return self.units[(region_code, ref)]

    # -- organisation ---------------------------------------------------------------------------------------

    def load_regions(self):
        for code, name, level, parent_code in org_data.REGIONS:
            parent = self.regions[parent_code] if parent_code else None
            self.regions[code] = self.upsert(Region, {"code": code}, name=name, level=level, parent=parent)

    def load_units(self):
        for region_code, name, short_name, kind in org_data.UNITS:
            unit = self.upsert(
                Unit, {"region": self.regions[region_code], "name": name}, short_name=short_name, kind=kind
            )
            for key in {name, short_name}:
                if (region_code, key) in self.units:
                    raise ValueError(f"Duplicate unit name {key} in region {region_code}")
                self.units[(region_code, key)] = unit

    def load_users(self):
        existing = {
            u.username: u for u in User.objects.filter(username__in=[row[0] for row in user_data.USERS])
        }
        # The demo password is hashed with a salt of its own per user (PBKDF2 is slow on purpose): a hash
        # with that salt is the seed's, any password set since (admin, "change password") has a random salt.
        # A second run thus knows the printed logins still work without hashing anything.
        hashes = {}
        for username, *_ in user_data.USERS:
            user = existing.get(username)
            if user is None or _salt(user.password) != demo_salt(username):
                hashes[username] = make_password(user_data.PASSWORD, demo_salt(username))
        for username, first_name, role, unit_ref, is_superuser in user_data.USERS:
            user = existing.get(username)
            if user is None:
                unit = self.unit(*unit_ref) if unit_ref else None
                user = User(
                    username=username,
                    first_name=first_name,
                    role=role,
                    unit=unit,
                    is_superuser=is_superuser,
                    is_staff=is_superuser,
                    is_active=True,
                    password=hashes[username],
                )
                user.save()
                self.result.created[User] += 1
            elif username in hashes:
                # The printed logins must work: a changed demo password is put back; the rest is kept.
                user.password = hashes[username]
                user.save(update_fields=["password"])
                self.result.updated[User] += 1
            else:
                self.result.kept[User] += 1
            self.users[username] = user
            self.result.users.append(user)

    # -- plans ----------------------------------------------------------------------------------------------

    def plan(self, data: dict) -> Plan:
        return self.upsert(
            Plan,
            {"region": self.regions[data["region"]], "year": data["year"]},
            name=data["name"],
            document_number=data.get("document_number", ""),
            reporting_month=data["reporting_month"],
            description=data["description"],
        )

    def project(self, plan: Plan, code: str, *, cooperating=(), **values) -> Project:
        project, written = self._upsert(Project, {"plan": plan, "code": code}, values)
        if written and cooperating:
            project.cooperating_units.set(list(cooperating))
        return project

    def target(self, project: Project, sequence: int, name: str, measure: str, annual, unit, note: str):
        return self.upsert(
            Target,
            {"project": project, "name": name},
            sequence=sequence,
            measure=measure,
            annual_target=annual,
            authoritative_unit=unit,
            note=note,
        )

    def load_linyi_2016(self):
        data = linyi_2016
        region = data.PLAN["region"]
        plan = self.plan(data.PLAN)
        counties = [self.unit(*ref) for ref in org_data.LINYI_COUNTY_GOVERNMENTS]
        submitted_at = datetime.datetime(*data.SUBMITTED_AT, tzinfo=timezone.get_current_timezone())
        reviewed_at = datetime.datetime(*data.REVIEWED_AT, tzinfo=timezone.get_current_timezone())
        for seq, item in enumerate(data.PROJECTS, start=1):
            cooperating = []
            for ref in item["cooperating"]:
                cooperating.extend(counties if ref == data.COUNTY_GOVERNMENTS else [self.unit(region, ref)])
            lead = self.unit(region, item["lead"])
            project = self.project(
                plan,
                f"{data.PLAN['year']}-{seq:02d}",
                cooperating=cooperating,
                sequence=seq,
                level=ProjectLevel.CITY,
                category=item["category"],
                title=item["title"],
                content=item["content"],
                lead_unit=lead,
                planned_investment=item["planned_investment"],
                status=ProjectStatus.IN_PROGRESS,
            )
            targets = []
            for t_seq, (name, measure, annual, value, unit_ref, note) in enumerate(item["targets"], start=1):
                unit = self.unit(region, unit_ref) if unit_ref else None
                targets.append((self.target(project, t_seq, name, measure, annual, unit, note), value))
            filer = next(
                (u for u in self.users.values() if u.unit_id == lead.pk and access.is_filer(u)), None
            )
            report = self.upsert(
                ProgressReport,
                {"project": project, "month": data.REPORT_MONTH},
                status=ReportStatus.ACCEPTED,
                investment_completed=item["investment_completed"],
                narrative=item["narrative"],
                submitted_by=filer,
                submitted_at=submitted_at,
                reviewed_by=self.users["minshengban"],
                reviewed_at=reviewed_at,
            )
            for target, value in targets:
                self.upsert(ProgressValue, {"report": report, "target": target}, value=value)

    def load_shandong_2019(self):
        data = shandong_2019
        region = data.PLAN["region"]
        plan = self.plan(data.PLAN)
        for seq, item in enumerate(data.PROJECTS, start=1):
            project = self.project(
                plan,
                f"{data.PLAN['year']}-{seq:02d}",
                cooperating=[self.unit(region, ref) for ref in item["cooperating"]],
                sequence=seq,
                level=ProjectLevel.PROVINCE,
                category=item["category"],
                title=item["title"],
                content=item["content"],
                work_standard=item["work_standard"],
                lead_unit=self.unit(region, item["lead"]),
                deadline=data.DEADLINE,
            )
            for t_seq, (name, measure, annual, unit_ref, note) in enumerate(item.get("targets", []), start=1):
                self.target(project, t_seq, name, measure, annual, self.unit(region, unit_ref), note)
            for m_seq, (name, planned_date) in enumerate(item.get("milestones", []), start=1):
                self.upsert(
                    Milestone, {"project": project, "name": name}, sequence=m_seq, planned_date=planned_date
                )

    def load_luyang_2017(self):
        data = luyang_2017
        parents = {}
        for plan_data, projects, level in (
            (data.ANHUI_PLAN, data.ANHUI_PROJECTS, ProjectLevel.PROVINCE),
            (data.HEFEI_PLAN, data.HEFEI_PROJECTS, ProjectLevel.CITY),
        ):
            plan = self.plan(plan_data)
            for seq, (title, category, lead, content) in enumerate(projects, start=1):
                parents[(level, title)] = self.project(
                    plan,
                    f"{plan_data['year']}-{seq:02d}",
                    sequence=seq,
                    level=level,
                    category=category,
                    title=title,
                    content=content,
                    lead_unit=self.unit(plan_data["region"], lead),
                )

        region = data.LUYANG_PLAN["region"]
        plan = self.plan(data.LUYANG_PLAN)
        letters = {ProjectLevel.PROVINCE: "S", ProjectLevel.CITY: "C", ProjectLevel.COUNTY: "D"}
        numbers = Counter()
        for seq, item in enumerate(data.LUYANG_PROJECTS, start=1):
            level = item["level"]
            numbers[level] += 1
            parent_title = item.get("parent", item["title"]) if level != ProjectLevel.COUNTY else None
            parent = parents[(level, parent_title)] if parent_title else None
            lead = self.unit(region, item["lead"])
            project = self.project(
                plan,
                f"{data.LUYANG_PLAN['year']}-{letters[level]}{numbers[level]:02d}",
                cooperating=[self.unit(region, ref) for ref in item.get("cooperating", [])],
                sequence=seq,
                level=level,
                parent_project=parent,
                change_type=item.get("change_type", ""),
                category=item.get("category") or parent.category,
                title=item["title"],
                content=item.get("content", ""),
                lead_unit=lead,
                deadline=data.WORKS_DEADLINE if item.get("works") else None,
                status=item.get("status", ProjectStatus.PLANNED),
            )
            for t_seq, (name, measure, annual, note) in enumerate(item.get("targets", []), start=1):
                self.target(project, t_seq, name, measure, annual, lead, note)

    def run(self) -> Result:
        self.load_regions()
        self.load_units()
        self.load_users()
        self.load_linyi_2016()
        self.load_shandong_2019()
        self.load_luyang_2017()
        return self.result


# Other installed apps extend the demo with a module `<app>/demo.py` (or a package) defining SEEDED_MODELS
# and `load(loader: Loader)`: it runs after the projects above, in INSTALLED_APPS order and in the same
# transaction, and writes through `loader.upsert(...)` so a second run writes nothing and counts are reported.
def demo_extensions() -> list:
    """The extension modules of the installed apps other than projects."""
    found = []
    for app in settings.INSTALLED_APPS:
        folder = settings.BASE_DIR / app
        has_demo = (folder / "demo.py").is_file() or (folder / "demo" / "__init__.py").is_file()
        if app != "projects" and has_demo:
            found.append(importlib.import_module(f"{app}.demo"))
    return found


def seeded_models() -> list:
    return SEEDED_MODELS + [model for module in demo_extensions() for model in module.SEEDED_MODELS]


@transaction.atomic
def load_demo(today: datetime.date | None = None) -> Result:
    """Create every missing demo record, all or nothing: the seeds' years, then the year of `today`."""
    from . import current_year

    loader = Loader(today)
    loader.run()
    for module in demo_extensions():
        module.load(loader)
    current_year.load(loader)
    return loader.result
