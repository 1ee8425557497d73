"""What the projects admin pages share: the light and report status badges, read-only inlines."""

from org.admin_base import ScopedInlineMixin

from ..choices import Light, ReportStatus

LIGHT_LABELS = {
    Light.GREEN.label: "success",
    Light.YELLOW.label: "warning",
    Light.RED.label: "danger",
    Light.NONE.label: "info",
}
REPORT_LABELS = {
    ReportStatus.DRAFT.label: "info",
    ReportStatus.SUBMITTED.label: "warning",
    ReportStatus.RETURNED.label: "danger",
    ReportStatus.ACCEPTED.label: "success",
}


class ReadOnlyInlineMixin(ScopedInlineMixin):
    """Records created through their own workflow (reports, adjustments) are shown here, not edited."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
