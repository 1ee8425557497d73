"""Photos and documents: a wrong type, a forged content or an oversized file is refused before storing."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minsheng.errors import DomainError, InvalidTransition
from projects import services
from projects.choices import AttachmentKind, ReportStatus
from projects.models import ProgressReport, ReportAttachment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("filing_day")]

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MINSHENG_ATTACHMENT_MAX_BYTES = 1024
    return settings.MEDIA_ROOT


def stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def post(client, project, **files):
    url = reverse("filing:report", kwargs={"pk": project.pk, "month": 5})
    return client.post(url, {"action": "save", "narrative": "有附件", **files})


def test_page_stores_a_real_photo_and_document(client, filing_project, media):
    client.force_login(filing_project.org.filer)
    response = post(
        client,
        filing_project,
        photos=[SimpleUploadedFile("现场.png", PNG, "image/png")],
        documents=[SimpleUploadedFile("台账.pdf", PDF, "application/pdf")],
    )
    assert response.status_code == 302
    kinds = sorted(ReportAttachment.objects.values_list("kind", "size"))
    assert kinds == [("document", len(PDF)), ("photo", len(PNG))]
    assert len(stored(media)) == 2


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("photos", SimpleUploadedFile("big.png", PNG + b"\0" * 2000, "image/png"), "文件过大"),
        (
            "documents",
            SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
            "不支持的文件类型",
        ),
        ("photos", SimpleUploadedFile("fake.png", b"<?php echo 1; ?>", "image/png"), "文件内容与扩展名"),
        ("documents", SimpleUploadedFile("fake.pdf", PNG, "application/pdf"), "文件内容与扩展名"),
        ("photos", SimpleUploadedFile("report.pdf", PDF, "application/pdf"), "不支持的文件类型"),
    ],
)
def test_page_refuses_bad_uploads_and_changes_nothing(client, filing_project, media, field, upload, message):
    client.force_login(filing_project.org.filer)
    response = post(client, filing_project, **{field: [upload]})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored(media) == []
    assert not ProgressReport.objects.filter(month=5).exists()  # the narrative was not saved either


def test_oversized_upload_is_cut_off_while_streaming(client, filing_project, media, settings, tmp_path):
    # Django would spool a large upload to a temporary file; the guard skips it at the limit instead.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    client.force_login(filing_project.org.filer)
    response = post(client, filing_project, photos=[SimpleUploadedFile("huge.png", PNG + b"\0" * 50_000)])
    assert response.status_code == 400
    assert "huge.png" in response.content.decode()
    assert list((tmp_path / "spool").iterdir()) == []
    assert stored(media) == []


def test_service_checks_before_storing(filing_project, media):
    filer = filing_project.org.filer
    with pytest.raises(DomainError, match="文件内容与扩展名"):
        services.add_attachment(
            filing_project,
            5,
            actor=filer,
            kind=AttachmentKind.PHOTO,
            file=SimpleUploadedFile("x.jpg", b"GIF89a"),
        )
    with pytest.raises(DomainError, match="文件过大"):
        services.add_attachment(
            filing_project,
            5,
            actor=filer,
            kind=AttachmentKind.DOCUMENT,
            file=SimpleUploadedFile("x.txt", b"a" * 2000),
        )
    assert stored(media) == []
    assert not ReportAttachment.objects.exists()


def test_attachments_follow_the_report_lock(client, filing_project, media):
    org = filing_project.org
    attachment = services.add_attachment(
        filing_project,
        5,
        actor=org.edu_filer,
        kind=AttachmentKind.PHOTO,
        file=SimpleUploadedFile("a.png", PNG),
    )
    # Neither another unit nor the lead unit after acceptance can change it.
    with pytest.raises(DomainError):
        services.remove_attachment(attachment, actor=org.lanshan_filer)
    ProgressReport.objects.filter(pk=attachment.report_id).update(
        status=ReportStatus.ACCEPTED, submitted_at="2026-06-02T10:00:00+08:00"
    )
    with pytest.raises(InvalidTransition):
        services.remove_attachment(attachment, actor=org.filer)
    with pytest.raises(InvalidTransition):
        services.add_attachment(
            filing_project,
            5,
            actor=org.filer,
            kind=AttachmentKind.PHOTO,
            file=SimpleUploadedFile("b.png", PNG),
        )
    assert ReportAttachment.objects.count() == 1
    assert len(stored(media)) == 1
    ProgressReport.objects.filter(pk=attachment.report_id).update(status=ReportStatus.DRAFT)
    client.force_login(org.edu_filer)
    client.post(reverse("filing:delete_attachment", args=[attachment.pk]))
    assert not ReportAttachment.objects.exists()
