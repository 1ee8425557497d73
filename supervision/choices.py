"""Choices for alerts, supervision orders (督办单), problems, rectifications and inspections."""

from django.db import models


class AlertKind(models.TextChoices):
    LAGGING = "lagging", "滞后序时进度"
    OVERDUE_MILESTONE = "milestone", "节点逾期"
    MISSING_REPORT = "report", "月报逾期未报"
    FUNDS_IDLE = "funds", "资金滞留"


class AlertStatus(models.TextChoices):
    OPEN = "open", "未解除"
    CLOSED = "closed", "已解除"


class Stage(models.TextChoices):
    """The four staged deadlines of a 督办单 ("13710": 1, 3, 7 and 10 days after it is issued)."""

    ACKNOWLEDGE = "acknowledge", "签收部署"
    FEEDBACK = "feedback", "反馈进展"
    SETTLE = "settle", "办理落实"
    REPORT = "report", "报告结果"


STAGE_ORDER = [Stage.ACKNOWLEDGE, Stage.FEEDBACK, Stage.SETTLE, Stage.REPORT]


class OrderStatus(models.TextChoices):
    ISSUED = "issued", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    FED_BACK = "fed_back", "已反馈"
    SETTLED = "settled", "已落实"
    REPORTED = "reported", "已报告结果"
    CLOSED = "closed", "已办结销号"


# The status an order reaches when the unit answers a stage.
STATUS_AFTER = {
    Stage.ACKNOWLEDGE: OrderStatus.ACKNOWLEDGED,
    Stage.FEEDBACK: OrderStatus.FED_BACK,
    Stage.SETTLE: OrderStatus.SETTLED,
    Stage.REPORT: OrderStatus.REPORTED,
}


class ProblemSource(models.TextChoices):
    INSPECTION = "inspection", "明查暗访"
    REPORT = "report", "月报反映"
    ALERT = "alert", "预警"
    OBSERVER = "observer", "民生观察员"
    PUBLIC = "public", "群众反映"


class Severity(models.TextChoices):
    MINOR = "minor", "一般"
    MAJOR = "major", "较重"
    SERIOUS = "serious", "严重"


class ProblemStatus(models.TextChoices):
    OPEN = "open", "待整改"
    RECTIFYING = "rectifying", "整改中"
    SUBMITTED = "submitted", "整改完成待核验"
    CLOSED = "closed", "已核验销号"


OPEN_PROBLEM_STATUSES = (ProblemStatus.OPEN, ProblemStatus.RECTIFYING, ProblemStatus.SUBMITTED)


class InspectionKind(models.TextChoices):
    OPEN = "open", "明查"
    UNANNOUNCED = "unannounced", "暗访"
