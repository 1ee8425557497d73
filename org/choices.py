"""Choices for regions, units and roles."""

from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区）"


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "部门"
    GOVERNMENT = "government", "县区政府"
    OFFICE = "office", "民生办"
    OTHER = "other", "其他"


class Role(models.TextChoices):
    STAFF = "staff", "民生办工作人员"
    FILER = "filer", "单位填报员"
    LEADER = "leader", "领导（只读）"
    AUDITOR = "auditor", "审计/观察员（只读，可看历史）"


# Roles that work in the admin; filers use the unit-facing forms and the API.
ADMIN_ROLES = {Role.STAFF, Role.LEADER, Role.AUDITOR}
# Roles that may read the change history of records.
HISTORY_ROLES = {Role.STAFF, Role.AUDITOR}
