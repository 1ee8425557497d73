"""登录失败与锁定: the 安全管理员 sees failed-login counters and lifts lockouts (minsheng.manage_security)."""

from django.conf import settings
from django.contrib import admin, messages
from unfold.admin import ModelAdmin
from unfold.decorators import action

from org import access

from . import lockout
from .models import Lockout


def _may_manage(request) -> bool:
    return access.test("manage_security", request.user)


@admin.register(Lockout)
class LockoutAdmin(ModelAdmin):
    """Counters of failed logins per account name and address; those at the limit are locked until the
    cool-down passes or the 安全管理员 unlocks them here (an UNLOCK event each)."""

    list_display = ["username_display", "ip_display", "failures", "last_attempt", "locked"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock_selected"]
    list_per_page = 50

    def has_module_permission(self, request):
        return _may_manage(request)

    def has_view_permission(self, request, obj=None):
        return _may_manage(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # deleting is unlocking: the action records it

    def has_manage_security_permission(self, request):
        return _may_manage(request)

    @admin.display(description="用户名", ordering="username")
    def username_display(self, obj):
        return obj.username or "（空）"

    @admin.display(description="来源地址", ordering="ip_address")
    def ip_display(self, obj):
        return obj.ip_address or "（未知）"

    @admin.display(description="失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="最近一次失败", ordering="attempt_time")
    def last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description="已锁定", boolean=True)
    def locked(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @action(description="解除锁定（清除所选失败记录）", permissions=["manage_security"])
    def unlock_selected(self, request, queryset):
        if not _may_manage(request):
            self.message_user(request, "您无权解除锁定。", level=messages.ERROR)
            return
        count = lockout.unlock(queryset, request=request)
        self.message_user(request, f"已解除 {count} 条记录的锁定。", level=messages.SUCCESS)
