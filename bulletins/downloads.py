"""Bulletins as downloads (PDF, Word) with a Chinese file name, for the admin, the API and the public page.

"临沂市民生实事简报2016年第16期.pdf" goes in `filename*` (RFC 5987, UTF-8, percent-encoded); browsers that
do not read it get the ASCII `filename` "bulletin-371300-2016-16.pdf".
"""

from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from minsheng.security_events import EventKind, emit

from . import services

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def file_names(bulletin, extension: str) -> tuple[str, str]:
    """(Chinese name, ASCII fallback) of a bulletin's file: by 期号 once issued, by period for a draft."""
    region = bulletin.region
    if bulletin.is_issued:
        name = f"{region.name}民生实事简报{bulletin.issue_year}年第{bulletin.issue_number}期"
        ascii_name = f"bulletin-{region.code}-{bulletin.issue_year}-{bulletin.issue_number:02d}"
    else:
        name = f"{region.name}民生实事简报{bulletin.year}年{bulletin.period_label}（草稿）"
        ascii_name = f"bulletin-{region.code}-{bulletin.year}-{bulletin.month:02d}-draft"
    return f"{name}.{extension}", f"{ascii_name}.{extension}"


def content_disposition(bulletin, extension: str) -> str:
    name, fallback = file_names(bulletin, extension)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _named(response, bulletin, extension: str, request=None):
    response["Content-Disposition"] = content_disposition(bulletin, extension)
    if request is not None:  # a staff download (the admin, the API); public copies are not logged
        emit(
            EventKind.DOWNLOAD,
            request=request,
            target=f"bulletins.bulletin:{bulletin.pk}",
            detail={"file": file_names(bulletin, extension)[0]},
        )
    return response


def pdf_response(bulletin, request=None):
    """The PDF: the stored file of an issued bulletin, rendered on the fly for a draft."""
    if bulletin.is_issued:
        response = FileResponse(bulletin.pdf.open("rb"), content_type=TYPES["pdf"])
    else:
        response = HttpResponse(services.pdf_bytes(bulletin), content_type=TYPES["pdf"])
    return _named(response, bulletin, "pdf", request)


def docx_response(bulletin, request=None):
    """The Word document, built from the bulletin's (frozen once issued) fields and sections."""
    response = HttpResponse(services.docx_bytes(bulletin), content_type=TYPES["docx"])
    return _named(response, bulletin, "docx", request)
