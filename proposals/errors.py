"""The codes of the proposals app's domain errors (proposals, candidates, decisions, carry-overs)."""

from django.db import models


class ProposalsErrorCode(models.TextChoices):
    """Why a proposal, candidate project, decision step or carry-over was refused."""

    ROUND_CLOSED = "round_closed", "不在征集时间内"
    PHONE_REQUIRED = "phone_required", "未验证手机号"
    MERGE_NEEDS_TWO = "merge_needs_two", "合并须至少两条建议"
    MERGE_ACROSS_ROUNDS = "merge_across_rounds", "不能合并不同征集活动的建议"
    NOTHING_SELECTED = "nothing_selected", "未选择建议"
    SHORTLIST_ACROSS_ROUNDS = "shortlist_across_rounds", "不能把不同征集活动的建议列入同一备选项目"
    SHORTLIST_WRONG_CANDIDATE = "shortlist_wrong_candidate", "备选项目与建议不属于同一区划和年度"
    PROJECT_DETAILS_REQUIRED = "project_details_required", "未填写项目编号和牵头单位"
    PROJECT_CODE_TAKEN = "project_code_taken", "项目编号已被使用"
    USE_ADJUSTMENT = "use_adjustment", "动态调整须另行登记"
    DECISION_OUT_OF_ORDER = "decision_out_of_order", "决策环节顺序有误"
    RISK_UNRATED = "risk_unrated", "风险评估未分别评定"
    RISK_REPORT_REQUIRED = "risk_report_required", "风险评估未附书面报告"
    MERGE_TARGET_REQUIRED = "merge_target_required", "未写明归并后项目"
    PLAN_MISSING = "plan_missing", "没有该年度计划"
