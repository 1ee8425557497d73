"""Bulletins downloaded as PDF and Word (.docx) with a Chinese file name, wherever and for whom the PDF is;
the 印发 form keeps its date. The Word file is read back with python-docx."""

import datetime
import io
from urllib.parse import quote

import docx
import pytest
from django.test import Client
from django.urls import reverse

from bulletins import services
from bulletins.choices import BulletinStatus
from bulletins.models import Bulletin
from projects.models import ProgressReport
from tests.clients import VerifiedAPIClient, VerifiedClient
from tests.conftest import PASSWORD

OCT = datetime.date(2016, 10, 14)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client_for(user, api=False):
    client = VerifiedAPIClient() if api else VerifiedClient()
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_docx(response) -> docx.document.Document:
    assert response.status_code == 200, response
    assert response["Content-Type"] == DOCX
    return docx.Document(io.BytesIO(body(response)))


def disposition(name: str, fallback: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@pytest.fixture
def issued(org, draft, bulletin_media):
    return services.issue_bulletin(draft, actor=org.staff, issued_on=OCT)


# -- file names -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issued_pdf_has_a_chinese_file_name_with_an_ascii_fallback(org, issued):
    expected = disposition("临沂市民生实事简报2016年第1期.pdf", "bulletin-371300-2016-01.pdf")
    api = client_for(org.leader, api=True).get(f"/api/v1/bulletins/{issued.pk}/pdf/")
    admin = client_for(org.leader).get(reverse("admin:bulletins_bulletin_pdf_detail", args=[issued.pk]))

    for response in (api, admin):
        assert response.status_code == 200
        assert response["Content-Disposition"] == expected
        assert body(response).startswith(b"%PDF")


@pytest.mark.django_db
def test_draft_files_are_named_by_period(org, draft):
    response = client_for(org.staff, api=True).get(f"/api/v1/bulletins/{draft.pk}/docx/")

    assert response["Content-Disposition"] == disposition(
        "临沂市民生实事简报2016年1-9月份（草稿）.docx", "bulletin-371300-2016-09-draft.docx"
    )


@pytest.mark.django_db
def test_the_demo_bulletin_is_named_as_its_issue(linyi_demo, bulletin_media):
    draft = Bulletin.objects.get(region=linyi_demo, year=2016, month=9, status=BulletinStatus.DRAFT)
    issued = services.issue_bulletin(draft)

    response = Client().get(issued.get_public_pdf_url())
    assert response.status_code == 404  # not public yet
    services.set_bulletin_public(issued, True)
    response = Client().get(issued.get_public_docx_url())

    assert (
        "filename*=UTF-8''" + quote("临沂市民生实事简报2016年第16期.docx") in response["Content-Disposition"]
    )
    document = read_docx(response)
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["临沂民生工作简报", "第16期", "（总第57期）"]
    office, date = (cell.text for cell in document.tables[0].rows[0].cells)
    assert (office, date) == ("临沂民生工作办公室", "2016年10月14日")


# -- the Word document --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_docx_has_the_bulletins_anatomy(org, issued):
    document = read_docx(client_for(org.leader, api=True).get(issued.get_docx_url()))

    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    styles = {p.text: p.style.name for p in paragraphs}
    assert texts[:3] == ["临沂民生工作简报", "第1期", "（总第1期）"]
    assert styles["1-9月份全市重点民生事项进展情况通报"] == "Heading 1"
    headings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert headings == [
        "一、关于就业创业服务工作。",
        "二、关于农村公路建设工作。",
        "存在的问题和不足",
        "下一步工作",
    ]
    # Each heading is a paragraph of its own, followed by its text.
    first = texts.index("一、关于就业创业服务工作。")
    assert (
        texts[first + 1] == "1-9月份，完成投资80万元、占年度计划的80%；新增城镇就业900人、完成年度任务的90%。"
    )
    steps = texts.index("下一步工作")
    assert not texts[steps + 1].startswith("下一步工作")
    # The problems' numbered point, its lead in bold as the seed prints it.
    point = next(p for p in paragraphs if p.text.startswith("一是"))
    assert point.runs[0].text == "一是部分项目进度滞后。"
    assert point.runs[0].bold
    assert "农村公路建设（完成20%，红灯）" in point.text
    # Masthead line and the progress table.
    office, date = (cell.text for cell in document.tables[0].rows[0].cells)
    assert (office, date) == ("临沂民生工作办公室", "2016年10月14日")
    table = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert table == [
        ["序号", "项目", "完成率", "序时进度", "状态"],
        ["1", "就业创业服务", "90%", "75%", "绿灯"],
        ["2", "农村公路建设", "20%", "75%", "红灯"],
    ]
    assert any(t.startswith("报：市委、市政府领导") for t in texts)
    assert "签发：签发人甲　审核：审核人乙　编辑：编辑丙　电话：8726095" in texts


@pytest.mark.django_db
def test_docx_of_a_draft_marks_projects_that_did_not_report(org, small_plan, bulletin_media):
    october = services.generate_bulletin(org.city, 2016, 10, actor=org.staff)

    document = read_docx(
        client_for(org.staff).get(reverse("admin:bulletins_bulletin_docx_detail", args=[october.pk]))
    )

    assert [p.text for p in document.paragraphs][1] == "第＿期（草稿）"
    states = [row.cells[4].text for row in document.tables[1].rows[1:]]
    assert states == ["绿灯，未报", "红灯，未报"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "auditor", "filer"])
