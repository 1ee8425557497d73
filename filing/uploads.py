"""The streaming upload guard of the filing pages; it lives in minsheng/uploads.py with the content check
that every upload path shares."""

from minsheng.uploads import ATTACHMENT_EXTENSIONS as ALLOWED_EXTENSIONS
from minsheng.uploads import GuardedUploadHandler, guard_uploads

__all__ = ["ALLOWED_EXTENSIONS", "GuardedUploadHandler", "guard_uploads"]
