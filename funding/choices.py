"""Choices for funding: the source levels money comes from and the kinds of money entries."""

from django.db import models


class SourceLevel(models.TextChoices):
    """Where a project's money comes from (资金来源层级)."""

    CENTRAL = "central", "中央"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县区级"
    SOCIAL = "social", "社会资本"
    OTHER = "other", "其他"


class EntryKind(models.TextChoices):
    """The three movements of money that are recorded: arrival, disbursement, spending."""

    ARRIVAL = "arrival", "到位"
    DISBURSEMENT = "disbursement", "拨付"
    SPENDING = "spending", "支出"


# The running total each kind of entry moves on a FundingSource row.
TOTAL_FIELD: dict[str, str] = {
    EntryKind.ARRIVAL: "arrived",
    EntryKind.DISBURSEMENT: "disbursed",
    EntryKind.SPENDING: "spent",
}
