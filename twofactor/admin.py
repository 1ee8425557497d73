"""The security administrator's reset of users' second factor, as an action of the user admin (org/admin.py
mixes SecondFactorResetMixin in). django-otp's own device admins are unregistered (apps.py)."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse

from minsheng.bases import ModelAdminMixinBase
from org import access

from . import services


@admin.action(description="重置双因素认证（须重新绑定身份验证器）")
def reset_second_factor(modeladmin, request, queryset):
    """Confirm first; the confirming POST removes the selected users' devices
    (services.reset_second_factor)."""
    users = list(queryset)
    if request.POST.get("confirm") == "yes":
        done = 0
        for user in users:
            services.reset_second_factor(user, actor=request.user, request=request)
            done += 1
        modeladmin.message_user(
            request, f"已重置 {done} 个账号的双因素认证，下次登录时须重新绑定。", messages.SUCCESS
        )
        return None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "重置双因素认证",
        "intro": "重置后，这些账号的身份验证器、恢复码和短信验证设备全部作废，已登录的会话须重新验证；"
        "账号本人下次登录时须重新绑定身份验证器。请先核实是本人提出（如手机丢失）。",
        "objects": users,
        "objects_label": "要重置的账号",
        "form": forms.Form(),
        "action": "reset_second_factor",
        "submit_label": "重置",
        "cancel_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        "opts": opts,
    }
    return TemplateResponse(request, "admin/confirm.html", context)


class SecondFactorResetMixin(ModelAdminMixinBase):
    """For the user admin: the reset action, offered to security administrators only (rule
    minsheng.manage_security; the service checks the rule again)."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if access.test("manage_security", request.user):
            action = self.get_action(reset_second_factor)
            if action is not None:
                actions["reset_second_factor"] = action
        return actions
