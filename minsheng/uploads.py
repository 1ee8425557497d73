"""The one check of every uploaded file (report attachments, funding vouchers, proposal attachments and
decision documents, supervision evidence and photos, ledger imports), run before anything is stored.

A file is judged by its content, not its name: its extension says what it claims to be, and the bytes must
be that and nothing more dangerous:
- images (JPEG, PNG, GIF, WebP) must open and verify in Pillow as the format their name says, and carry no
  HTML or SVG markup (a JPEG/HTML polyglot is sniffed as a page by some browsers);
- PDFs start with the PDF header and carry no active content (JavaScript, automatic actions, launch actions,
  embedded files), looked for in the file and in its compressed streams, with #xx name escapes undone;
- Office documents are zip containers with [Content_Types].xml (OFD: OFD.xml) and no macro project, or the
  legacy OLE container;
- plain text is UTF-8 or GBK with no NUL and no HTML markup (HTML renamed .txt is refused);
- anything else (SVG, executables, archives, unknown types) is refused by its extension.
Messages are Chinese and name the file.
"""

import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.deconstruct import deconstructible
from PIL import Image, UnidentifiedImageError

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
OFFICE_ZIP_EXTENSIONS = frozenset({".docx", ".xlsx", ".pptx", ".ofd", ".xlsm"})
OLE_EXTENSIONS = frozenset({".doc", ".xls", ".ppt", ".wps"})
DOCUMENT_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".ofd", ".wps"}
)
SPREADSHEET_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
ATTACHMENT_EXTENSIONS = IMAGE_EXTENSIONS | DOCUMENT_EXTENSIONS

PILLOW_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# Markup that makes a browser (or a careless viewer) treat bytes as a page or a script.
MARKUP = re.compile(rb"<(?:html|script|svg|body|iframe|object|embed|!doctype\s+html)[\s>/]", re.I)
# PDF names that run something or carry something: JavaScript, actions on open or on events, launching
# programs, embedded files, Flash/3D rich media, XFA forms (scriptable).
# An /OpenAction that runs JavaScript names /JS or /JavaScript, so those two catch it.
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|AA|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9])")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
# Uncompressed sizes past this are not inflated further (a deflate bomb is refused, not expanded).
PDF_INFLATE_LIMIT = 50 * 1024 * 1024


def _read_all(file, limit: int) -> bytes:
    """The whole upload (at most `limit` + 1 bytes), leaving its position alone."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(position)
    return data if isinstance(data, bytes) else data.encode()


def _image_problem(suffix: str, data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return f"文件内容与扩展名“{suffix}”不符，不是有效的图片"
    if found != PILLOW_FORMATS[suffix]:
        return f"文件内容与扩展名“{suffix}”不符（实为 {found or '未知'} 图片）"
    if MARKUP.search(data):
        return "图片中夹带网页或脚本代码"
    return None


def _pdf_texts(data: bytes) -> Iterable[bytes]:
    """The PDF's bytes, then each of its streams inflated (FlateDecode) where that works."""
    yield data
    inflated = 0
    for match in PDF_STREAM.finditer(data):
        try:
            decompressor = zlib.decompressobj()
            chunk = decompressor.decompress(match.group(1), PDF_INFLATE_LIMIT - inflated)
        except zlib.error:
            continue
        inflated += len(chunk)
        yield chunk
        if inflated >= PDF_INFLATE_LIMIT:
            return


def _pdf_problem(data: bytes) -> str | None:
    if not data.startswith(b"%PDF-"):
        return "文件内容与扩展名“.pdf”不符，不是有效的 PDF 文件"
    for text in _pdf_texts(data):
        text = PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)
        if PDF_ACTIVE.search(text):
            return "PDF 中含有脚本、自动动作或嵌入文件，出于安全原因不予接收，请另存为普通 PDF 后上传"
    return None


