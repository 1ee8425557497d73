"""The admin: every page loads for every role that may see it, scoped to the user's region, read-only roles
cannot write, history only for staff and auditors, and the report workflow goes through the services."""

import base64
import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.models import Region, Unit
from projects.choices import AdjustmentKind, ProjectStatus, ReportStatus
from projects.models import Adjustment, Milestone, ProgressReport, ProgressValue, Project, Target
from tests.conftest import PASSWORD


@pytest.fixture
def data(org, make_project, file_report):
    city = make_project(
        "01", targets={"新增城镇就业": 90000, "新增农村劳动力转移就业": 150000}, reporting_month=9
    )
    Milestone.objects.create(
        project=city,
        name="启动",
        planned_date=datetime.date(2016, 3, 1),
        actual_date=datetime.date(2016, 3, 1),
    )
    report = file_report(city, 9, {"新增城镇就业": 93000, "新增农村劳动力转移就业": 137000})
    county = make_project("LS-01", region=org.lanshan, lead_unit=org.lanshan_gov, targets={"a": 10})
    other = make_project("JN-01", region=org.other_city, lead_unit=org.jinan_office, targets={"a": 10})
    Adjustment.objects.create(
        project=city,
        kind=AdjustmentKind.OTHER,
        reason="r",
        description="d",
        approved_by="市政府常务会议",
        approved_on=datetime.date(2016, 5, 1),
    )
    return {"city": city, "county": county, "other": other, "report": report}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def admin_urls(obj_by_model):
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        obj = obj_by_model.get(model)
        if obj is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            yield reverse("admin:{}_{}_history".format(*info), args=[obj.pk])
        if model_admin.has_add_permission.__func__ is not None:
            yield reverse("admin:{}_{}_add".format(*info))


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "auditor"])
def test_every_admin_page_loads(client, org, data, role):
    user = getattr(org, role)
    login(client, user)
    objects = {
        Region: org.city,
        Unit: org.hrss,
        type(org.staff): org.filer,
        Project: data["city"],
        Target: data["city"].targets.first(),
        Milestone: data["city"].milestones.first(),
        ProgressReport: data["report"],
        Adjustment: data["city"].adjustments.first(),
        type(data["city"].plan): data["city"].plan,
    }
    assert client.get(reverse("admin:index")).status_code == 200
    for url in admin_urls(objects):
        response = client.get(url)
        expected = {200}
        if url.endswith("/history/") and role == "leader":
            expected = {403}
        if url.endswith("/add/"):
            expected = {200, 403}
        if url.startswith("/admin/org/user/") and role != "admin":
            expected = {403}  # accounts are the administrators' (三员分立, issue 15), not business roles'
        if url.startswith("/admin/accounts/lockout/") and role != "admin":
            expected = {403}  # lockouts are the 安全管理员's (issue 15)
        if url.startswith("/admin/audit/"):
            expected = {403}  # the security audit log is the 审计管理员's alone, not even the superuser's
        assert response.status_code in expected, (url, response.status_code)


def test_project_changelist_shows_lights_in_chinese(client, org, data):
    response = login(client, org.staff).get(reverse("admin:projects_project_changelist"))
    content = response.content.decode()
    assert "绿灯" in content  # 93000/90000 capped 1 and 137000/150000: (1 + 0.9133)/2 > 0.75
    assert "95.7%" in content
    assert "75.0%" in content


def test_staff_sees_region_and_below_only(client, org, data):
    response = login(client, org.staff).get(reverse("admin:projects_project_changelist"))
    codes = {p.code for p in response.context["cl"].result_list}
    assert codes == {"01", "LS-01"}
    other = reverse("admin:projects_project_change", args=[data["other"].pk])
    assert client.get(other).status_code == 302  # the admin's "does not exist" redirect
    # Another region's history reads as "not found", like a missing id (issue 15).
    assert client.get(reverse("admin:projects_project_history", args=[data["other"].pk])).status_code == 404


def test_county_staff_sees_only_its_county(client, org, data):
    response = login(client, org.county_staff).get(reverse("admin:projects_project_changelist"))
    assert {p.code for p in response.context["cl"].result_list} == {"LS-01"}
    reports = login(client, org.county_staff).get(reverse("admin:projects_progressreport_changelist"))
    assert list(reports.context["cl"].result_list) == []


