"""Choices for collection rounds, proposals, candidates, the decision procedure and the year rollover."""

from django.db import models


class ProposalSource(models.TextChoices):
    UNIT = "unit", "部门和下级政府报送"
    NPC = "npc", "人大代表建议"
    CPPCC = "cppcc", "政协提案"
    PARTY = "party", "民主党派、人民团体"
    PORTAL = "portal", "群众网上征集"
    LETTER = "letter", "群众来信"
    EMAIL = "email", "电子邮件"
    MEDIA = "media", "媒体征集"


# Sources where the proposer is a member of the public: name and (verified) phone, kept hashed and masked.
CITIZEN_SOURCES = (ProposalSource.PORTAL, ProposalSource.LETTER, ProposalSource.EMAIL, ProposalSource.MEDIA)


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "待处理"
    ACCEPTED = "accepted", "已受理"
    MERGED = "merged", "已合并"
    DECLINED = "declined", "未采纳"
    SHORTLISTED = "shortlisted", "已列入备选"


class ProposalActionKind(models.TextChoices):
    SUBMIT = "submit", "提交"
    ACCEPT = "accept", "受理"
    MERGE = "merge", "合并"
    ABSORB = "absorb", "并入其他建议"
    DECLINE = "decline", "不予采纳"
    SHORTLIST = "shortlist", "列入备选"


class CandidateStatus(models.TextChoices):
    CANDIDATE = "candidate", "备选"
    APPROVED = "approved", "已决定实施"
    REJECTED = "rejected", "未通过"


class DecisionStage(models.TextChoices):
    MOTION = "motion", "决策动议"
    PARTICIPATION = "participation", "公众参与"
    EXPERT = "expert", "专家论证"
    RISK = "risk", "风险评估"
    LEGALITY = "legality", "合法性审查"
    COLLECTIVE = "collective", "集体讨论决定"
    ADJUSTMENT = "adjustment", "动态调整"


# The enforced order of the decision procedure (seed 002, 三); 动态调整 comes only after approval.
DECISION_ORDER = (
    DecisionStage.MOTION,
    DecisionStage.PARTICIPATION,
    DecisionStage.EXPERT,
    DecisionStage.RISK,
    DecisionStage.LEGALITY,
    DecisionStage.COLLECTIVE,
)


class DecisionOutcome(models.TextChoices):
    PASSED = "passed", "通过"
    CONDITIONAL = "conditional", "有条件通过"
    FAILED = "failed", "不通过"


class RiskRating(models.TextChoices):
    LOW = "low", "低风险"
    MEDIUM = "medium", "中风险"
    HIGH = "high", "高风险"


class CarryOverDecision(models.TextChoices):
    CONTINUE = "continue", "继续实施"
    EXIT = "exit", "退出"
    MERGE = "merge", "整合归并"
