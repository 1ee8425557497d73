"""The report attachments' upload rule: which types a photo and a document may be; the check itself
(extension, size, content) is minsheng/uploads.py, shared by every upload path."""

from minsheng.errors import DomainError
from minsheng.uploads import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS, upload_problem

from .choices import AttachmentKind
from .errors import ProjectsErrorCode

__all__ = ["ATTACHMENT_EXTENSIONS", "DOCUMENT_EXTENSIONS", "IMAGE_EXTENSIONS", "check_upload", "upload_error"]

ATTACHMENT_EXTENSIONS: dict[str, frozenset[str]] = {
    AttachmentKind.PHOTO: IMAGE_EXTENSIONS,
    AttachmentKind.DOCUMENT: DOCUMENT_EXTENSIONS,
}


def upload_error(file, kind: str) -> str | None:
    """Why this upload of `kind` (photo or document) is refused (Chinese, naming the file), or None."""
    return upload_problem(file, ATTACHMENT_EXTENSIONS.get(kind, frozenset()))


def check_upload(file, kind: str) -> None:
    """Refuse (DomainError) an upload of the wrong type, size or content before it is stored."""
    error = upload_error(file, kind)
    if error:
        raise DomainError(error, code=ProjectsErrorCode.UPLOAD_REFUSED, field="file")