def test_filer_has_no_admin_access(client, org, data):
    login(client, org.filer)
    response = client.get(reverse("admin:projects_project_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ["leader", "auditor"])
def test_read_only_roles_cannot_write(client, org, data, role):
    login(client, getattr(org, role))
    project = data["city"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = client.post(url, {"title": "改名", "code": project.code})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title != "改名"
    assert (
        client.post(reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:projects_project_add")).status_code == 403


def test_history_shows_old_and_new_values_to_auditor_not_leader(client, org, data):
    project = data["city"]
    project.title = "加强和改进就业创业服务"
    project.save()
    url = reverse("admin:projects_project_history", args=[project.pk])
    content = login(client, org.auditor).get(url).content.decode()
    assert "项目01" in content
    assert "加强和改进就业创业服务" in content
    assert login(client, org.leader).get(url).status_code == 403


def test_filter_by_light_and_region_tree(client, org, data):
    login(client, org.staff)
    url = reverse("admin:projects_project_changelist")
    red = client.get(url, {"light": "red"}).context["cl"].result_list
    assert {p.code for p in red} == {"LS-01"}  # no report at all while the schedule expects 75%+
    county = client.get(url, {"region": org.lanshan.code}).context["cl"].result_list
    assert {p.code for p in county} == {"LS-01"}
    city = client.get(url, {"region": org.city.code}).context["cl"].result_list
    assert {p.code for p in city} == {"01", "LS-01"}


def test_as_of_month_filter_changes_the_schedule(client, org, data):
    login(client, org.staff)
    response = client.get(reverse("admin:projects_project_changelist"), {"as_of": "6"})
    project = next(p for p in response.context["cl"].result_list if p.code == "01")
    assert project.expected == Decimal("0.5")
    assert project.completion == 0  # the September report does not count at June


def test_project_changelist_query_count_is_constant(client, org, make_project, file_report):
    login(client, org.staff)
    url = reverse("admin:projects_project_changelist")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    first = make_project("01", targets={"a": 10})
    file_report(first, 3, {"a": 1})
    few = count()
    for i in range(2, 40):
        project = make_project(f"{i:02d}", targets={"a": 10, "b": 5})
        for month in range(1, 10):
            file_report(project, month, {"a": month, "b": 1})
    assert count() == few


def project_form(plan, **fields):
    """POST data of the project admin form with empty inlines; `fields` override or add (e.g. targets)."""
    data = {
        "plan": plan.pk,
        "code": "01",
        "sequence": 1,
        "title": "项目",
        "level": "city",
        "category": "education",
        "status": "planned",
        "schedule_basis": "linear",
    }
    for prefix in ("targets", "milestones", "reports", "adjustments"):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    data.update(fields)
    return data


def test_staff_creates_project_with_targets_through_admin(client, org, make_project):
    plan_project = make_project("00")
    login(client, org.staff)
    data = project_form(
        plan_project.plan,
        code="02",
        sequence=2,
        title="解决大班额",
        lead_unit=org.edu.pk,
        change_type="new",
        **{
            "targets-TOTAL_FORMS": 1,
            "targets-0-name": "新增学位",
            "targets-0-measure": "个",
            "targets-0-annual_target": "42000",
            "targets-0-weight": "1",
            "targets-0-sequence": 1,
        },
    )
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    project = Project.objects.get(code="02")
    assert project.targets.get().annual_target == Decimal("42000")
    assert project.history.first().history_user == org.staff


def test_duplicate_code_in_plan_gets_a_chinese_error(client, org, make_project):
    existing = make_project("01")
    login(client, org.staff)
    data = project_form(existing.plan, code="01", title="重复", lead_unit=org.edu.pk)
    response = client.post(reverse("admin:projects_project_add"), data)
    assert response.status_code == 200
    assert "已有相同编号的项目" in response.content.decode()
    assert Project.objects.filter(code="01").count() == 1


def test_staff_cannot_link_a_unit_of_another_city(client, org, make_project):
    existing = make_project("01")
    login(client, org.staff)
    response = client.post(
        reverse("admin:projects_project_change", args=[existing.pk]),
        project_form(existing.plan, code="01", title="x", lead_unit=org.jinan_office.pk),
    )
    assert response.status_code == 200
    assert "lead_unit" in response.context["adminform"].form.errors
    existing.refresh_from_db()
    assert existing.lead_unit == org.hrss


def value_formset(report, rows, **extra):
    data = {
        "project": report.project_id,
        "month": report.month,
        "investment_completed": "",
        "narrative": "",
        "problems": "",
        "next_steps": "",
        "correction_reason": "",
        "values-TOTAL_FORMS": len(rows),
        "values-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
        # Read-only inlines (cooperating units' parts, revisions) post their empty management forms too.
        "contributions-TOTAL_FORMS": 0,
        "contributions-INITIAL_FORMS": 0,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
    }
    for i, (target, value) in enumerate(rows):
        data[f"values-{i}-target"] = target.pk
        data[f"values-{i}-value"] = value
    data.update(extra)
    return data


def test_admin_refuses_a_falling_cumulative_value_without_reason(client, org, make_project, file_report):
    project = make_project(targets={"a": 100})
    file_report(project, 8, {"a": 60})
    report = ProgressReport.objects.create(project=project, month=9)
    target = project.targets.get()
    url = reverse("admin:projects_progressreport_change", args=[report.pk])
    login(client, org.staff)

    response = client.post(url, value_formset(report, [(target, "55")]))
    assert response.status_code == 200
    assert "低于8月" in response.content.decode()
    assert not ProgressValue.objects.filter(report=report).exists()

    response = client.post(
        url, value_formset(report, [(target, "55")], correction_reason="8月数据重复统计，已核减")
    )
    assert response.status_code == 302
    assert ProgressValue.objects.get(report=report).value == Decimal("55")


def test_admin_adds_a_report_through_the_service_which_refuses_a_future_month(client, org, make_project):
    past, future = make_project("01"), make_project("02", year=2099)
    url = reverse("admin:projects_progressreport_add")
    fields = {
        "investment_completed": "",
        "narrative": "",
        "problems": "",
        "next_steps": "",
        "correction_reason": "",
    }
    login(client, org.staff)

    response = client.post(url, {"project": future.pk, "month": 3, **fields})
    assert response.status_code == 200
    assert "尚未到来" in response.content.decode()
    assert not ProgressReport.objects.exists()

    assert client.post(url, {"project": past.pk, "month": 3, **fields}).status_code == 302
    report = ProgressReport.objects.get()
    assert (report.project, report.month, report.status) == (past, 3, ReportStatus.DRAFT)


def test_admin_takes_a_value_out_of_a_draft_through_the_service(client, org, make_project, file_report):
    project = make_project(targets={"a": 100, "b": 50})
    report = file_report(project, 9, {"a": 60, "b": 20}, status=ReportStatus.DRAFT)
    a, b = (project.targets.get(name=name) for name in "ab")
    data = value_formset(report, [(a, "65"), (b, "20")], narrative="进展顺利")
    data["values-INITIAL_FORMS"] = 2
    for i, target in enumerate((a, b)):
        data[f"values-{i}-id"] = ProgressValue.objects.get(report=report, target=target).pk
        data[f"values-{i}-report"] = report.pk
    data["values-1-DELETE"] = "on"
    login(client, org.staff)

    response = client.post(reverse("admin:projects_progressreport_change", args=[report.pk]), data)

    assert response.status_code == 302
    assert dict(report.values.values_list("target__name", "value")) == {"a": Decimal("65")}
    report.refresh_from_db()
    assert report.narrative == "进展顺利"


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_admin_adds_and_removes_attachments_through_the_service(
    client, org, make_project, file_report, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = make_project(targets={"a": 100})
    report = file_report(project, 9, {"a": 60}, status=ReportStatus.DRAFT)
    a = project.targets.get()
    url = reverse("admin:projects_progressreport_change", args=[report.pk])

    def post(upload, **rows):
        data = value_formset(report, [(a, "60")])
        data["values-INITIAL_FORMS"] = 1
        data["values-0-id"] = ProgressValue.objects.get(report=report, target=a).pk
        data["values-0-report"] = report.pk
        data.update(
            {"attachments-TOTAL_FORMS": 1, "attachments-0-kind": "photo", "attachments-0-caption": "现场"}
        )
        data.update(rows)
        if upload is not None:
            data["attachments-0-file"] = upload
        return client.post(url, data)

    login(client, org.staff)
    refused = post(SimpleUploadedFile("现场.png", b"not a picture", "image/png"))
    assert refused.status_code == 200  # the service's upload check, shown on the row; nothing stored
    assert not report.attachments.exists()

    assert post(SimpleUploadedFile("现场.png", PNG, "image/png")).status_code == 302
    attachment = report.attachments.get()
    assert (attachment.size, attachment.uploaded_by, attachment.caption) == (len(PNG), org.staff, "现场")

    removed = post(
        None,
        **{
            "attachments-INITIAL_FORMS": 1,
            "attachments-0-id": attachment.pk,
            "attachments-0-report": report.pk,
            "attachments-0-DELETE": "on",
        },
    )
    assert removed.status_code == 302
    assert not report.attachments.exists()


def test_admin_empties_the_investment_of_a_draft(client, org, make_project, file_report):
    """An emptied 累计完成投资 is saved empty (the service leaves other fields given as None alone)."""
    project = make_project(targets={"a": 100})
    report = file_report(project, 9, {"a": 60}, status=ReportStatus.DRAFT, investment=Decimal("120"))
    a = project.targets.get()
    data = value_formset(report, [(a, "60")], narrative="进展顺利")
    data["values-INITIAL_FORMS"] = 1
    data["values-0-id"] = ProgressValue.objects.get(report=report, target=a).pk
    data["values-0-report"] = report.pk
    login(client, org.staff)

    response = client.post(reverse("admin:projects_progressreport_change", args=[report.pk]), data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.investment_completed is None
    assert report.narrative == "进展顺利"


def test_report_workflow_through_admin_detail_actions(client, org, make_project):
    project = make_project(targets={"a": 100})
    report = ProgressReport.objects.create(project=project, month=3)
    login(client, org.staff)
    base = reverse("admin:projects_progressreport_change", args=[report.pk])

    def step(name):
        return reverse(f"admin:projects_progressreport_{name}_detail", args=[report.pk])

    assert client.get(step("submit")).status_code == 200  # a confirmation page; GET changes nothing
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    client.post(step("submit"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == org.staff

    # Four eyes: who submitted it does not review it; the refusal stays on the page.
    refused = client.post(step("accept"))
    assert refused.status_code == 200
    assert "不能审核自己报送的报告" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    login(client, org.admin)

    response = client.post(step("return"), {"reason": ""})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(step("return"), {"reason": "照片缺失，请补充"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "照片缺失，请补充"

    login(client, org.staff)
    client.post(step("submit"))
    login(client, org.admin)
    client.post(step("accept"))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    # Accepted reports are locked in the admin.
    response = client.post(base, value_formset(report, []))
    assert response.status_code == 403


def test_leader_cannot_accept_reports(client, org, make_project, file_report):
    report = file_report(make_project(targets={"a": 1}), 3, {"a": 1})
    login(client, org.leader)
    client.post(reverse("admin:projects_progressreport_accept_detail", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_adjustment_withdraw_through_admin(client, org, make_project):
    project = make_project()
    login(client, org.staff)
    response = client.post(
        reverse("admin:projects_adjustment_add"),
        {
            "project": project.pk,
            "kind": AdjustmentKind.WITHDRAW,
            "reason": "国家政策调整",
            "description": "调整退出",
            "approved_by": "区政府常务会议",
            "approval_document": "庐政〔2017〕1号",
            "approved_on": "2017-05-01",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.WITHDRAWN
    adjustment = Adjustment.objects.get()
    assert adjustment.recorded_by == org.staff


def test_project_page_shows_its_computed_progress(client, org, data):
    url = reverse("admin:projects_project_change", args=[data["city"].pk])
    content = login(client, org.staff).get(url).content.decode()
    # (min(93000/90000, 1) + 137000/150000) / 2 = 95.67%, 20.7 points ahead of the 75% schedule.
    assert "95.7%" in content
    assert "超前20.7个百分点" in content
    assert "绿灯" in content


def test_report_page_offers_a_row_per_unfilled_target(client, org, make_project, file_report):
    project = make_project(targets={"新增城镇就业": 90000, "职业技能新培": 80000, "创业培训": 11000})
    report = file_report(project, 9, {"新增城镇就业": 93000}, status=ReportStatus.DRAFT)
    response = login(client, org.staff).get(reverse("admin:projects_progressreport_change", args=[report.pk]))
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "values")
    offered = [form.initial.get("target") for form in formset.formset.forms]
    targets = {t.name: t.pk for t in project.targets.all()}
    assert offered == [targets["新增城镇就业"], targets["职业技能新培"], targets["创业培训"]]
