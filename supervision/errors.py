"""The codes of the supervision app's domain errors (督办单, problems and their rectification)."""

from django.db import models


class SupervisionErrorCode(models.TextChoices):
    """Why a supervision order, problem or rectification step was refused."""

    INVALID_STAGE = "invalid_stage", "未知的督办阶段"
    INVALID_STAGE_DAYS = "invalid_stage_days", "各阶段时限有误"
    INVALID_CHOICE = "invalid_choice", "问题来源或严重程度无效"
    INSPECTION_REQUIRED = "inspection_required", "须在督查活动中登记"
    INVALID_DEADLINE = "invalid_deadline", "整改时限早于发现日期"
    INVALID_FILE = "invalid_file", "附件不符合要求"
