"""Collection rounds, proposals and their handling log, candidates (备选), the decision procedure, and the
year rollover's carry-over decisions and lineage (issue 3)."""

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from minsheng.codes import random_code
from minsheng.encrypted import EncryptedCharField
from minsheng.fields import MoneyField
from minsheng.phones import hash_phone, mask_phone
from minsheng.uploads import upload_problem
from org.access import Reach, RestrictedQuerySet
from projects.choices import AttachmentKind, Category, ChangeType
from projects.models import ATTACHMENT_EXTENSIONS

from .choices import (
    CITIZEN_SOURCES,
    CandidateStatus,
    CarryOverDecision,
    DecisionOutcome,
    DecisionStage,
    ProposalActionKind,
    ProposalSource,
    ProposalStatus,
    RiskRating,
)

TRACKING_LENGTH = 10


def new_tracking_code() -> str:
    """A random public tracking code such as "JY7K3M9QX2A4" (prefix JY = 建议)."""
    return random_code("JY", TRACKING_LENGTH)


class RegionScopedQuerySet(RestrictedQuerySet):
    """Records of a region: staff, leaders and auditors see their region and below; filers see none."""

    reach = Reach(region="region__path")


class CollectionRound(models.Model):
    """A collection round (征集) of one region for the projects of one plan year, with its open dates."""

    region = models.ForeignKey(
        "org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="collection_rounds"
    )
    year = models.PositiveSmallIntegerField(
        "计划年度",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="征集的是哪一年度的民生实事（通常为下一年度）。",
    )
    name = models.CharField("征集名称", max_length=200)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期", help_text="当天仍可提交。")
    description = models.TextField("征集公告", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "征集活动"
        verbose_name_plural = "征集活动"
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="round_unique_per_region_year",
                violation_error_message="该区划该年度的征集活动已存在。",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="round_closes_after_opening",
                violation_error_message="截止日期不能早于开始日期。",
            ),
        ]

    def __str__(self):
        return self.name

    def is_open(self, on=None) -> bool:
        """Whether the public may submit on the given day (today, local time, by default)."""
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on


class ProposalQuerySet(RestrictedQuerySet):
    # Staff, leaders, auditors: their region and below; a filer: the proposals their unit submitted.
    reach = Reach(region="round__region__path", units=("proposer_unit",))


