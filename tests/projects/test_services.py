"""The rules of monthly reports and adjustments, enforced by the services (and the database behind them)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from minsheng.errors import DomainError, InvalidTransition, PermissionDenied
from org.models import Region, User
from projects import services
from projects.choices import AdjustmentKind, ProjectStatus, ReportStatus
from projects.models import Plan, ProgressReport, ProgressValue, Project, ReportAttachment


@pytest.fixture
def project(make_project):
    return make_project(targets={"新增城镇就业": 90000, "职业技能新培": 80000})


def ids(project):
    return {t.name: t.pk for t in project.targets.all()}


def test_filer_saves_and_submits_own_units_report(org, project):
    t = ids(project)
    report = services.save_report(
        project,
        3,
        actor=org.filer,
        values={t["新增城镇就业"]: "20,000"},
        investment_completed=Decimal("8782.53"),
        narrative="春风行动",
    )
    services.submit_report(report, actor=org.filer)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == org.filer
    assert report.submitted_at is not None
    assert report.values.get().value == Decimal("20000")


def test_filer_cannot_file_for_another_units_project(org, make_project):
    other = make_project("02", lead_unit=org.edu, targets={"a": 1})
    with pytest.raises(PermissionDenied):
        services.save_report(other, 3, actor=org.filer, values={})
    assert not ProgressReport.objects.exists()


def test_leader_cannot_file_or_review(org, project, file_report):
    with pytest.raises(PermissionDenied):
        services.save_report(project, 3, actor=org.leader, values={})
    report = file_report(project, 4, {})
    with pytest.raises(PermissionDenied):
        services.accept_report(report, actor=org.leader)


def test_staff_of_another_city_cannot_review(org, project, file_report):
    report = file_report(project, 4, {})
    with pytest.raises(PermissionDenied):
        services.accept_report(report, actor=org.jinan_staff)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_falling_cumulative_value_needs_a_reason(org, project, file_report):
    file_report(project, 5, {"新增城镇就业": 40000})
    t = ids(project)

    with pytest.raises(DomainError) as exc:
        services.save_report(project, 6, actor=org.filer, values={t["新增城镇就业"]: 39000})
    assert exc.value.code == "cumulative_decreased"
    assert "低于5月" in exc.value.message
    assert not ProgressReport.objects.filter(month=6).exists()  # nothing half-written

    report = services.save_report(
        project,
        6,
        actor=org.filer,
        values={t["新增城镇就业"]: 39000},
        correction_reason="5月误将见习人数计入",
    )
    assert report.values.get().value == Decimal("39000")


def test_value_above_a_later_month_also_needs_a_reason(org, project, file_report):
    file_report(project, 9, {"新增城镇就业": 93000})
    t = ids(project)
    with pytest.raises(DomainError):
        services.save_report(project, 6, actor=org.staff, values={t["新增城镇就业"]: 95000})


def test_draft_and_returned_months_are_not_compared(org, project, file_report):
    file_report(project, 5, {"新增城镇就业": 40000}, status=ReportStatus.DRAFT)
    t = ids(project)
    services.save_report(project, 6, actor=org.filer, values={t["新增城镇就业"]: 30000})


def test_invalid_values_write_nothing(org, project):
    t = ids(project)
    for bad in ("abc", "-5", "NaN"):
        with pytest.raises(DomainError):
            services.save_report(
                project, 3, actor=org.filer, values={t["新增城镇就业"]: 100, t["职业技能新培"]: bad}
            )
    assert not ProgressValue.objects.exists()


def test_target_of_another_project_is_refused(org, project, make_project):
    other = make_project("02", targets={"x": 1})
    with pytest.raises(DomainError) as exc:
        services.save_report(project, 3, actor=org.staff, values={other.targets.get().pk: 1})
    assert exc.value.code == "foreign_target"


def test_month_out_of_range_is_refused(org, project):
    with pytest.raises(DomainError):
        services.save_report(project, 13, actor=org.staff, values={})


def test_review_cycle_return_resubmit_accept_lock(org, project, file_report):
    report = file_report(project, 3, {"新增城镇就业": 1})
    with pytest.raises(DomainError):
        services.return_report(report, actor=org.staff, reason="  ")
    services.return_report(report, actor=org.staff, reason="数据与人社统计不一致")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    with pytest.raises(InvalidTransition):
        services.accept_report(report, actor=org.staff)

    services.save_report(project, 3, actor=org.filer, values={ids(project)["新增城镇就业"]: 2})
    services.submit_report(report, actor=org.filer)
    services.accept_report(report, actor=org.staff)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by == org.staff
    assert report.return_reason == ""
    assert report.history.filter(return_reason="数据与人社统计不一致").exists()  # the reason stays on record

    with pytest.raises(InvalidTransition):
        services.save_report(project, 3, actor=org.staff, values={ids(project)["新增城镇就业"]: 3})
    with pytest.raises(InvalidTransition):
        services.submit_report(report, actor=org.staff)
    assert report.values.get().value == Decimal("2")


def test_adjustment_records_reason_and_withdraws(org, project):
    with pytest.raises(DomainError):
        services.record_adjustment(
            project,
            actor=org.staff,
            kind=AdjustmentKind.WITHDRAW,
            reason="",
            description="",
            approved_by="区政府",
            approved_on=datetime.date(2017, 5, 1),
        )
    adjustment = services.record_adjustment(
        project,
        actor=org.staff,
        kind=AdjustmentKind.WITHDRAW,
        reason="国家政策重大调整",
        description="2017年不再承担",
        approved_by="区政府常务会议",
        approved_on=datetime.date(2017, 5, 1),
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.WITHDRAWN
    assert adjustment.recorded_by == org.staff
    with pytest.raises(PermissionDenied):
        services.record_adjustment(
            project,
            actor=org.filer,
            kind=AdjustmentKind.OTHER,
            reason="x",
            description="",
            approved_by="y",
            approved_on=datetime.date(2017, 5, 1),
        )


# The database keeps the rules even when code does not.


def test_one_report_per_project_and_month(project):
    ProgressReport.objects.create(project=project, month=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(project=project, month=3)


def test_codes_unique_per_year_and_region(org, make_project):
    make_project("01", year=2016)
    make_project("01", year=2017)
    make_project("01", region=org.lanshan, lead_unit=org.lanshan_gov)
    plan = Plan.objects.get(region=org.city, year=2016)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            plan=plan, code="01", level="city", category="education", title="x", lead_unit=org.edu
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"month": 13},
        {"month": 0},
        {"investment_completed": Decimal("-1")},
        {
            "status": ReportStatus.RETURNED,
            "return_reason": "",
            "submitted_at": datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
        },
    ],
)
def test_report_constraints(project, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(project=project, **{"month": 3, **fields})


def test_negative_value_constraint(project):
    report = ProgressReport.objects.create(project=project, month=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressValue.objects.create(report=report, target=project.targets.first(), value=Decimal("-1"))


def test_region_levels_must_nest(org):
    region = Region(code="371399", name="x", level="province", parent=org.city)
    with pytest.raises(ValidationError):
        region.full_clean()
    with pytest.raises(ValidationError):
        Region(code="12345", name="x", level="province").full_clean()


def test_user_with_role_needs_a_unit(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="x", role="staff")


def test_attachment_type_and_size_are_checked(org, project, settings):
    report = ProgressReport.objects.create(project=project, month=3)
    exe = ReportAttachment(report=report, kind="photo", file=SimpleUploadedFile("a.exe", b"MZ"))
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        exe.full_clean()
    settings.MINSHENG_ATTACHMENT_MAX_BYTES = 10
    big = ReportAttachment(report=report, kind="photo", file=SimpleUploadedFile("a.jpg", b"x" * 11))
    with pytest.raises(ValidationError, match="文件过大"):
        big.full_clean()


def test_role_sets_admin_access(org):
    assert org.staff.is_staff
    assert org.leader.is_staff
    assert org.auditor.is_staff
    assert not org.filer.is_staff
    org.filer.role = "staff"
    org.filer.save()
    assert org.filer.is_staff


def test_visibility_of_project_parts_follows_projects(org, project, make_project, file_report):
    other = make_project("JN", region=org.other_city, lead_unit=org.jinan_office, targets={"a": 1})
    file_report(project, 3, {"新增城镇就业": 1})
    file_report(other, 3, {"a": 1})
    assert {r.project_id for r in ProgressReport.objects.restrict(org.staff)} == {project.pk}
    assert ProgressValue.objects.restrict(org.jinan_staff).get().target.project == other
    assert ProgressReport.objects.restrict(org.admin).count() == 2
    inactive = org.staff
    inactive.is_active = False
    assert not Project.objects.restrict(inactive).exists()


def test_project_rules_across_fields(org, make_project):
    province_plan = Plan.objects.create(region=org.province, year=2016, name="2016年山东省民生实事")
    province_project = Project.objects.create(
        plan=province_plan,
        code="P1",
        level="province",
        category="education",
        title="省级项目",
        lead_unit=org.edu,
    )
    county = make_project("LS", region=org.lanshan, lead_unit=org.lanshan_gov)

    county.parent_project = province_project
    county.full_clean()  # a county project implements a province project of the same year

    other_year = make_project("P2", region=org.city, year=2017)
    county.parent_project = other_year
    with pytest.raises(ValidationError, match="同一年度"):
        county.full_clean()

    sibling = make_project("LZ", region=org.luozhuang, lead_unit=org.luozhuang_gov)
    county.parent_project = sibling
    with pytest.raises(ValidationError, match="上级区划"):
        county.full_clean()

    county.parent_project = None
    county.lead_unit = org.jinan_office
    with pytest.raises(ValidationError, match="牵头单位"):
        county.full_clean()

    county.lead_unit = org.lanshan_gov
    county.deadline = datetime.date(2015, 12, 31)
    with pytest.raises(ValidationError, match="完成时限"):
        county.full_clean()
