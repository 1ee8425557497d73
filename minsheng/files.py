"""Private files (report attachments, funding vouchers, proposal attachments, decision documents,
supervision evidence and photos, ledger imports, issued bulletin PDFs) are never served from a public
/media/ path: the storage's URL of every stored file is /files/<name>, a view that finds the record holding
that file among the rows the user may see (the one access policy, `Model.objects.restrict(user)`), answers
404 otherwise, records the download as a security event, and hands the bytes over either itself or through
nginx (X-Accel-Redirect to an `internal` location, settings.MINSHENG_X_ACCEL_REDIRECT_PREFIX).

Because the URL comes from the storage, every `.url` (the admin's file widgets and read-only fields, the
API's FileFields, templates) already points here; nothing has to remember to.
"""

import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from minsheng.security_events import EventKind, emit
from minsheng.uploads import IMAGE_EXTENSIONS

# Where each kind of private file lives (its upload_to prefix) and which model field holds it.
PRIVATE_FILES: list[tuple[str, str, str]] = [
    ("reports/", "projects.ReportAttachment", "file"),
    ("funding/", "funding.Entry", "attachment"),
    ("proposals/", "proposals.ProposalAttachment", "file"),
    ("decisions/", "proposals.DecisionStep", "document"),
    ("supervision/evidence/", "supervision.Evidence", "file"),
    ("supervision/inspections/", "supervision.InspectionPhoto", "file"),
    ("ledgers/", "ledgers.LedgerImport", "file"),
    ("bulletins/", "bulletins.Bulletin", "pdf"),
]


class ProtectedFileStorage(FileSystemStorage):
    """The file system storage under MEDIA_ROOT whose URLs lead to the access-checked view."""

    def url(self, name):
        if name is None:
            raise ValueError("This file is not accessible via a URL.")
        return reverse("private-file", kwargs={"name": name.replace("\\", "/")})


def holders(name: str) -> list[tuple[type[models.Model], str]]:
    """The (model, field) pairs that may hold a file of this name, by its folder."""
    return [
        (apps.get_model(label), field) for prefix, label, field in PRIVATE_FILES if name.startswith(prefix)
    ]


def find_record(user, name: str) -> tuple[models.Model, str]:
    """The record holding file `name` among those `user` may see, and its field; Http404 otherwise."""
    for model, field in holders(name):
        record = model._default_manager.restrict(user).filter(**{field: name}).first()  # type: ignore[attr-defined]
        if record is not None:
            return record, field
    raise Http404("文件不存在或您无权查看。")


def file_response(request, fieldfile, *, record: models.Model) -> HttpResponse | FileResponse:
    """The answer carrying a private file: inline for images, as an attachment otherwise, never sniffed;
    through nginx when MINSHENG_X_ACCEL_REDIRECT_PREFIX is set. Records the download."""
    name = fieldfile.name
    filename = Path(name).name
    inline = Path(name).suffix.lower() in IMAGE_EXTENSIONS
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = getattr(settings, "MINSHENG_X_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        if not fieldfile.storage.exists(name):
            raise Http404("文件不存在。")
        response: HttpResponse | FileResponse = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在。") from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    # A private file is not kept by shared caches (nor by the browser beyond this user's session).
    response["Cache-Control"] = "private, no-store"
    emit(
        EventKind.DOWNLOAD,
        request=request,
        target=f"{record._meta.label_lower}:{record.pk}",
        detail={"file": filename, "path": name},
    )
    return response


def private_file(request, name: str):
    """/files/<name>: the stored file, for users who may see the record that holds it (404 otherwise)."""
    record, field = find_record(request.user, name)
    return file_response(request, getattr(record, field), record=record)
