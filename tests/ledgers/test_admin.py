"""The ledger admin: upload, dry-run preview, confirm, progress of large files, templates and exports,
with staff-only import and exports limited to what the user sees."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ledgers.choices import ImportStatus
from ledgers.models import LedgerImport
from projects.models import ProgressValue
from tests.fixtures.ledgers import build_workbook

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:ledgers_ledgerimport_upload")
EXPORT = reverse("admin:ledgers_ledgerimport_export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def progress_file(value=93000):
    rows = [
        ["2016年临沂市民生实事进展台账"],
        ["项目编号", "月份", "指标名称", "累计完成值"],
        ["01", "1-9月", "新增城镇就业人数", value],
    ]
    content = build_workbook(("9月", rows)).getvalue()
    return SimpleUploadedFile("九月进展.xlsx", content)


def upload(client, org, file, **extra):
    data = {"kind": "progress", "region": org.city.pk, "year": "", "file": file, **extra}
    return client.post(UPLOAD, data)


def test_staff_upload_previews_then_confirm_imports(
    client, org, ledger_project, django_capture_on_commit_callbacks
):
    client.force_login(org.staff)
    response = upload(client, org, progress_file())
    ledger_import = LedgerImport.objects.get()
    assert response.url == reverse("admin:ledgers_ledgerimport_preview", args=[ledger_import.pk])
    assert ledger_import.status == ImportStatus.CHECKED
    assert not ProgressValue.objects.exists()
    page = client.get(response.url).content.decode()
    assert "新增 1 行" in page
    assert "确认导入" in page
    assert "01 新增城镇就业 9月 新增城镇就业人数" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:ledgers_ledgerimport_confirm", args=[ledger_import.pk]))
    ledger_import.refresh_from_db()
    assert ledger_import.status == ImportStatus.IMPORTED
    assert ledger_import.confirmed_by == org.staff
    value = ProgressValue.objects.get()
    assert value.value == 93000
    assert value.history.get().history_change_reason == "台账导入：九月进展.xlsx"
    # A second confirmation is refused: nothing is imported twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:ledgers_ledgerimport_confirm", args=[ledger_import.pk]))
    assert ProgressValue.history.count() == 1


def test_errors_are_listed_with_sheet_row_and_column_and_no_confirm(client, org, ledger_project):
    client.force_login(org.staff)
    response = upload(client, org, progress_file(value="很多"))
    ledger_import = LedgerImport.objects.get()
    assert ledger_import.status == ImportStatus.FAILED
    page = client.get(response.url).content.decode()
    assert "9月" in page
    assert ">3<" in page
    assert "D（累计完成值）" in page
    assert "“很多”不是有效的数字" in page
    assert "确认导入" not in page


def test_a_large_file_runs_as_a_task_and_its_progress_is_polled(
    client, org, ledger_project, settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_ASYNC_BYTES = 0
    client.force_login(org.staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(client, org, progress_file())
    ledger_import = LedgerImport.objects.get()
    status_url = reverse("admin:ledgers_ledgerimport_status", args=[ledger_import.pk])
    waiting = client.get(status_url).json()
    assert waiting["running"]
    assert waiting["progress"]["stage"] == "queued"
    assert (
        "ledger-progress"
        in client.get(reverse("admin:ledgers_ledgerimport_preview", args=[ledger_import.pk])).content.decode()
    )
    for callback in callbacks:
        callback()  # the worker runs the task (eager in tests)
    done = client.get(status_url).json()
    assert done == {
        "status": "checked",
        "status_label": "预检通过，待确认",
        "running": False,
        "progress": {"stage": "done", "done": 1, "total": 1},
    }


def test_a_zip_bomb_upload_is_refused_before_parsing(client, org, settings):
    settings.LEDGER_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    client.force_login(org.staff)
    from tests.ledgers.test_safety import bomb

    response = upload(client, org, SimpleUploadedFile("bomb.xlsx", bomb(5)))
    assert response.status_code == 200
    assert "压缩" in response.content.decode() or "解压后过大" in response.content.decode()
    assert not LedgerImport.objects.exists()


@pytest.mark.parametrize("username", ["leader", "auditor"])
def test_leaders_and_auditors_cannot_import_but_export_what_they_see(client, org, ledger_project, username):
    client.force_login(getattr(org, username))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, org, progress_file()).status_code == 403
    response = client.get(EXPORT, {"kind": "projects", "plan": ledger_project.plan.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content))["台账"].iter_rows(values_only=True))
    assert rows[2][1] == "01"


def test_the_export_page_offers_the_funding_ledger_beside_the_progress_ledger(client, org, ledger_project):
    client.force_login(org.staff)
    page = client.get(EXPORT).content.decode()
    assert '<option value="progress"' in page
    assert '<option value="funding"' in page
    response = client.get(EXPORT, {"kind": "funding", "plan": ledger_project.plan.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:2] == ["台账", "分级资金"]


def test_export_of_a_plan_outside_the_users_region_is_refused(client, org, make_project):
    other = make_project("09", region=org.other_city, lead_unit=org.jinan_office)
    client.force_login(org.leader)
    response = client.get(EXPORT, {"kind": "projects", "plan": other.plan.pk})
    assert response["Content-Type"].startswith("text/html")
    assert "选择一个有效的选项" in response.content.decode()


def test_filers_have_no_ledger_admin(client, org):
    client.force_login(org.filer)
    assert client.get(UPLOAD).status_code in (302, 403)
    assert client.get(EXPORT).status_code in (302, 403)


def test_county_staff_cannot_import_into_the_city(client, org):
    client.force_login(org.county_staff)
    response = upload(client, org, progress_file())
    assert response.status_code == 200  # the form refuses a region the user cannot see
    assert not LedgerImport.objects.exists()


def test_templates_download(client, org):
    client.force_login(org.leader)
    response = client.get(reverse("admin:ledgers_ledgerimport_template", args=["projects"]))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["台账", "填写说明"]


def test_changelist_lists_imports(client, org, ledger_project, django_assert_max_num_queries):
    client.force_login(org.staff)
    upload(client, org, progress_file())
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:ledgers_ledgerimport_changelist")).content.decode()
    assert "九月进展.xlsx" in page
    assert "上传台账" in page
    assert "导出台账/汇总表" in page


def test_leaders_see_the_export_button_but_not_the_upload_button(client, org):
    client.force_login(org.leader)
    page = client.get(reverse("admin:ledgers_ledgerimport_changelist")).content.decode()
    assert "导出台账/汇总表" in page
    assert "上传台账" not in page
