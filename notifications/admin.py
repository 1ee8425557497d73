"""The in-app inbox in the admin: each user reads their own notifications and their delivery log."""

from django.contrib import admin, messages
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from org.admin_base import can_view

from . import services
from .models import Delivery, Notification


class DeliveryInline(TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "sent_at", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    list_display = ["title", "created_at", "is_read_display", "url"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body", "event"]
    fields = ["user", "event", "title", "body", "url", "created_at", "read_at"]
    readonly_fields = fields
    inlines = [DeliveryInline]
    actions = ["mark_read_selected", "retry_failed_selected"]

    def has_module_permission(self, request):
        return can_view(request.user)

    def has_view_permission(self, request, obj=None):
        return can_view(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    @admin.display(description="已读", boolean=True)
    def is_read_display(self, obj):
        return obj.is_read

    @action(description="标记为已读")
    def mark_read_selected(self, request, queryset):
        count = services.mark_read(request.user, queryset.values_list("pk", flat=True))
        self.message_user(request, f"已将{count}条消息标记为已读。", messages.SUCCESS)

    @action(description="重新发送失败的邮件/短信")
    def retry_failed_selected(self, request, queryset):
        count = services.retry_deliveries(Delivery.objects.filter(notification__in=queryset))
        self.message_user(request, f"已重新排队{count}条发送记录。", messages.SUCCESS)
