"""Every upload path judges a file by its content (minsheng/uploads.py): a JPEG/HTML polyglot, a PDF with
JavaScript, HTML renamed .txt, SVG and executables are refused with a Chinese message naming the file, and
nothing is stored."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minsheng.errors import DomainError
from minsheng.uploads import ATTACHMENT_EXTENSIONS, SPREADSHEET_EXTENSIONS, upload_problem
from projects import services as project_services
from projects.choices import AttachmentKind
from projects.models import ReportAttachment
from tests import samples
from tests.clients import VerifiedAPIClient as APIClient
from tests.conftest import PASSWORD

HOSTILE = [
    ("现场.jpg", samples.jpeg_html_polyglot(), "网页或脚本"),
    ("现场.png", samples.png_svg_polyglot(), "网页或脚本"),
    ("报告.pdf", samples.pdf_with_javascript(), "脚本"),
    ("报告.pdf", samples.pdf_with_escaped_javascript(), "脚本"),
    ("报告.pdf", samples.pdf_with_compressed_javascript(), "脚本"),
    ("报告.pdf", samples.pdf_with_launch(), "脚本"),
    ("报告.pdf", samples.pdf_with_embedded_file(), "嵌入文件"),
    ("说明.txt", samples.HTML_AS_TEXT, "网页代码"),
    ("说明.txt", samples.SVG, "网页代码"),
    ("图标.svg", samples.SVG, "不支持的文件类型"),
    ("工具.exe", samples.EXE, "不支持的文件类型"),
    ("照片.jpg", samples.EXE, "不符"),
    ("照片.jpg", samples.png(), "不符"),
    ("台账.docx", samples.office({"word/vbaProject.bin": b"macro"}), "宏"),
    ("台账.docx", b"PK\x03\x04 not really a zip", "不符"),
    ("说明.txt", b"\xff\xfe\x00\x00binary", "不符"),
]
GOOD = [
    ("现场.jpg", samples.jpeg()),
    ("现场.png", samples.png()),
    ("现场.gif", samples.image("GIF")),
    ("现场.webp", samples.image("WEBP")),
    ("报告.pdf", samples.pdf()),
    ("台账.docx", samples.office({"word/document.xml": b"<w:document/>"})),
    ("说明.txt", "二〇二六年整改说明：已补设公示牌 <3".encode()),
    ("说明.txt", "整改说明（GBK）".encode("gbk")),
]


@pytest.mark.parametrize(("name", "content", "why"), HOSTILE)
def test_hostile_files_are_refused_with_a_message_naming_them(name, content, why):
    problem = upload_problem(SimpleUploadedFile(name, content), ATTACHMENT_EXTENSIONS)
    assert problem is not None
    assert problem.startswith(f"“{name}”：")
    assert why in problem


@pytest.mark.parametrize(("name", "content"), GOOD)
def test_real_photos_and_documents_pass(name, content):
    assert upload_problem(SimpleUploadedFile(name, content), ATTACHMENT_EXTENSIONS) is None


def test_a_workbook_with_macros_is_refused_as_a_ledger():
    macro = SimpleUploadedFile("台账.xlsm", samples.office({"xl/vbaProject.bin": b"macro"}))
    assert "宏" in upload_problem(macro, SPREADSHEET_EXTENSIONS)


# -- each path ------------------------------------------------------------------------------------------

POLYGLOT = ("现场.jpg", samples.jpeg_html_polyglot())
PDF_JS = ("报告.pdf", samples.pdf_with_javascript())
HTML_TXT = ("说明.txt", samples.HTML_AS_TEXT)
CASES = pytest.mark.parametrize(("name", "content"), [POLYGLOT, PDF_JS, HTML_TXT])


def files_under(path) -> list:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.usefixtures("filing_day")
@CASES
def test_report_attachment_service_refuses(filing_project, media, name, content):
    kind = AttachmentKind.PHOTO if name.endswith(".jpg") else AttachmentKind.DOCUMENT
    with pytest.raises(DomainError, match=name):
        project_services.add_attachment(
            filing_project,
            5,
            actor=filing_project.org.filer,
            kind=kind,
            file=SimpleUploadedFile(name, content),
        )
    assert not ReportAttachment.objects.exists()
    assert files_under(media) == []


@pytest.mark.usefixtures("filing_day")
@CASES
def test_filing_page_refuses(client, filing_project, media, name, content):
    client.force_login(filing_project.org.filer)
    field = "photos" if name.endswith(".jpg") else "documents"
    url = reverse("filing:report", kwargs={"pk": filing_project.pk, "month": 5})
    response = client.post(
        url, {"action": "save", "narrative": "附件", field: [SimpleUploadedFile(name, content)]}
    )
    assert response.status_code == 400
    assert name in response.content.decode()
    assert files_under(media) == []


@CASES
def test_funding_entry_admin_refuses(client, org, poverty_project, media, name, content):
    from funding.models import Entry
    from tests.funding.test_admin import entry_post

    client.login(username="staff", password=PASSWORD)
    data = entry_post(poverty_project, attachment=SimpleUploadedFile(name, content))
    response = client.post(reverse("admin:funding_entry_add"), data)
    assert response.status_code == 200
    assert name in response.content.decode()
    assert not Entry.objects.exists()
    assert files_under(media) == []


@CASES
def test_funding_entry_service_refuses(org, poverty_project, money, media, name, content):
    with pytest.raises(DomainError, match=name):
        money(
            poverty_project,
            "arrival",
            "central",
            "100",
            "2016-03-01",
            attachment=SimpleUploadedFile(name, content),
        )
    assert files_under(media) == []


@CASES
def test_proposal_attachment_refuses(org, collection_round, media, name, content):
    from proposals import services as proposal_services
    from proposals.choices import ProposalSource
    from proposals.models import Proposal

    data = {
        "proposer_name": "王五",
        "category": "health",
        "title": "社区卫生室",
        "description": "y" * 20,
        "attachment": SimpleUploadedFile(name, content),
    }
    with pytest.raises(DomainError, match=name):
        proposal_services.submit_proposal(
            collection_round, data, source=ProposalSource.LETTER, actor=org.staff
        )
    assert not Proposal.objects.exists()
    assert files_under(media) == []


def test_decision_document_refuses_a_pdf_with_javascript(org, make_candidate, run_decision, media):
    from proposals import services as proposal_services
    from proposals.choices import DecisionOutcome, DecisionStage, RiskRating

    candidate = make_candidate()
    run_decision(candidate, until=DecisionStage.RISK)
    with pytest.raises(DomainError, match="报告.pdf"):
        proposal_services.record_decision_step(
            candidate,
            actor=org.staff,
            stage=DecisionStage.RISK,
            held_on=datetime.date(2016, 10, 20),
            outcome=DecisionOutcome.PASSED,
            social_risk=RiskRating.LOW,
            environmental_risk=RiskRating.LOW,
            fiscal_risk=RiskRating.LOW,
            document=SimpleUploadedFile(*PDF_JS),
        )
    assert files_under(media) == []


@pytest.fixture
def problem(org, make_project):
    from supervision import services
    from supervision.choices import ProblemSource, Severity

    project = make_project("01", year=2026, targets={"指标": 100})
    problem = services.record_problem(
        actor=org.staff,
        source=ProblemSource.PUBLIC,
        project=project,
        description="工地夜间施工扰民",
        severity=Severity.MAJOR,
        found_on=datetime.date(2026, 10, 1),
    )
    services.plan_rectification(
        problem, actor=org.filer, measures="调整施工时间", deadline=datetime.date(2026, 10, 20)
    )
    return problem


@CASES
def test_supervision_evidence_service_refuses(org, problem, media, name, content):
    from supervision import services

    with pytest.raises(DomainError, match=name):
        services.add_evidence(problem, actor=org.filer, file=SimpleUploadedFile(name, content))
    assert files_under(media) == []


@CASES
def test_supervision_evidence_api_refuses_with_json(org, problem, media, name, content):
    api = APIClient()
    api.force_authenticate(org.filer)
    url = f"/api/v1/supervision/problems/{problem.pk}/evidence/"
    response = api.post(url, {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 400
    assert name in response.json()["detail"]
    assert files_under(media) == []


def test_inspection_photo_refuses_a_polyglot(org, media):
    from django.core.exceptions import ValidationError

    from supervision.models import InspectionPhoto

    photo = InspectionPhoto(file=SimpleUploadedFile(*POLYGLOT))
    with pytest.raises(ValidationError, match="网页或脚本"):
        photo.clean()


def test_ledger_upload_refuses_a_workbook_with_macros(client, org, media):
    from ledgers.models import LedgerImport

    client.login(username="staff", password=PASSWORD)
    macro = SimpleUploadedFile("台账.xlsm", samples.office({"xl/vbaProject.bin": b"macro"}))
    response = client.post(
        reverse("admin:ledgers_ledgerimport_upload"),
        {"kind": "progress", "region": org.city.pk, "year": "", "file": macro},
    )
    assert "宏" in response.content.decode()
    assert not LedgerImport.objects.exists()
