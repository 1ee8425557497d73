"""Choices for satisfaction surveys: the three questions asked about every disclosed project."""

from django.db import models


class Awareness(models.TextChoices):
    """知晓度: whether the respondent knew of the project."""

    KNOWN = "known", "知道"
    HEARD = "heard", "听说过"
    UNKNOWN = "unknown", "不知道"


class Satisfaction(models.TextChoices):
    """满意度."""

    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class Support(models.TextChoices):
    """支持度."""

    SUPPORT = "support", "支持"
    NEUTRAL = "neutral", "无所谓"
    OPPOSE = "oppose", "不支持"


# Which answers count towards each rate: 知晓率 = (知道 + 听说过) / answers, 满意率 = (满意 + 基本满意) /
# answers, 支持率 = 支持 / answers, as the work plans of seed 003 count them.
AWARE = (Awareness.KNOWN, Awareness.HEARD)
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.FAIRLY)
SUPPORTING = (Support.SUPPORT,)


class SurveyState(models.TextChoices):
    PENDING = "pending", "未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"
