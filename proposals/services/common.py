"""Helpers shared by the proposals' workflow steps: staff checks, validation as DomainError, attachments."""

from pathlib import Path

from django.core.exceptions import ValidationError

from minsheng.errors import CommonErrorCode, DomainError
from org import access
from projects.choices import AttachmentKind
from projects.models import ATTACHMENT_EXTENSIONS

from ..models import Proposal, ProposalAttachment, check_attachment


def _require_staff(actor, region) -> None:
    """民生办 staff of the region or a region above it (or an administrator) may handle its records."""
    access.require(
        "manage",
        actor,
        region,
        message="只有民生办工作人员可以办理此事项。",
        outside="您无权办理其他区划的事项。",
    )


def _first_message(exc: ValidationError) -> tuple[str, str | None]:
    if hasattr(exc, "error_dict"):
        name, errors = next(iter(exc.error_dict.items()))
        return errors[0].messages[0], (None if name == "__all__" else name)
    return exc.messages[0], None


def _full_clean(obj, **kwargs) -> None:
    """Run the model's validation and speak it as a DomainError (nothing is written on failure)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        message, name = _first_message(exc)
        raise DomainError(message, code=CommonErrorCode.INVALID, field=name) from None


def _reason(reason: str | None, message: str, name: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(message, code=CommonErrorCode.REASON_REQUIRED, field=name)
    return text


def attachment_kind(filename: str) -> str:
    """Photo or document, from the file's extension (DomainError if neither accepts it)."""
    suffix = Path(filename).suffix.lower()
    for kind, suffixes in ATTACHMENT_EXTENSIONS.items():
        if suffix in suffixes:
            return kind
    allowed = sorted(set().union(*ATTACHMENT_EXTENSIONS.values()))
    raise DomainError(
        f"不支持的文件类型“{suffix or '无扩展名'}”，允许：{'、'.join(allowed)}。",
        code=CommonErrorCode.INVALID,
        field="attachment",
    )


def add_attachment(proposal: Proposal, file, *, caption: str = "") -> ProposalAttachment:
    """Attach a photo or document to a proposal, checked like the monthly reports' attachments."""
    kind = attachment_kind(file.name)
    try:
        size = check_attachment(kind, file)
    except ValidationError as exc:
        raise DomainError(_first_message(exc)[0], code=CommonErrorCode.INVALID, field="attachment") from None
    return ProposalAttachment.objects.create(
        proposal=proposal, kind=AttachmentKind(kind), file=file, caption=caption[:200], size=size
    )
