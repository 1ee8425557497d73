"""The security audit log (等保 2.0 安全审计): append-only, hash-chained records of security events.

Separate from the change history (simple_history): that one records what data looked like; this one records
who signed in, was refused, exported or downloaded what, from where, and with what result. Rows are written
only by `audit.services.record` and never changed: a trigger in the database refuses UPDATE and DELETE
(migration 0002), except the DELETE of the archive procedure. Each record's hash covers the previous
record's hash, so an edited, inserted or deleted record breaks the chain (`manage.py verify_audit_log`).
"""

from django.conf import settings
from django.db import models

from minsheng.security_events import EventKind, Result


class Algorithm(models.TextChoices):
    SM3 = "sm3", "SM3"
    SHA256 = "sha256", "SHA-256"


class SecurityEvent(models.Model):
    """One security event (login, refusal, export, ...), chained to the one before it by its hash."""

    seq = models.BigIntegerField("序号", unique=True, editable=False)
    at = models.DateTimeField("时间", editable=False)
    kind = models.CharField("事件类型", max_length=32, choices=EventKind.choices)
    result = models.CharField("结果", max_length=16, choices=Result.choices)
    # No database constraint and no cascade: deleting an account must neither be blocked by its records nor
    # touch them (the table refuses UPDATE); `username` keeps the name whatever happens to the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, blank=True)
    ip = models.CharField("IP地址", max_length=64, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=512, blank=True)
    method = models.CharField("请求方法", max_length=10, blank=True)
    path = models.CharField("请求路径", max_length=1000, blank=True)
    target = models.CharField("操作对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    algorithm = models.CharField("摘要算法", max_length=10, choices=Algorithm.choices)
    prev_hash = models.CharField("上一条摘要", max_length=64, blank=True)
    hash = models.CharField("摘要", max_length=64)

    class Meta:
        verbose_name = "安全审计日志"
        verbose_name_plural = "安全审计日志"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["at"], name="audit_event_at"),
            models.Index(fields=["kind", "at"], name="audit_event_kind_at"),
            models.Index(fields=["username", "at"], name="audit_event_username_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} {self.username or '匿名'}"


class AuditArchive(models.Model):
    """A batch of records moved out of the table into a gzip JSON-lines file: the anchor (last sequence
    number and hash) from which the records left in the table continue the chain."""

    created_at = models.DateTimeField("归档时间")
    cutoff = models.DateTimeField("归档截止时间")
    first_seq = models.BigIntegerField("起始序号")
    last_seq = models.BigIntegerField("结束序号", unique=True)
    last_hash = models.CharField("最后一条摘要", max_length=64)
    count = models.PositiveIntegerField("记录数")
    file_name = models.CharField("归档文件", max_length=255)
    checksum = models.CharField("文件校验值", max_length=64)
    algorithm = models.CharField("校验算法", max_length=10, choices=Algorithm.choices)

    class Meta:
        verbose_name = "审计日志归档"
        verbose_name_plural = "审计日志归档"
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.first_seq}–{self.last_seq}）"
