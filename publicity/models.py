"""What staff choose to disclose to the public (projects, photos) and the satisfaction surveys.

Nothing reaches the public pages or the public API unless a record here says so: a project is shown only
with a published `ProjectPublication`, a photo only with a published `PhotoPublication` of a shown project,
and a survey only for a shown project.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast, NullIf
from django.utils import timezone
from simple_history.models import HistoricalRecords

from org.access import Reach
from projects.choices import AttachmentKind
from projects.models import Project, ProjectPartQuerySet

from .choices import AWARE, SATISFIED, SUPPORTING, Awareness, Satisfaction, Support, SurveyState


class PublicationQuerySet(ProjectPartQuerySet):
    def published(self):
        return self.filter(is_published=True)


class ProjectPublication(models.Model):
    """Whether a project is disclosed to the public, with the plain-language summary written for it."""

    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="publication"
    )
    is_published = models.BooleanField("对外公开", default=False)
    public_summary = models.TextField(
        "公开简介",
        blank=True,
        help_text="面向群众的通俗说明：做什么、惠及谁、何时完成。公开页面只显示此简介，不显示内部报告的文字。",
    )
    published_at = models.DateTimeField("首次公开时间", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PublicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "项目公开"
        verbose_name_plural = "项目公开"
        ordering = ["-project__plan__year", "project__plan__region__path", "project__sequence"]

    def __str__(self):
        return f"{self.project}（{'已公开' if self.is_published else '未公开'}）"

    def save(self, *args, **kwargs):
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        if self.is_published and not self.public_summary.strip():
            raise ValidationError({"public_summary": "公开项目须填写公开简介。"})


class PhotoQuerySet(ProjectPartQuerySet):
    reach = Reach(via="attachment__report__project")

    def public(self):
        """Published photos of published projects."""
        return self.filter(is_published=True, attachment__report__project__publication__is_published=True)


class PhotoPublication(models.Model):
    """A progress photo (a report's attachment) chosen for publication, with the caption the public sees."""

    attachment = models.OneToOneField(
        "projects.ReportAttachment",
        verbose_name="照片",
        on_delete=models.CASCADE,
        related_name="publication",
        limit_choices_to={"kind": AttachmentKind.PHOTO},
    )
    is_published = models.BooleanField("对外公开", default=False)
    public_caption = models.CharField(
        "公开说明", max_length=200, blank=True, help_text="公开页面显示的照片说明；留空显示“项目现场照片”。"
    )
    sequence = models.PositiveSmallIntegerField("排列次序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PhotoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "照片公开"
        verbose_name_plural = "照片公开"
        ordering = ["attachment__report__project", "sequence", "pk"]

    def __str__(self):
        return self.public_caption or str(self.attachment)

    def clean(self):
        if self.attachment_id and self.attachment.kind != AttachmentKind.PHOTO:
            raise ValidationError({"attachment": "只能公开照片，不能公开文档。"})

    @property
    def caption(self) -> str:
        return self.public_caption or "项目现场照片"


def _rate(count_name: str):
    return Cast(F(count_name), FloatField()) / NullIf(Cast(F("answers"), FloatField()), 0.0)


class SurveyQuerySet(ProjectPartQuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now), opens_at__lte=now)

    def with_results(self):
        """Annotate answers, the counts behind each rate, and 知晓率/满意率/支持率 (fractions, or None)."""
        return self.annotate(
            answers=Count("responses"),
            aware_count=Count("responses", filter=Q(responses__awareness__in=AWARE)),
            satisfied_count=Count("responses", filter=Q(responses__satisfaction__in=SATISFIED)),
            supporting_count=Count("responses", filter=Q(responses__support__in=SUPPORTING)),
        ).annotate(
            awareness_rate=_rate("aware_count"),
            satisfaction_rate=_rate("satisfied_count"),
            support_rate=_rate("supporting_count"),
        )


class Survey(models.Model):
    """The satisfaction survey (知晓度、满意度、支持度) of one project, open between two moments."""

    project = models.OneToOneField(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="survey"
    )
    intro = models.TextField("调查说明", blank=True, help_text="显示在问卷上方。")
    opens_at = models.DateTimeField("开始时间", default=timezone.now)
    closes_at = models.DateTimeField("结束时间", null=True, blank=True, help_text="留空表示直到手动结束。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = SurveyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "满意度调查"
        verbose_name_plural = "满意度调查"
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message="结束时间须晚于开始时间。",
            ),
        ]

    def __str__(self):
        return f"{self.project.title} 满意度调查"

    def state(self, now=None) -> SurveyState:
        now = now or timezone.now()
        if now < self.opens_at:
            return SurveyState.PENDING
        if self.closes_at is not None and now >= self.closes_at:
            return SurveyState.CLOSED
        return SurveyState.OPEN

    def is_open(self, now=None) -> bool:
        return self.state(now) == SurveyState.OPEN


class ResponseQuerySet(ProjectPartQuerySet):
    reach = Reach(via="survey__project")


class SurveyResponse(models.Model):
    """One verified phone's answer to a survey; the phone is kept only as its keyed hash."""

    survey = models.ForeignKey(
        Survey, verbose_name="调查", on_delete=models.CASCADE, related_name="responses"
    )
    phone_hash = models.CharField("手机号摘要", max_length=64, editable=False)
    awareness = models.CharField("知晓度", max_length=10, choices=Awareness.choices)
    satisfaction = models.CharField("满意度", max_length=15, choices=Satisfaction.choices)
    support = models.CharField("支持度", max_length=10, choices=Support.choices)
    comment = models.TextField("意见建议", blank=True, max_length=500)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "调查答卷"
        verbose_name_plural = "调查答卷"
        ordering = ["survey", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "phone_hash"],
                name="survey_one_answer_per_phone",
                violation_error_message="该手机号已参加过本项调查。",
            ),
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"
