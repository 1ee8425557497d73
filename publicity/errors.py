"""The codes of the publicity app's domain errors (publishing projects, satisfaction surveys)."""

from django.db import models


class PublicityErrorCode(models.TextChoices):
    """Why a publication or a survey answer was refused."""

    NO_SUMMARY = "no_summary", "未填写公开简介"
    INVALID_ANSWER = "invalid_answer", "未作答或答案无效"
    SURVEY_CLOSED = "survey_closed", "调查未在进行中"
    COMMENT_TOO_LONG = "comment_too_long", "意见建议过长"
    ALREADY_ANSWERED = "already_answered", "该手机号已参加过调查"
