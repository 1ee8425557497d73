"""Publishing projects and photos, and recording survey answers: each step one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from minsheng.errors import DomainError
from org import access
from projects.choices import AttachmentKind

from .choices import Awareness, Satisfaction, Support
from .errors import PublicityErrorCode
from .models import PhotoPublication, ProjectPublication, Survey, SurveyResponse


def _require_staff(actor, project) -> None:
    access.require("manage_project", actor, project, message="只有本区划的民生办工作人员可以发布项目信息。")


@transaction.atomic
def set_project_published(publication: ProjectPublication, published: bool, *, actor) -> ProjectPublication:
    """Publish (or withdraw) a project; publishing needs a public summary."""
    publication = ProjectPublication.objects.select_for_update().get(pk=publication.pk)
    _require_staff(actor, publication.project)
    if published and not publication.public_summary.strip():
        raise DomainError(
            f"“{publication.project.title}”尚未填写公开简介，不能公开。", code=PublicityErrorCode.NO_SUMMARY
        )
    if publication.is_published == published:
        return publication
    publication.is_published = published
    fields = ["is_published", "updated_at"]
    if published and publication.published_at is None:
        publication.published_at = timezone.now()
        fields.append("published_at")
    publication.save(update_fields=fields)
    return publication


@transaction.atomic
def set_photo_published(photo: PhotoPublication, published: bool, *, actor) -> PhotoPublication:
    """Publish (or withdraw) a photo."""
    photo = PhotoPublication.objects.select_for_update().select_related("attachment__report").get(pk=photo.pk)
    _require_staff(actor, photo.attachment.report.project)
    if photo.is_published != published:
        photo.is_published = published
        photo.save(update_fields=["is_published", "updated_at"])
    return photo


@transaction.atomic
def prepare_publications(plan, *, actor) -> int:
    """Give every project of a plan an (unpublished) publication record to fill in; returns how many."""
    from projects.models import Plan

    access.require("manage_project", actor, plan, message="只有本区划的民生办工作人员可以建立公开记录。")
    Plan.objects.select_for_update().get(pk=plan.pk)  # two concurrent runs: the second waits, then adds none
    missing = plan.projects.filter(publication__isnull=True).order_by("sequence", "code")
    created = bulk_create_with_history(
        [ProjectPublication(project=project) for project in missing], ProjectPublication, default_user=actor
    )
    return len(created)


@transaction.atomic
def prepare_photos(project, *, actor) -> int:
    """Give every photo attached to a project's reports an (unpublished) photo record; returns how many."""
    from projects.models import Project, ReportAttachment

    _require_staff(actor, project)
    Project.objects.select_for_update().get(pk=project.pk)
    photos = ReportAttachment.objects.filter(
        report__project=project, kind=AttachmentKind.PHOTO, publication__isnull=True
    ).order_by("report__month", "pk")
    created = bulk_create_with_history(
        [PhotoPublication(attachment=photo, sequence=i) for i, photo in enumerate(photos)],
        PhotoPublication,
        default_user=actor,
    )
    return len(created)


def _choice(choices, value, label: str) -> str:
    if value not in choices.values:
        raise DomainError(
            f"请选择{label}。", code=PublicityErrorCode.INVALID_ANSWER, field=choices.__name__.lower()
        )
    return value


@transaction.atomic
def answer_survey(
    survey: Survey, *, phone_hash: str, awareness: str, satisfaction: str, support: str, comment: str = ""
) -> SurveyResponse:
    """Record one verified phone's answer (`phone_hash` from verification.services' VerifiedPhone): the
    survey must be open and its project published."""
    survey = Survey.objects.select_for_update().select_related("project").get(pk=survey.pk)
    published = ProjectPublication.objects.filter(project=survey.project, is_published=True).exists()
    if not published or not survey.is_open():
        raise DomainError("本项调查未在进行中。", code=PublicityErrorCode.SURVEY_CLOSED)
    values = {
        "awareness": _choice(Awareness, awareness, "知晓度"),
        "satisfaction": _choice(Satisfaction, satisfaction, "满意度"),
        "support": _choice(Support, support, "支持度"),
    }
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise DomainError(
            "意见建议不能超过500字。", code=PublicityErrorCode.COMMENT_TOO_LONG, field="comment"
        )
    if SurveyResponse.objects.filter(survey=survey, phone_hash=phone_hash).exists():
        raise DomainError(
            "该手机号已参加过本项调查，每个手机号只能提交一次。", code=PublicityErrorCode.ALREADY_ANSWERED
        )
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                survey=survey, phone_hash=phone_hash, comment=comment, **values
            )
    except IntegrityError as exc:  # a concurrent answer from the same phone won the race
        raise DomainError(
            "该手机号已参加过本项调查，每个手机号只能提交一次。", code=PublicityErrorCode.ALREADY_ANSWERED
        ) from exc