def test_word_follows_the_pdfs_permissions(org, issued, who):
    draft = services.generate_bulletin(org.city, 2016, 10, actor=org.staff)
    client = client_for(getattr(org, who), api=True)

    assert client.get(issued.get_docx_url()).status_code == 200
    assert client.get(draft.get_docx_url()).status_code == 404
    assert client.get(draft.get_pdf_url()).status_code == 404
    assert client_for(org.jinan_staff, api=True).get(issued.get_docx_url()).status_code == 404
    assert client_for(None, api=True).get(issued.get_docx_url()).status_code == 403
    assert client_for(None).get(issued.get_public_docx_url()).status_code == 404


@pytest.mark.django_db
def test_detail_api_gives_both_download_urls(org, issued):
    row = client_for(org.leader, api=True).get(f"/api/v1/bulletins/{issued.pk}/").json()
    assert row["pdf_url"] == f"/api/v1/bulletins/{issued.pk}/pdf/"
    assert row["docx_url"] == f"/api/v1/bulletins/{issued.pk}/docx/"


@pytest.mark.django_db
def test_admin_list_links_both_files(org, draft):
    page = client_for(org.staff).get(reverse("admin:bulletins_bulletin_changelist")).text
    assert reverse("admin:bulletins_bulletin_pdf_detail", args=[draft.pk]) in page
    assert reverse("admin:bulletins_bulletin_docx_detail", args=[draft.pk]) in page


# -- the 印发 form and the review page ------------------------------------------------------------------


@pytest.mark.django_db
def test_issue_form_shows_the_date_in_iso_format(org, draft):
    draft.issued_on = OCT
    draft.save()
    url = reverse("admin:bulletins_bulletin_issue_detail", args=[draft.pk])
    client = client_for(org.staff)

    page = client.get(url)
    assert 'type="date"' in page.text
    assert 'value="2016-10-14"' in page.text

    again = client.post(url, {"issued_on": "不是日期"})
    assert again.status_code == 200
    assert "输入一个有效的日期。" in again.text
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT


@pytest.mark.django_db
def test_review_page_shows_the_editor_what_was_held_back(org, small_plan):
    ProgressReport.objects.filter(project=small_plan[0], month=9).update(narrative="1-9月份，新增就业900人。")
    october = services.generate_bulletin(org.city, 2016, 10, actor=org.staff)

    page = client_for(org.staff).get(reverse("admin:bulletins_bulletin_change", args=[october.pk]))

    assert page.status_code == 200
    assert "生成时发现的问题" in page.text
    assert "10月份未报，最近一次报送为9月份，其进展情况未打印：1-9月份，新增就业900人。" in page.text