class Proposal(models.Model):
    """A proposal (建议) for a livelihood project, from a unit, a deputy, a party or a citizen."""

    round = models.ForeignKey(
        CollectionRound, verbose_name="征集活动", on_delete=models.PROTECT, related_name="proposals"
    )
    tracking_code = models.CharField(
        "查询码", max_length=20, unique=True, default=new_tracking_code, editable=False
    )
    source = models.CharField("来源", max_length=10, choices=ProposalSource.choices)
    proposer_name = EncryptedCharField(
        "建议人", max_length=100, help_text="个人姓名，或提出建议的单位、代表、委员。"
    )
    proposer_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="报送单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    proposer_organisation = models.CharField(
        "所属组织", max_length=200, blank=True, help_text="代表团、界别、民主党派、人民团体或媒体名称。"
    )
    reference_number = models.CharField("建议/提案编号", max_length=50, blank=True)
    # The phone is never stored in clear: a keyed hash to recognise it, masked digits to show it.
    phone_hash = models.CharField("手机号（密文）", max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("手机号", max_length=11, blank=True, editable=False)
    category = models.CharField("领域类别", max_length=20, choices=Category.choices)
    title = models.CharField("建议标题", max_length=200)
    description = models.TextField("建议内容")
    estimated_cost = MoneyField(
        "估算投资（元）", null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(
        "状态", max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入建议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed",
    )
    decline_reason = models.TextField("不予采纳理由", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "建议"
        verbose_name_plural = "建议"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decline_reason=""),
                name="proposal_declined_has_reason",
                violation_error_message="不予采纳必须说明理由。",
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=ProposalStatus.MERGED) & Q(merged_into__isnull=True)),
                name="proposal_merged_iff_target",
                violation_error_message="已合并的建议必须指明并入哪条建议。",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("pk")),
                name="proposal_not_merged_into_itself",
                violation_error_message="建议不能并入它自己。",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="proposal_cost_not_negative",
                violation_error_message="估算投资不能为负数。",
            ),
            # What the phone columns may hold: a 64-hex hash and "138****5678", never 11 clear digits.
            models.CheckConstraint(
                condition=Q(phone_hash="") | Q(phone_hash__regex=r"^[0-9a-f]{64}$"),
                name="proposal_phone_hash_is_hash",
            ),
            models.CheckConstraint(
                condition=Q(phone_masked="") | Q(phone_masked__regex=r"^1[0-9]{2}\*{4}[0-9]{4}$"),
                name="proposal_phone_is_masked",
            ),
            models.CheckConstraint(
                condition=~Q(source=ProposalSource.PORTAL) | ~Q(phone_hash=""),
                name="proposal_portal_has_phone",
                violation_error_message="网上征集的建议必须有验证过的手机号。",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    @property
    def is_citizen(self) -> bool:
        return self.source in CITIZEN_SOURCES

    def set_phone(self, phone: str) -> None:
        """Keep the phone as its keyed hash and masked digits (ValidationError if it is not a mobile)."""
        self.phone_hash = hash_phone(phone)
        self.phone_masked = mask_phone(phone)

    def can_accept(self) -> bool:
        return self.status == ProposalStatus.SUBMITTED

    def can_decline(self) -> bool:
        return self.status in (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED)

    def can_merge(self) -> bool:
        return self.status in (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED)

    def can_shortlist(self) -> bool:
        return self.status == ProposalStatus.ACCEPTED

    def final(self) -> "Proposal":
        """The proposal this one ended up in, following merges (itself when not merged)."""
        seen = {self.pk}
        current = self
        while current.merged_into_id and current.merged_into_id not in seen:
            seen.add(current.merged_into_id)
            merged_into = current.merged_into
            if merged_into is None:
                break
            current = merged_into
        return current


class ProposalPartQuerySet(RestrictedQuerySet):
    """Records that belong to a proposal are visible exactly when their proposal is."""

    reach = Reach(via="proposal")


class ProposalAction(models.Model):
    """One handling step of a proposal: who did what, when and why (the proposal's audit trail)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name="建议", on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField("操作", max_length=10, choices=ProposalActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="群众网上提交时为空。",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    reason = models.TextField("理由/说明", blank=True)
    related_proposal = models.ForeignKey(
        Proposal,
        verbose_name="相关建议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="合并时为合并后的建议。",
    )
    candidate = models.ForeignKey(
        "Candidate",
        verbose_name="备选项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProposalPartQuerySet.as_manager()

    class Meta:
        verbose_name = "建议办理记录"
        verbose_name_plural = "建议办理记录"
        ordering = ["proposal", "at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def check_attachment(kind: str, file) -> int:
    """The size of an uploaded file, or ValidationError if its type or size is not allowed.

    The same rule as the monthly reports' attachments (projects.ReportAttachment).
    """
    if getattr(file, "_committed", False):  # a stored file was checked when it came in
        return file.size
    allowed = ATTACHMENT_EXTENSIONS.get(AttachmentKind(kind), frozenset()) if kind else frozenset()
    problem = upload_problem(file, allowed)  # type, size and content (minsheng/uploads.py)
    if problem:
        raise ValidationError({"file": problem})
    return file.size


def proposal_attachment_path(instance: "ProposalAttachment", filename: str) -> str:
    proposal = instance.proposal
    return f"proposals/{proposal.round.year}/{proposal.tracking_code}/{Path(filename).name}"


class ProposalAttachment(models.Model):
    """A photo or document attached to a proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name="建议", on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("类型", max_length=10, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=proposal_attachment_path, max_length=300)
    caption = models.CharField("说明", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ProposalPartQuerySet.as_manager()

    class Meta:
        verbose_name = "建议附件"
        verbose_name_plural = "建议附件"
        ordering = ["proposal", "uploaded_at"]

    def __str__(self):
        return self.caption or Path(self.file.name).name

    def clean(self):
        if self.file:
            self.size = check_attachment(self.kind, self.file)


class Candidate(models.Model):
    """A candidate project (备选民生实事) of a region and plan year, put to the public vote and decided on."""

    region = models.ForeignKey(
        "org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="candidates"
    )
    year = models.PositiveSmallIntegerField(
        "计划年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    sequence = models.PositiveSmallIntegerField("序号", default=0, help_text="在备选清单中的排列次序。")
    title = models.CharField("项目名称", max_length=200)
    description = models.TextField("项目内容", blank=True)
    category = models.CharField("领域类别", max_length=20, choices=Category.choices)
    estimated_cost = MoneyField(
        "估算投资（元）", null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    proposals = models.ManyToManyField(
        Proposal, verbose_name="来源建议", blank=True, related_name="candidates"
    )
    status = models.CharField(
        "状态", max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.CANDIDATE
    )
    project = models.OneToOneField(
        "projects.Project",
        verbose_name="立项项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidate",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = RegionScopedQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[proposals])

    class Meta:
        verbose_name = "备选项目"
        verbose_name_plural = "备选项目"
        ordering = ["-year", "region__path", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "title"],
                name="candidate_title_unique_per_region_year",
                violation_error_message="该区划该年度已有同名备选项目。",
            ),
            models.CheckConstraint(
                condition=Q(status=CandidateStatus.APPROVED, project__isnull=False)
                | (~Q(status=CandidateStatus.APPROVED) & Q(project__isnull=True)),
                name="candidate_approved_iff_project",
                violation_error_message="只有经集体讨论决定通过的备选项目才关联立项项目。",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="candidate_cost_not_negative",
                violation_error_message="估算投资不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.year}年 {self.title}"


class DecisionStepQuerySet(RestrictedQuerySet):
    reach = Reach(region="candidate__region__path")


def decision_document_path(instance: "DecisionStep", filename: str) -> str:
    candidate = instance.candidate
    return f"decisions/{candidate.year}/{candidate.pk}/{instance.stage}/{Path(filename).name}"


class DecisionStep(models.Model):
    """One recorded step of a candidate's decision procedure (决策程序), or a later 动态调整."""

    candidate = models.ForeignKey(
        Candidate, verbose_name="备选项目", on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField("程序环节", max_length=14, choices=DecisionStage.choices)
    held_on = models.DateField("日期")
    outcome = models.CharField("结论", max_length=12, choices=DecisionOutcome.choices)
    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_steps",
    )
    notes = models.TextField("情况说明", blank=True)
    document_number = models.CharField("文号/会议纪要号", max_length=100, blank=True)
    document = models.FileField(
        "文件",
        upload_to=decision_document_path,
        max_length=300,
        blank=True,
        help_text="评估报告、论证意见、会议纪要等。",
    )
    social_risk = models.CharField("社会稳定风险", max_length=10, choices=RiskRating.choices, blank=True)
    environmental_risk = models.CharField("环境风险", max_length=10, choices=RiskRating.choices, blank=True)
    fiscal_risk = models.CharField("财政风险", max_length=10, choices=RiskRating.choices, blank=True)
    # 公众参与: the public vote's result, copied from voting.results when the step is recorded.
    vote_title = models.CharField("投票活动", max_length=200, blank=True)
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    rank = models.PositiveIntegerField("得票排名", null=True, blank=True)
    ballots = models.PositiveIntegerField("有效选票总数", null=True, blank=True)
    adjustment = models.ForeignKey(
        "projects.Adjustment",
        verbose_name="动态调整记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_steps",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = DecisionStepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "决策程序"
        verbose_name_plural = "决策程序"
        ordering = ["candidate", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "stage"],
                condition=~Q(stage=DecisionStage.ADJUSTMENT),
                name="decision_stage_once_per_candidate",
                violation_error_message="该备选项目已登记过这一决策环节。",
            ),
            models.CheckConstraint(
                condition=~Q(stage=DecisionStage.RISK)
                | (~Q(social_risk="") & ~Q(environmental_risk="") & ~Q(fiscal_risk="")),
                name="decision_risk_is_rated",
                violation_error_message="风险评估须分别评定社会稳定、环境和财政风险等级。",
            ),
            models.CheckConstraint(
                condition=~Q(stage=DecisionStage.ADJUSTMENT) | Q(adjustment__isnull=False),
                name="decision_adjustment_is_recorded",
                violation_error_message="动态调整须关联项目的调整记录。",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}：{self.get_outcome_display()}"


class CarryOverQuerySet(RestrictedQuerySet):
    reach = Reach(region="project__plan__region__path")


class CarryOver(models.Model):
    """What happens to a project at the year's end (继续实施 / 退出 / 整合归并), and whether it was done."""

    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="carry_over"
    )
    decision = models.CharField("结转安排", max_length=10, choices=CarryOverDecision.choices)
    merge_code = models.CharField(
        "归并后项目编号", max_length=40, blank=True, help_text="整合归并时：下一年度合并后项目的编号。"
    )
    merge_title = models.CharField(
        "归并后项目名称", max_length=200, blank=True, help_text="整合归并时：编号相同的项目归并为同一个项目。"
    )
    note = models.TextField("说明", blank=True)
    successor = models.ForeignKey(
        "projects.Project",
        verbose_name="下一年度项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_from",
    )
    done_at = models.DateTimeField("结转时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = CarryOverQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度结转"
        verbose_name_plural = "年度结转"
        ordering = ["project__plan__year", "project__plan__region__path", "project__sequence"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=CarryOverDecision.MERGE) | (~Q(merge_code="") & ~Q(merge_title="")),
                name="carry_over_merge_has_target",
                violation_error_message="整合归并须写明归并后项目的编号和名称。",
            ),
        ]

    def __str__(self):
        return f"{self.project}：{self.get_decision_display()}"


class LineageQuerySet(RestrictedQuerySet):
    reach = Reach(region="successor__plan__region__path")


class ProjectLineage(models.Model):
    """A link from a project to the next year's project that carries it on (many-to-one for 整合归并)."""

    predecessor = models.ForeignKey(
        "projects.Project", verbose_name="上年度项目", on_delete=models.CASCADE, related_name="lineage_next"
    )
    successor = models.ForeignKey(
        "projects.Project",
        verbose_name="本年度项目",
        on_delete=models.CASCADE,
        related_name="lineage_previous",
    )
    change_type = models.CharField("与上年相比", max_length=10, choices=ChangeType.choices)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = LineageQuerySet.as_manager()

    class Meta:
        verbose_name = "项目沿革"
        verbose_name_plural = "项目沿革"
        ordering = ["successor", "predecessor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="lineage_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"
