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
    # 三员分立 (issue 15): the three administrators, each with powers the others lack; no unit, no business
    # data. One role per account, so no account holds two of them (org.access describes the powers).
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"
