"""The codes of the funding app's domain errors (entries, plans, adjustments, summaries)."""

from django.db import models


class FundingErrorCode(models.TextChoices):
    """Why a funding entry, plan, adjustment or summary request was refused."""

    AMOUNT_REQUIRED = "amount_required", "未填写金额"
    AMOUNTS_REQUIRED = "amounts_required", "未填写计划金额"
    FLOAT_AMOUNT = "float_amount", "金额为浮点数"
    NEGATIVE_AMOUNT = "negative_amount", "金额为负数或零"
    TOO_PRECISE = "too_precise", "金额超过两位小数"
    AMOUNT_TOO_LARGE = "amount_too_large", "金额超出范围"
    DATE_OUTSIDE_YEAR = "date_outside_year", "日期不在计划年度内"
    DATE_IN_FUTURE = "date_in_future", "日期晚于今天"
    UNKNOWN_KIND = "unknown_kind", "未知的资金流水类型"
    UNKNOWN_LEVEL = "unknown_level", "未知的资金来源层级"
    UNKNOWN_REGION = "unknown_region", "未知或不可见的区划"
    UNKNOWN_UNIT = "unknown_unit", "未知或不可见的单位"
    UNKNOWN_DIMENSION = "unknown_dimension", "不支持的汇总维度"
    YEAR_REQUIRED = "year_required", "未指定年度"
    DISBURSEMENT_EXCEEDS_ARRIVAL = "disbursement_exceeds_arrival", "拨付超过到位资金"
    SPENDING_EXCEEDS_DISBURSEMENT = "spending_exceeds_disbursement", "支出超过拨付资金"
    RECIPIENT_REQUIRED = "recipient_required", "未写明拨付单位"
    RECIPIENT_NOT_ALLOWED = "recipient_not_allowed", "非拨付流水不能填写拨付单位"
    PURPOSE_REQUIRED = "purpose_required", "支出未写明用途"
    ALREADY_CANCELLED = "already_cancelled", "流水已作废"
    CANCEL_BREAKS_BALANCE = "cancel_breaks_balance", "作废后余额不足"
    PLAN_EXISTS = "plan_exists", "资金计划已存在"
    NO_CHANGE = "no_change", "调整前后金额相同"
