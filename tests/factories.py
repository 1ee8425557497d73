"""factory-boy factories: rows with valid defaults, so a test names only what it is about.

Factories write rows directly (as fixtures do), not through the services: use them to build a world to
read, and the services to test a workflow. Defaults sit in 临沂市 (371300) of 2016, like the `org` fixture.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from bulletins.choices import BulletinStatus
from bulletins.models import Bulletin
from funding.choices import EntryKind, SourceLevel
from funding.models import Entry, FundingSource
from notifications.models import Notification
from org.choices import RegionLevel, Role, UnitKind
from org.models import Region, Unit, User
from projects.choices import Category, ProjectLevel, ReportStatus
from projects.models import Milestone, Plan, ProgressReport, ProgressValue, Project, Target
from proposals.choices import DecisionOutcome, DecisionStage, ProposalSource
from proposals.models import Candidate, CollectionRound, DecisionStep, Proposal
from publicity.models import ProjectPublication
from supervision.choices import AlertKind, InspectionKind, ProblemSource
from supervision.models import Alert, Inspection, Problem, SupervisionOrder
from voting.models import Vote, VoteOption

PASSWORD = "test-pass-123"
YEAR = 2016


def aware(year, month, day, hour=0):
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


class RegionFactory(factory.django.DjangoModelFactory):
    """A city under the province 370000; pass parent= and level= for a county."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"37{n + 10:02d}00")
    name = factory.Sequence(lambda n: f"测试市{n}")
    level = RegionLevel.CITY
    parent = factory.LazyFunction(
        lambda: Region.objects.get_or_create(
            code="370000", defaults={"name": "山东省", "level": RegionLevel.PROVINCE}
        )[0]
    )


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("region", "name")

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.DEPARTMENT
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A user of a unit with a role; the password is PASSWORD. Role factories below name the usual ones."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    unit = factory.SubFactory(UnitFactory)
    role = Role.STAFF
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    """民生办 staff: the unit is the region's office."""

    unit = factory.SubFactory(UnitFactory, kind=UnitKind.OFFICE, name="民生工作办公室")
    role = Role.STAFF


class LeaderFactory(StaffFactory):
    role = Role.LEADER


class AuditorFactory(StaffFactory):
    role = Role.AUDITOR


class FilerFactory(UserFactory):
    role = Role.FILER


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("region", "year")

    region = factory.SubFactory(RegionFactory)
    year = YEAR
    name = factory.LazyAttribute(lambda o: f"{o.year}年{o.region.name}民生实事")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project; `targets={name: annual}` adds its targets (default: one target of 100 人)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"{n + 1:03d}")
    level = ProjectLevel.CITY
    category = Category.EMPLOYMENT
    title = factory.LazyAttribute(lambda o: f"项目{o.code}")
    lead_unit = factory.SubFactory(UnitFactory, region=factory.SelfAttribute("..plan.region"))

    @factory.post_generation
    def targets(self, create, extracted, **kwargs):
        if not create:
            return
        targets = {"就业人数": "100"} if extracted is None else extracted
        for i, (name, annual) in enumerate(targets.items()):
            TargetFactory(project=self, sequence=i, name=name, annual_target=Decimal(annual))


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    project = factory.SubFactory(ProjectFactory, targets={})
    sequence = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"指标{n}")
    measure = "人"
    annual_target = Decimal("100")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = "开工"
    planned_date = factory.LazyAttribute(lambda o: datetime.date(o.project.plan.year, 6, 30))


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A submitted report; `values={target name: cumulative}` adds its values (default: half of each)."""

    class Meta:
        model = ProgressReport
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    month = 5
    status = ReportStatus.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == ReportStatus.DRAFT else aware(o.project.plan.year, o.month, 28)
    )

    @factory.post_generation
    def values(self, create, extracted, **kwargs):
        if not create:
            return
        targets = {t.name: t for t in self.project.targets.all()}
        if extracted is None:
            extracted = {name: target.annual_target / 2 for name, target in targets.items()}
        for name, value in extracted.items():
            ProgressValue.objects.create(report=self, target=targets[name], value=Decimal(value))


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource
        django_get_or_create = ("project", "level")

    project = factory.SubFactory(ProjectFactory)
    level = SourceLevel.CITY
    planned = Decimal("1000000")


class EntryFactory(factory.django.DjangoModelFactory):
    """A funding entry written as a row (an arrival by default); funding.services.record_entry checks the
    rules and keeps the source's totals, so use it where those matter."""

    class Meta:
        model = Entry

    project = factory.SubFactory(ProjectFactory)
    kind = EntryKind.ARRIVAL
    level = SourceLevel.CITY
    amount = Decimal("100000")
    date = factory.LazyAttribute(lambda o: datetime.date(o.project.plan.year, 3, 1))
    document_number = factory.Sequence(lambda n: f"临财预〔2016〕{n + 1}号")


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    kind = AlertKind.LAGGING
    project = factory.SubFactory(ProjectFactory)
    unit = factory.SelfAttribute("project.lead_unit")
    cause_key = factory.Sequence(lambda n: f"test:{n}")
    detail = "进度滞后于序时进度"
    raised_at = factory.LazyFunction(timezone.now)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    kind = InspectionKind.UNANNOUNCED
    region = factory.SubFactory(RegionFactory)
    date = datetime.date(YEAR, 6, 10)
    title = factory.Sequence(lambda n: f"暗访{n}")
    inspectors = "张三、李四"


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    source = ProblemSource.REPORT
    project = factory.SubFactory(ProjectFactory)
    unit = factory.SelfAttribute("project.lead_unit")
    description = factory.Sequence(lambda n: f"问题{n}：进度滞后")
    found_on = datetime.date(YEAR, 6, 10)


