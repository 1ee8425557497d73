"""The codes of the projects app's domain errors (progress reports, targets, attachments, adjustments)."""

from django.db import models


class ProjectsErrorCode(models.TextChoices):
    """Why a progress report, target value, attachment or adjustment was refused."""

    FUTURE_MONTH = "future_month", "月份尚未到来"
    CUMULATIVE_DECREASED = "cumulative_decreased", "累计数回落未说明原因"
    NEGATIVE_VALUE = "negative_value", "数值为负数"
    FOREIGN_TARGET = "foreign_target", "指标不属于该项目"
    REPORT_LOCKED = "report_locked", "报告已锁定，不能修改"
    REPORT_NOT_DELETABLE = "report_not_deletable", "报告不能删除"
    NOT_ACCEPTED = "not_accepted", "报告尚未审核通过"
    APPROVAL_REQUIRED = "approval_required", "未写明批准机关或会议"
    UPLOAD_REFUSED = "upload_refused", "上传的文件不符合要求"