def _zip_problem(suffix: str, data: bytes) -> str | None:
    if not data.startswith(ZIP_SIGNATURE):
        return f"文件内容与扩展名“{suffix}”不符"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {name.lower() for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return f"文件内容与扩展名“{suffix}”不符，不是有效的文档"
    expected = "ofd.xml" if suffix == ".ofd" else "[content_types].xml"
    if expected not in names:
        return f"文件内容与扩展名“{suffix}”不符，不是有效的文档"
    if any(name.endswith("vbaproject.bin") for name in names):
        return "文档中含有宏，出于安全原因不予接收，请另存为不含宏的文档后上传"
    return None


def _text_problem(data: bytes) -> str | None:
    if b"\x00" in data:
        return "文件内容与扩展名“.txt”不符，不是纯文本文件"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return "不是 UTF-8 或 GBK 编码的纯文本"
    if MARKUP.search(data) or re.search(rb"<\?xml|<[a-z]+[^>]*\son[a-z]+\s*=", data, re.I):
        return "文本中含有网页代码，请上传纯文本或 PDF"
    return None


def content_problem(suffix: str, data: bytes) -> str | None:
    """Why `data` is not a safe file of type `suffix` (Chinese, without the file name), or None."""
    if suffix in PILLOW_FORMATS:
        return _image_problem(suffix, data)
    if suffix == ".pdf":
        return _pdf_problem(data)
    if suffix in OFFICE_ZIP_EXTENSIONS:
        return _zip_problem(suffix, data)
    if suffix in OLE_EXTENSIONS:
        return None if data.startswith(OLE_SIGNATURE) else f"文件内容与扩展名“{suffix}”不符"
    if suffix == ".txt":
        return _text_problem(data)
    return "不支持的文件类型"


def upload_problem(
    file, allowed: Iterable[str], *, name: str | None = None, max_bytes: int | None = None
) -> str | None:
    """Why this upload is refused (Chinese, naming the file), or None when it may be stored. The size limit
    is MINSHENG_ATTACHMENT_MAX_BYTES unless `max_bytes` says otherwise (ledger workbooks have their own)."""
    name = Path(name or getattr(file, "name", "") or "").name
    suffix = Path(name).suffix.lower()
    allowed = frozenset(allowed)
    if suffix not in allowed:
        return f"“{name}”：不支持的文件类型“{suffix or '无扩展名'}”，允许：{'、'.join(sorted(allowed))}。"
    size = getattr(file, "size", None)
    limit = max_bytes or settings.MINSHENG_ATTACHMENT_MAX_BYTES
    if size is not None and size > limit:
        return f"“{name}”：文件过大（{size // 1024} KB），上限为 {limit // 1024 // 1024} MB。"
    data = _read_all(file, limit)
    if len(data) > limit:
        return f"“{name}”：文件过大，上限为 {limit // 1024 // 1024} MB。"
    if not data:
        return f"“{name}”：文件为空。"
    problem = content_problem(suffix, data)
    return f"“{name}”：{problem}。" if problem else None


def check_file(file, allowed: Iterable[str], *, field: str = "file", max_bytes: int | None = None) -> None:
    """Refuse (DomainError, code upload_refused) an upload of the wrong type, size or content: for
    services, so the API and the pages that call them get the same answer."""
    problem = upload_problem(file, allowed, max_bytes=max_bytes)
    if problem:
        from minsheng.errors import DomainError
        from projects.errors import ProjectsErrorCode  # the code the report attachments have always used

        raise DomainError(problem, code=ProjectsErrorCode.UPLOAD_REFUSED, field=field)


@deconstructible
class UploadValidator:
    """A model/form field validator: the content check above on a newly uploaded file."""

    def __init__(self, allowed: Iterable[str] = ATTACHMENT_EXTENSIONS):
        self.allowed = tuple(sorted(allowed))

    def __call__(self, file) -> None:
        if getattr(file, "_committed", False):  # a stored file was checked when it came in
            return
        problem = upload_problem(file, self.allowed)
        if problem:
            raise ValidationError(problem, code="upload_refused")

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and other.allowed == self.allowed

    def __hash__(self) -> int:
        return hash(self.allowed)


class GuardedUploadHandler(FileUploadHandler):
    """An upload handler that refuses a file while it streams in: a wrong extension at its first byte and an
    oversized file as soon as it passes the limit, before Django stores it anywhere. First in
    request.upload_handlers; refusals are listed in request.upload_refusals for the form. The content
    check (upload_problem) runs on what it lets through."""

    def __init__(self, request=None, allowed: Iterable[str] = ATTACHMENT_EXTENSIONS):
        super().__init__(request)
        self.allowed = frozenset(allowed)
        self.received = 0
        self.refusals: list[str] = []
        request.upload_refusals = self.refusals

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        suffix = Path(file_name or "").suffix.lower()
        if suffix not in self.allowed:
            self._refuse(f"“{file_name}”：不支持的文件类型“{suffix or '无扩展名'}”。")
        if content_length and content_length > settings.MINSHENG_ATTACHMENT_MAX_BYTES:
            self._refuse(self._too_large())

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        if self.received > settings.MINSHENG_ATTACHMENT_MAX_BYTES:
            self._refuse(self._too_large())
        return raw_data

    def file_complete(self, file_size):
        return None

    def _too_large(self) -> str:
        limit = settings.MINSHENG_ATTACHMENT_MAX_BYTES // 1024 // 1024
        return f"“{self.file_name}”：文件过大，上限为 {limit} MB，未保存。"

    def _refuse(self, message: str):
        self.refusals.append(message)
        raise SkipFile(message)


def guard_uploads(request, allowed: Iterable[str] = ATTACHMENT_EXTENSIONS) -> None:
    """Put the guard before Django's own handlers; call before request.POST or FILES is read."""
    request.upload_handlers.insert(0, GuardedUploadHandler(request, allowed))