class SupervisionOrderFactory(factory.django.DjangoModelFactory):
    """An issued 督办单 with the "13710" stages from its issue time."""

    class Meta:
        model = SupervisionOrder

    project = factory.SubFactory(ProjectFactory)
    unit = factory.SelfAttribute("project.lead_unit")
    region = factory.SelfAttribute("project.plan.region")
    year = factory.SelfAttribute("project.plan.year")
    serial = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"督办单{n}")
    requirement = "限期整改并反馈"
    issued_by = factory.SubFactory(StaffFactory, unit__region=factory.SelfAttribute("...region"))
    issued_at = factory.LazyAttribute(lambda o: aware(o.year, 6, 1))
    acknowledge_due = factory.LazyAttribute(lambda o: o.issued_at + datetime.timedelta(days=1))
    feedback_due = factory.LazyAttribute(lambda o: o.issued_at + datetime.timedelta(days=3))
    settle_due = factory.LazyAttribute(lambda o: o.issued_at + datetime.timedelta(days=7))
    report_due = factory.LazyAttribute(lambda o: o.issued_at + datetime.timedelta(days=10))


class CollectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionRound
        django_get_or_create = ("region", "year")

    region = factory.SubFactory(RegionFactory)
    year = YEAR + 1
    name = factory.LazyAttribute(lambda o: f"{o.year}年民生实事征集")
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year - 1, 8, 1))
    closes_on = factory.LazyAttribute(lambda o: datetime.date(o.year - 1, 9, 30))


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    round = factory.SubFactory(CollectionRoundFactory)
    source = ProposalSource.UNIT
    proposer_name = "市人社局"
    category = Category.EMPLOYMENT
    title = factory.Sequence(lambda n: f"建议{n}")
    description = "建议增加公益性岗位"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    region = factory.SubFactory(RegionFactory)
    year = YEAR + 1
    title = factory.Sequence(lambda n: f"备选项目{n}")
    category = Category.EMPLOYMENT


class DecisionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionStep

    candidate = factory.SubFactory(CandidateFactory)
    stage = DecisionStage.MOTION
    held_on = datetime.date(YEAR, 10, 20)
    outcome = DecisionOutcome.PASSED


class VoteFactory(factory.django.DjangoModelFactory):
    """A public vote; `options=[candidate, ...]` (default: two new candidates of its region and year)."""

    class Meta:
        model = Vote
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    year = YEAR + 1
    title = factory.Sequence(lambda n: f"民生实事票选{n}")
    opens_at = aware(YEAR, 10, 8)
    closes_at = aware(YEAR, 10, 20)

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        if not create:
            return
        candidates = extracted or CandidateFactory.create_batch(2, region=self.region, year=self.year)
        for i, candidate in enumerate(candidates):
            VoteOption.objects.create(vote=self, candidate=candidate, sequence=i)


class BulletinFactory(factory.django.DjangoModelFactory):
    """A draft bulletin; IssuedBulletinFactory for an issued, numbered one."""

    class Meta:
        model = Bulletin

    region = factory.SubFactory(RegionFactory)
    year = YEAR
    month = factory.Sequence(lambda n: n % 12 + 1)
    status = BulletinStatus.DRAFT
    name = "民生工作简报"
    office = "民生工作办公室"
    title = factory.LazyAttribute(lambda o: f"1-{o.month}月份全市重点民生事项进展情况通报")


class IssuedBulletinFactory(BulletinFactory):
    status = BulletinStatus.ISSUED
    issue_year = factory.SelfAttribute("year")
    issue_number = factory.Sequence(lambda n: n + 1)
    total_number = factory.Sequence(lambda n: n + 100)
    issued_on = factory.LazyAttribute(lambda o: datetime.date(o.year, o.month, 28))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    event = factory.Sequence(lambda n: f"test:{n}")
    title = "请报送进展"


class ProjectPublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPublication

    project = factory.SubFactory(ProjectFactory)
    is_published = True
    published_at = factory.LazyFunction(timezone.now)
