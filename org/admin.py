"""Admin for regions, units and users (民生办 staff manage the organisation of their region)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from twofactor.admin import SecondFactorResetMixin  # issue 15: the security administrator's 2FA reset

from . import access
from .admin_base import HistoryAdmin
from .models import Region, Unit, User

admin.site.unregister(Group)


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    ordering = ["path"]

    # The region tree is the country's division codes: only a system administrator changes it.
    def has_add_permission(self, request):
        return access.is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.is_administrator(request.user)


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "credit_code"]
    list_select_related = ["region"]


@admin.register(User)
class UserAdmin(SecondFactorResetMixin, HistoryAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "first_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    list_select_related = ["unit"]
    ordering = ["unit__region__path", "username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["first_name", "last_name", "email", "phone"]}),
        ("单位与角色", {"fields": ["unit", "role", "is_active"]}),
        ("系统管理员", {"fields": [access.ADMINISTRATOR_FIELD]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2", "unit", "role"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    # Staff manage the users of the units they can see, never a system administrator (UserQuerySet.reach).

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if access.is_administrator(request.user):
            return fieldsets
        return [fs for fs in fieldsets if fs[0] != "系统管理员"]
