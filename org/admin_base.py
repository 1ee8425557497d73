"""What every admin page of minsheng shares: permissions from roles and querysets scoped to the user."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from .choices import ADMIN_ROLES
from .models import Region, Unit


def can_view(user) -> bool:
    return user.is_active and (user.is_superuser or user.role in ADMIN_ROLES)


class RoleScopedAdmin(ModelAdmin):
    """Admin permissions follow the role, not per-model Django permissions.

    Staff (民生办) read and write; leaders and auditors read; filers have no admin access. The queryset is
    always the model's `visible_to(user)`, so a user of a region sees that region and below and nothing else,
    whatever URL they type.
    """

    list_per_page = 50
    compressed_fields = True
    warn_unsaved_form = True

    def has_module_permission(self, request):
        return can_view(request.user)

    def has_view_permission(self, request, obj=None):
        return can_view(request.user)

    def has_add_permission(self, request):
        return can_view(request.user) and request.user.can_edit

    def has_change_permission(self, request, obj=None):
        return can_view(request.user) and request.user.can_edit

    def has_delete_permission(self, request, obj=None):
        return can_view(request.user) and request.user.can_edit

    def scope(self, request, queryset):
        """Restrict a queryset of this admin's model to what the user may see."""
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices offered in forms are limited to what the user may see, so nothing outside their
        # region can be linked (the server-side queryset also rejects a forged id).
        related = db_field.related_model
        if related in (Region, Unit) or hasattr(related.objects.none(), "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related.objects.none(), "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInlineMixin:
    """Inline permissions follow the parent admin's roles."""

    def has_view_permission(self, request, obj=None):
        return can_view(request.user)

    def has_add_permission(self, request, obj=None):
        return can_view(request.user) and request.user.can_edit

    def has_change_permission(self, request, obj=None):
        return can_view(request.user) and request.user.can_edit

    def has_delete_permission(self, request, obj=None):
        return can_view(request.user) and request.user.can_edit

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related.objects.none(), "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryAdmin(RoleScopedAdmin, SimpleHistoryAdmin):
    """A scoped admin with the change history (who, when, old and new values) for staff and auditors."""

    def has_view_history_permission(self, request, obj=None):
        return can_view(request.user) and request.user.can_see_history

    def has_change_history_permission(self, request, obj=None):
        # Reverting to an old version is an edit; auditors may look but never revert.
        return self.has_view_history_permission(request, obj) and request.user.can_edit

    def _require_visible(self, request, object_id):
        # The history of a record is as private as the record: another region's is out of reach.
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise PermissionDenied

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        if not version_id.isdigit():
            # A relative link of the change form (the user's "../password/") followed from an old version
            # lands under history/: send it where it points from the change form instead of failing.
            return redirect(f"../../{version_id}/")
        return super().history_form_view(request, object_id, version_id, extra_context)


admin.site.empty_value_display = "—"
