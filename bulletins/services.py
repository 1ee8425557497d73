"""Bulletin workflow: generate a draft, edit it, issue it (numbers, frozen HTML/text, PDF), publish it."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from minsheng.errors import DomainError, InvalidTransition
from org import access
from org.models import Region

from . import generator, render, word
from .choices import BulletinStatus
from .errors import BulletinsErrorCode
from .models import Bulletin, BulletinSection, BulletinSettings


def _require_staff(actor, region: Region) -> None:
    # The scheduler and the management command act as the system (access.SYSTEM), the office itself.
    access.require("manage", actor, region, message="只有本级及上级民生办工作人员可以生成或印发简报。")


def settings_for(region: Region) -> BulletinSettings:
    """The region's bulletin settings, created with defaults on first use."""
    found, _ = BulletinSettings.objects.get_or_create(
        region=region,
        defaults={"name": f"{region.name}民生工作简报", "office": f"{region.name}民生工作办公室"},
    )
    return found


def _write_sections(bulletin: Bulletin, draft: generator.BulletinDraft) -> None:
    BulletinSection.objects.bulk_create(
        BulletinSection(
            bulletin=bulletin,
            sequence=i,
            kind=s.kind,
            heading=s.heading,
            summary=s.summary,
            body=s.body,
            project_id=s.project_id,
            notes="\n".join(s.notes),
        )
        for i, s in enumerate(draft.sections, start=1)
    )


@transaction.atomic
def generate_bulletin(
    region: Region, year: int, month: int, *, actor=access.SYSTEM, regenerate: bool = False
) -> Bulletin:
    """The draft bulletin of `region` for 1-`month` of `year`, generated from the data.

    A second call returns the existing draft untouched (staff may have edited it) unless `regenerate`, which
    rewrites its text and figures from the data but keeps the period figures staff entered.
    """
    _require_staff(actor, region)
    if not 1 <= month <= 12:
        raise DomainError("月份应在1到12之间。", field="month")
    settings = settings_for(region)
    settings = BulletinSettings.objects.select_for_update().get(pk=settings.pk)
    if Bulletin.objects.filter(region=region, year=year, month=month, status=BulletinStatus.ISSUED).exists():
        raise InvalidTransition(
            f"{region.name}{year}年1-{month}月份的简报已印发，不能再生成。",
            code=BulletinsErrorCode.ALREADY_ISSUED,
        )
    bulletin = Bulletin.objects.filter(
        region=region, year=year, month=month, status=BulletinStatus.DRAFT
    ).first()
    if bulletin is not None and not regenerate:
        return bulletin
    draft = generator.generate(region, year, month, settings)
    if bulletin is None:
        bulletin = Bulletin(region=region, year=year, month=month, created_by=access.as_user(actor))
    else:
        bulletin.sections.all().delete()  # the period figures staff entered are not among draft.fields
    for name, value in draft.fields.items():
        setattr(bulletin, name, value)
    bulletin.figures = draft.figures
    bulletin.generated_at = timezone.now()
    bulletin.full_clean(exclude=["pdf", "created_by", "issued_by"], validate_constraints=False)
    bulletin.save()
    _write_sections(bulletin, draft)
    return bulletin


def _locked_draft(bulletin: Bulletin) -> Bulletin:
    locked = Bulletin.objects.select_for_update().select_related("region").get(pk=bulletin.pk)
    if not locked.can_edit():
        raise InvalidTransition("简报已印发，内容不能再修改。", code=BulletinsErrorCode.BULLETIN_ISSUED)
    return locked


def allocate_numbers(settings: BulletinSettings, year: int) -> tuple[int, int]:
    """The next 第N期 (per year) and 总第M期 (overall) of a region; `settings` must be locked."""
    number = settings.last_issue_number + 1 if settings.last_issue_year == year else 1
    return number, settings.last_total_number + 1


@transaction.atomic
def issue_bulletin(
    bulletin: Bulletin, *, actor=access.SYSTEM, issued_on: datetime.date | None = None
) -> Bulletin:
    """Issue a draft: number it, freeze its HTML and text, render and store the PDF. Read-only afterwards.

    The region's settings row is locked while numbers are allocated, so two bulletins issued at the same
    moment get consecutive numbers; the unique constraints on the numbers are the last line of defence.
    """
    _require_staff(actor, bulletin.region)
    bulletin = _locked_draft(bulletin)
    settings = BulletinSettings.objects.select_for_update().get(pk=settings_for(bulletin.region).pk)
    issued_on = issued_on or bulletin.issued_on or timezone.localdate()
    number, total = allocate_numbers(settings, issued_on.year)

    bulletin.status = BulletinStatus.ISSUED
    bulletin.issued_on = issued_on
    bulletin.issue_year, bulletin.issue_number, bulletin.total_number = issued_on.year, number, total
    bulletin.issued_at = timezone.now()
    bulletin.issued_by = access.as_user(actor)
    sections = list(bulletin.sections.all())
    bulletin.html = render.render_html(bulletin, sections)
    bulletin.text = render.render_text(bulletin, sections)
    pdf, pages = render.render_pdf(bulletin.html)
    bulletin.page_count = pages
    bulletin.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    bulletin.pdf.save(
        f"{bulletin.region.code}-{issued_on.year}-{number:02d}-{bulletin.pdf_sha256[:8]}.pdf",
        ContentFile(pdf),
        save=False,
    )
    try:
        bulletin.save()
        settings.last_issue_year, settings.last_issue_number, settings.last_total_number = (
            issued_on.year,
            number,
            total,
        )
        settings.save(update_fields=["last_issue_year", "last_issue_number", "last_total_number"])
    except Exception:
        bulletin.pdf.delete(save=False)  # no orphan file for a bulletin that was not issued
        raise
    return bulletin


@transaction.atomic
def set_bulletin_public(bulletin: Bulletin, public: bool, *, actor=access.SYSTEM) -> Bulletin:
    """Show an issued bulletin on the public portal, or take it down (its content stays frozen)."""
    _require_staff(actor, bulletin.region)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if public and not bulletin.is_issued:
        raise InvalidTransition("只有已印发的简报才能公开。", code=BulletinsErrorCode.BULLETIN_NOT_ISSUED)
    bulletin.is_public = public
    bulletin.save(update_fields=["is_public"])
    return bulletin


def preview_html(bulletin: Bulletin) -> str:
    """The HTML of a bulletin as it stands: the frozen one once issued."""
    if bulletin.is_issued:
        return bulletin.html
    return render.render_html(bulletin, bulletin.sections.all())


def pdf_bytes(bulletin: Bulletin) -> bytes:
    """The PDF of a bulletin: the stored file once issued, rendered on the fly for a draft."""
    if bulletin.is_issued:
        with bulletin.pdf.open("rb") as f:
            return f.read()
    return render.render_pdf(preview_html(bulletin))[0]


def docx_bytes(bulletin: Bulletin) -> bytes:
    """The bulletin as a Word document, from its fields and sections (both frozen once it is issued)."""
    return word.render_docx(bulletin, bulletin.sections.all())
