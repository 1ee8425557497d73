"""An uploaded ledger file and what became of it: its dry-run report, then its import."""

from django.conf import settings
from django.db import models

from org.access import Reach, RestrictedQuerySet

from .choices import ImportStatus, LedgerKind


class LedgerImportQuerySet(RestrictedQuerySet):
    # Imports into the user's region and below.
    reach = Reach(region="region__path", filers_read_region=True)


class LedgerImport(models.Model):
    """One uploaded ledger: checked first (dry run), imported after the user confirms, all or nothing."""

    kind = models.CharField("台账类型", max_length=10, choices=LedgerKind.choices)
    region = models.ForeignKey("org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, help_text="留空则从标题中识别。")
    file = models.FileField("文件", upload_to="ledgers/%Y/%m/", max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    report = models.JSONField("导入报告", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # The current run (dry run or import): when it was queued or its last attempt began, and how many
    # attempts a worker began. The watchdog fails runs stuck past their time; a run that keeps killing its
    # worker stops after MAX_ATTEMPTS instead of being handed back to the queue for ever.
    running_since = models.DateTimeField("本次运行开始时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("本次运行尝试次数", default=0)

    objects = LedgerImportQuerySet.as_manager()

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)

    def can_confirm(self) -> bool:
        return self.status == ImportStatus.CHECKED

    def can_rerun(self) -> bool:
        """A run interrupted (worker lost, time limit, queue down) may be checked again from its file."""
        return self.status == ImportStatus.FAILED and bool((self.report or {}).get("interrupted"))
