"""Administrative regions, the units that belong to them, and the users who work for units."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minsheng.encrypted import EncryptedCharField

from . import access
from .access import Reach, RestrictedQuerySet
from .choices import RegionLevel, Role, UnitKind

LEVEL_DEPTH = {RegionLevel.PROVINCE: 0, RegionLevel.CITY: 1, RegionLevel.COUNTY: 2}


class RegionQuerySet(RestrictedQuerySet):
    def subtree(self, region: "Region") -> "RegionQuerySet":
        """The region and every region below it."""
        return self.filter(path__startswith=region.path)

    # Every signed-in user with a unit sees their region and below; the three administrators all of it.
    reach = Reach(region="path", filers_read_region=True, administered=True)


class Region(models.Model):
    """An administrative region (province > city > county/district) with its 6-digit division code."""

    code = models.CharField(
        "行政区划代码",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字。")],
    )
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("370000/371300/"): "this region and below" is one indexed prefix match.
    path = models.CharField("路径", max_length=100, editable=False, db_index=True)

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent is None:
            if self.level != RegionLevel.PROVINCE:
                raise ValidationError({"parent": "市、县（区）必须指定上级区划。"})
            return
        if LEVEL_DEPTH[RegionLevel(self.level)] != LEVEL_DEPTH[RegionLevel(self.parent.level)] + 1:
            raise ValidationError({"level": "层级须比上级区划低一级（省 > 市 > 县区）。"})

    def is_within(self, other: "Region") -> bool:
        return self.path.startswith(other.path)


class UnitQuerySet(RestrictedQuerySet):
    # Staff, leaders, auditors: the units of their region and below; a filer: their own unit; the three
    # administrators: every unit.
    reach = Reach(region="region__path", units=("pk",), administered=True)


class Unit(models.Model):
    """A unit (单位): a department, a county government or another body that belongs to a region."""

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=12, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="units"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    contact_phone = EncryptedCharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region"),
        ]

    def __str__(self):
        return self.short_name or self.name


class UserQuerySet(RestrictedQuerySet):
    # The three administrators see every account; business users the accounts of their region's units (the
    # pages name colleagues), never an administrator's. The admin's user pages are the administrators' only.
    reach = Reach(
        region="unit__region__path", units=("unit",), private=access.ADMINISTRATOR_ACCOUNT, administered=True
    )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True


class User(AbstractUser):
    """A person who signs in: belongs to a unit (and through it to a region) and has one role."""

    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, blank=True)
    phone = EncryptedCharField("手机号", max_length=20, blank=True)

    objects: ClassVar[UserManager] = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=access.ADMINISTRATOR_ACCOUNT | Q(role="") | Q(unit__isnull=False),
                name="user_with_role_has_unit",
                violation_error_message="有角色的用户必须属于一个单位。",
            ),
            # 三员分立: one role field, so no account holds two administrator roles; and an administrator's
            # account belongs to no unit (no business reach) and is no superuser (no powers beyond its own).
            models.CheckConstraint(
                condition=access.ADMINISTRATOR_STANDS_ALONE,
                name="administrator_role_stands_alone",
                violation_error_message="系统管理员、安全管理员、审计管理员账号不能属于单位，也不能是超级用户。",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if access.is_administrator_role(self.role):
            if self.unit_id is not None:
                raise ValidationError({"unit": "系统管理员、安全管理员、审计管理员账号不能属于单位。"})
            if access.is_break_glass_account(self):
                raise ValidationError({"role": "超级用户不能同时担任系统管理员、安全管理员或审计管理员。"})
        elif self.role and self.unit_id is None and not access.is_administrator_account(self):
            raise ValidationError({"unit": "有角色的用户必须属于一个单位。"})

    def save(self, *args, **kwargs):
        # Admin access follows from the role, so it cannot drift from it.
        if not access.is_break_glass_account(self):
            self.is_staff = access.is_admin_role(self.role)
        super().save(*args, **kwargs)

    @property
    def region(self) -> Region | None:
        return self.unit.region if self.unit is not None else None
