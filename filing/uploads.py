"""An upload handler that refuses an attachment while it streams in: a wrong type is skipped at its first
byte and an oversized file as soon as it passes the limit, before Django stores it anywhere."""

from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from projects.uploads import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS

ALLOWED_EXTENSIONS = IMAGE_EXTENSIONS | DOCUMENT_EXTENSIONS


class GuardedUploadHandler(FileUploadHandler):
    """First in request.upload_handlers; refusals are listed in request.upload_refusals for the form."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.refusals: list[str] = []
        request.upload_refusals = self.refusals

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        suffix = Path(file_name or "").suffix.lower()
        if suffix not in ALLOWED_EXTENSIONS:
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


def guard_uploads(request) -> None:
    """Put the guard before Django's own handlers; call before request.POST or FILES is read."""
    request.upload_handlers.insert(0, GuardedUploadHandler(request))
