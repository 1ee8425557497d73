"""Admin for regions, units and accounts, split between the three administrators (三员分立, org.access):

- regions and units: the 系统管理员 changes them; the business roles and the three administrators read them;
- accounts: only the three administrators (and a break-glass superuser) open them. The 系统管理员 creates
  business accounts, edits their profile and unit, resets their passwords, deactivates them; the 安全管理员
  gives their role and (de)activates accounts on a page of its own (…/role/); the 审计管理员 reads. An
  administrator's account is changed on the console only. Business staff no longer manage accounts.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from unfold.decorators import action
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from minsheng.errors import DomainError
from twofactor.admin import SecondFactorResetMixin  # the security administrator's 2FA reset

from . import access, services
from .admin_base import HistoryAdmin
from .models import Region, Unit, User

admin.site.unregister(Group)


class OrganisationAdmin(HistoryAdmin):
    """Regions and units: everyone in the admin reads them, the 系统管理员 changes them."""

    view_rule = "read_organisation"
    edit_rule = "manage_accounts"
    history_rule = "see_organisation_history"


@admin.register(Region)
class RegionAdmin(OrganisationAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    ordering = ["path"]


@admin.register(Unit)
class UnitAdmin(OrganisationAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "credit_code"]
    list_select_related = ["region"]


class AccountCreationForm(UserCreationForm):
    """A new business account: its profile and unit; its role is the 安全管理员's to give."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "unit"]


class PowersForm(forms.Form):
    """The 安全管理员's page of an account: its role and whether it may sign in."""

    role = forms.ChoiceField(label="角色", required=False)
    is_active = forms.BooleanField(label="启用", required=False, help_text="停用后该账号不能登录。")

    def __init__(self, *args, account: User, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        if access.is_administrator_account(account):
            # An administrator's role is the console's: shown, not offered.
            field.choices = [(account.role, account.get_role_display() or "超级用户")]
            field.disabled = True
        else:
            field.choices = [("", "（无角色）"), *access.grantable_roles()]


@admin.register(User)
class UserAdmin(SecondFactorResetMixin, HistoryAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = AccountCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "first_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    list_select_related = ["unit"]
    ordering = ["unit__region__path", "username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["first_name", "last_name", "email", "phone"]}),
        ("单位与角色", {"fields": ["unit", "powers", "is_active"]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2", "first_name", "unit"]}),
    ]
    readonly_fields = ["powers", "last_login", "date_joined"]
    actions_detail = ["powers_detail"]

    view_rule = "read_accounts"
    edit_rule = "manage_accounts"
    history_rule = "read_accounts"

    # -- who may do what -------------------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        # The 系统管理员 changes business accounts; an administrator's account only the console (or a
        # break-glass superuser) changes: whoever could reset another administrator's password could sign
        # in as them.
        if not self.may_edit(request):
            return False
        if obj is not None and access.is_administrator_account(obj):
            return access.is_administrator(request.user)
        return True

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: their name stays on what they did

    def has_change_history_permission(self, request, obj=None):
        return False  # reverting an account would give back a role outside the 安全管理员's page

    def has_set_powers_permission(self, request, object_id=None) -> bool:
        """The 安全管理员, on any account but their own."""
        if not access.test("manage_security", request.user):
            return False
        return object_id is None or str(object_id) != str(request.user.pk)

    # -- pages -----------------------------------------------------------------------------------------

    @admin.display(description="角色")
    def powers(self, obj):
        if obj.role:
            return obj.get_role_display()
        return "超级用户（应急）" if access.is_break_glass_account(obj) else "（无角色）"

    def save_model(self, request, obj, form, change):
        before = services.powers(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            services.record_power_change(obj, before, actor=request.user, request=request)

    @action(
        description="分配角色、启用或停用", url_path="role", permissions=["set_powers"], icon="shield_person"
    )
    def powers_detail(self, request, object_id):
        """The 安全管理员's page: an account's role and whether it may sign in."""
        if not str(object_id).isdigit():
            raise Http404
        account = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_set_powers_permission(request, account.pk):
            raise DjangoPermissionDenied("只有安全管理员可以分配角色或启用、停用账号（不含自己的账号）。")
        initial = {"role": account.role, "is_active": account.is_active}
        form = PowersForm(request.POST or None, initial=initial, account=account)
        if request.method == "POST" and form.is_valid():
            try:
                services.set_powers(
                    account,
                    role=form.cleaned_data["role"] if not form.fields["role"].disabled else account.role,
                    is_active=form.cleaned_data["is_active"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"已更新账号 {account.username} 的角色与启用状态。")
                return redirect("admin:org_user_change", account.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"分配角色：{account}",
            "opts": self.model._meta,
            "account": account,
            "form": form,
        }
        return TemplateResponse(request, "admin/org/user_role.html", context)
