"""Choices of the ledger app."""

from django.db import models


class LedgerKind(models.TextChoices):
    PROJECTS = "projects", "项目台账"
    FUNDING = "funding", "资金台账"
    PROGRESS = "progress", "月度进展台账"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "预检中"
    CHECKED = "checked", "预检通过，待确认"
    FAILED = "failed", "有错误，未导入"
    IMPORTING = "importing", "导入中"
    IMPORTED = "imported", "已导入"
