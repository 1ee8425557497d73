"""The filing workflow end to end in Debian's chromium: a filer on a phone, staff on a desktop."""

import base64

import pytest

from projects.choices import ReportStatus
from projects.models import ProgressReport
from tests.fixtures.browser import pass_second_step, second_step_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def sign_in(page, base, username):
    code = second_step_code(username)
    page.goto(f"{base}/filing/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("test-pass-123")
    page.get_by_role("button", name="登录").click()
    pass_second_step(page, code)  # issue 15: the second factor after the password
    # The one login lands each role on its home: a filer on /filing/, staff on the workbench.
    page.wait_for_url(f"{base}/filing/" if username.startswith("filer") else f"{base}/workbench/")


def test_filer_files_on_a_phone_staff_returns_and_accepts(
    live_server, phone_page, browser_page, filing_project, media
):
    base = live_server.url
    page = phone_page
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    sign_in(page, base, "filer")
    page.goto(f"{base}/filing/?period=2026-05")
    item = page.locator(".project-list li", has_text="城镇新增就业")
    assert "未开始" in item.inner_text()
    assert "6月5日" in item.inner_text()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    item.get_by_role("link").click()
    # The page's script is deferred: wait for it (the load event) before typing, as a person would see it.
    page.wait_for_load_state("load")

    jobs = page.get_by_label("新增城镇就业（人）")
    assert "30,000人" in page.locator(".indicator").first.inner_text()  # April beside the field
    jobs.fill("45000")
    # The rate follows the typing (static/filing/report.js): 45000 / 90000.
    assert page.locator(".indicator").first.locator("output").inner_text() == "50.0%"
    jobs.fill("25000")
    assert page.locator(".indicator").first.get_by_text("低于上月").is_visible()
    jobs.fill("45000")
    # Keyboard: Tab goes from the first value to the second.
    jobs.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == page.get_by_label(
        "职业技能培训（人）"
    ).get_attribute("id")
    page.keyboard.type("30000")
    page.get_by_label("累计完成投资（万元）").fill("1200")
    page.get_by_label("进展情况").fill("开展春风行动，新增就业4.5万人。")
    page.get_by_label("照片").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="保存草稿").click()
    assert "已保存草稿" in page.locator(".messages").inner_text()
    assert page.locator("#report-status").inner_text() == "草稿"
    assert "现场.png" in page.locator(".attachments").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="报送").click()
    assert page.locator("#report-status").inner_text() == "已提交"
    assert questions
    assert "确认报送2026年1-5月进展" in questions[0]

    desk = browser_page
    sign_in(desk, base, "staff")
    desk.get_by_role("link", name="待审核").click()
    desk.get_by_role("link", name="城镇新增就业").click()
    desk.get_by_label("退回原因").fill("请补充就业人员名册")
    desk.get_by_role("button", name="退回").click()
    assert desk.locator("#report-status").inner_text() == "已退回"

    page.reload()
    assert "请补充就业人员名册" in page.locator(".notice").inner_text()
    page.get_by_label("问题", exact=False).first.fill("名册已补充")
    page.get_by_role("button", name="报送").click()
    assert page.locator("#report-status").inner_text() == "已提交"

    desk.reload()
    desk.get_by_role("button", name="采纳").click()
    assert desk.locator("#report-status").inner_text() == "已采纳"

    page.reload()
    assert page.get_by_role("button", name="保存草稿").count() == 0
    assert page.get_by_role("button", name="提交更正").is_visible()
    report = ProgressReport.objects.get(project=filing_project, month=5)
    assert report.status == ReportStatus.ACCEPTED
    assert report.investment_completed == 12_000_000
    assert [f"{v.value.normalize():f}" for v in report.values.all()] == ["45000", "30000"]
    assert page.js_errors == []
    assert desk.js_errors == []


def test_form_works_without_javascript(live_server, chromium_browser, filing_project):
    context = chromium_browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "filer")
        page.goto(f"{live_server.url}/filing/projects/{filing_project.pk}/months/5/")
        page.get_by_label("新增城镇就业（人）").fill("60000")
        page.get_by_role("button", name="保存草稿").click()
        # The server printed the rate of the saved value.
        assert page.locator(".indicator").first.locator("output").inner_text() == "66.7%"
        # 报送 without JavaScript: the server saves and asks, a second button submits.
        page.get_by_role("button", name="报送").click()
        assert page.locator("#report-status").inner_text() == "草稿"
        page.get_by_role("button", name="确认报送").click()
        assert page.locator("#report-status").inner_text() == "已提交"
    finally:
        context.close()
