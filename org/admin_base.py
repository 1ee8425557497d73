"""What every admin page of minsheng shares: permissions from roles and querysets scoped to the user."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from minsheng.admin_confirm import visible_or_404

from . import access
from .access import may_read_records as can_view


def scoped_choices(db_field, request, kwargs: dict) -> dict:
    """A relation field's choices limited to what the user may see, so nothing outside their region can be
    linked (the server-side queryset also rejects a forged id)."""
    related = db_field.related_model
    if access.is_restricted(related):
        kwargs["queryset"] = related._default_manager.restrict(request.user)
    return kwargs


class RoleScopedAdmin(ModelAdmin):
    """Admin permissions follow the role, not per-model Django permissions.

    Each admin names the access policy's rules it asks (org.access): `view_rule` who opens its lists and
    records, `edit_rule` who adds, changes and deletes, `history_rule` who reads the change history. By
    default, the business records: staff (民生办) read and write; leaders and auditors read; filers and the
    three administrators have no access. The queryset is always the model's `restrict(user)`, so a user of a
    region sees that region and below and nothing else, whatever URL they type.
    """

    list_per_page = 50
    compressed_fields = True
    warn_unsaved_form = True

    view_rule = "read_records"
    edit_rule = "edit"
    history_rule = "see_history"

    def may_view(self, request) -> bool:
        return access.test(self.view_rule, request.user)

    def may_edit(self, request) -> bool:
        return self.may_view(request) and access.test(self.edit_rule, request.user)

    def has_module_permission(self, request):
        return self.may_view(request)

    def has_view_permission(self, request, obj=None):
        return self.may_view(request)

    def has_add_permission(self, request):
        return self.may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self.may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self.may_edit(request)

    def lookup_allowed(self, lookup, value, request):
        # issue 15: a year lookup on a date (`date__year=10000`) builds a date Python cannot hold when the
        # list is counted, a 500; refused here, it is a 400 (SuspiciousOperation) like any other bad lookup.
        if "year" in lookup.split("__")[1:] and not (str(value).isdigit() and 1 <= int(value) <= 9999):
            return False
        return super().lookup_allowed(lookup, value, request)

    def scope(self, request, queryset):
        """Restrict a queryset of this admin's model to what the user may see."""
        return queryset.restrict(request.user)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **scoped_choices(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **scoped_choices(db_field, request, kwargs)
        )


class ScopedInlineMixin:
    """Inline permissions follow the parent admin's roles."""

    def has_view_permission(self, request, obj=None):
        return can_view(request.user)

    def has_add_permission(self, request, obj=None):
        return can_view(request.user) and access.may_edit(request.user)

    def has_change_permission(self, request, obj=None):
        return can_view(request.user) and access.may_edit(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_view(request.user) and access.may_edit(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **scoped_choices(db_field, request, kwargs)
        )


class HistoryAdmin(RoleScopedAdmin, SimpleHistoryAdmin):
    """A scoped admin with the change history (who, when, old and new values) for staff and auditors."""

    def has_view_history_permission(self, request, obj=None):
        return access.test(self.history_rule, request.user)

    def has_change_history_permission(self, request, obj=None):
        # Reverting to an old version is an edit; auditors (and the 审计管理员) may look but never revert.
        return self.has_view_history_permission(request, obj) and self.may_edit(request)

    def history_scope(self, request, queryset):
        """The records whose history the user may read (the 审计管理员: all; others: what they may see)."""
        return access.history_scope(queryset, request.user)

    def _require_visible(self, request, object_id):
        # The history of a record is as private as the record: another region's is out of reach, and reads
        # as "not found" like a missing or malformed id (issue 15: never a 500, never "exists elsewhere").
        readable = self.history_scope(request, self.model._default_manager.all())
        visible_or_404(self, request, object_id, readable)

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        if not version_id.isdigit():
            # A relative link of the change form (the user's "../password/") followed from an old version
            # lands under history/: send it where it points from the change form instead of failing.
            return redirect(f"../../{version_id}/")
        if request.method == "POST" and not self.has_change_history_permission(request):
            # simple_history saves a posted old version (a revert) after checking only that the user may
            # *view* history: a reader (auditor, 审计管理员) would write. Reverting is an edit.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


admin.site.empty_value_display = "—"
