"""Filing windows per plan, for 民生办 staff."""

from django.contrib import admin

from org.admin_base import HistoryAdmin

from .models import FilingWindow


@admin.register(FilingWindow)
class FilingWindowAdmin(HistoryAdmin):
    list_display = ["plan", "due_day", "remind_before_days", "remind_after_days"]
    list_select_related = ["plan"]
    autocomplete_fields = ["plan"]
