"""The one check of an uploaded photo or document, run before anything is stored: type by extension and
by content (the first bytes), and size."""

from pathlib import Path

from django.conf import settings

from minsheng.errors import DomainError

from .choices import AttachmentKind
from .errors import ProjectsErrorCode

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".ofd", ".wps"}
ATTACHMENT_EXTENSIONS: dict[str, set[str]] = {
    AttachmentKind.PHOTO: IMAGE_EXTENSIONS,
    AttachmentKind.DOCUMENT: DOCUMENT_EXTENSIONS,
}

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# What the first bytes of each type look like; a file whose content does not match its name is refused.
SIGNATURES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF-",),
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".ofd": ZIP,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
    ".wps": OLE,
}


def read_head(file, size: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


def content_matches(suffix: str, head: bytes) -> bool:
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix == ".txt":
        return b"\x00" not in head
    return any(head.startswith(signature) for signature in SIGNATURES.get(suffix, ()))


def upload_error(name: str, size: int, kind: str, head: bytes | None) -> str | None:
    """Why this upload is refused (Chinese), or None when it may be stored."""
    suffix = Path(name or "").suffix.lower()
    allowed = ATTACHMENT_EXTENSIONS.get(kind, set())
    if suffix not in allowed:
        return f"不支持的文件类型“{suffix or '无扩展名'}”，允许：{'、'.join(sorted(allowed))}。"
    limit = settings.MINSHENG_ATTACHMENT_MAX_BYTES
    if size > limit:
        return f"文件过大（{size // 1024} KB），上限为 {limit // 1024 // 1024} MB。"
    if size == 0:
        return "文件为空。"
    if head is not None and not content_matches(suffix, head):
        what = "图片" if kind == AttachmentKind.PHOTO else "文档"
        return f"文件内容与扩展名“{suffix}”不符，请上传真实的{what}。"
    return None


def check_upload(file, kind: str) -> None:
    """Refuse (DomainError) an upload of the wrong type, size or content before it is stored."""
    error = upload_error(getattr(file, "name", ""), file.size, kind, read_head(file))
    if error:
        raise DomainError(error, code=ProjectsErrorCode.UPLOAD_REFUSED, field="file")
