"""What the proposals admin pages share: status badges, region filters, the handling steps' mixin."""

from django.contrib import messages
from django.urls import reverse

from minsheng.admin_confirm import ConfirmServiceMixin
from minsheng.errors import DomainError
from org import access
from org.admin_base import HistoryAdmin
from projects.admin_filters import RegionTreeFilter

from ..choices import CandidateStatus, ProposalStatus

PROPOSAL_LABELS = {
    ProposalStatus.SUBMITTED.label: "info",
    ProposalStatus.ACCEPTED.label: "warning",
    ProposalStatus.MERGED.label: "info",
    ProposalStatus.DECLINED.label: "danger",
    ProposalStatus.SHORTLISTED.label: "success",
}
CANDIDATE_LABELS = {
    CandidateStatus.CANDIDATE.label: "info",
    CandidateStatus.APPROVED.label: "success",
    CandidateStatus.REJECTED.label: "danger",
}


class RoundRegionFilter(RegionTreeFilter):
    region_path = "region__path"


class ProposalRegionFilter(RegionTreeFilter):
    region_path = "round__region__path"


class StepRegionFilter(RegionTreeFilter):
    region_path = "candidate__region__path"


class CarryOverRegionFilter(RegionTreeFilter):
    region_path = "project__plan__region__path"


def copy_into(target, source) -> None:
    """Make the admin's unsaved object the row a service created, so inlines attach to it."""
    for f in type(source)._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    target._state.adding = False


class ConfirmedActionsMixin(ConfirmServiceMixin):
    """Handling steps through a confirmation page: GET (or the first POST of a list action) shows what will
    happen with the form the step needs; only the confirming POST calls the service."""

    def has_handle_permission(self, request, obj=None):
        return access.may_edit(request.user)

    def _run_each(self, request, objects, step, done, **kwargs) -> int:
        """Run a service on each object on its own; report each refusal, count the successes."""
        succeeded = 0
        for obj in objects:
            try:
                step(obj, actor=request.user, **kwargs)
            except DomainError as exc:
                self.message_user(request, f"{obj}：{exc.message}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, f"{succeeded}条{done}", messages.SUCCESS)
        return succeeded

    def _list_action(self, request, queryset, *, name, title, submit_label, form, run):
        """A list action: confirmation first; `run(objects, cleaned_data)` on the confirming POST."""
        objects = list(queryset)
        if self.run_confirmed(request, form, lambda data: run(objects, data)):
            return None
        info = self.model._meta.app_label, self.model._meta.model_name
        return self.confirm_page(
            request,
            objects=objects,
            form=form,
            title=title,
            submit_label=submit_label,
            action=name,
            cancel_url=reverse("admin:{}_{}_changelist".format(*info)),
        )

    def _detail_action(self, request, object_id, *, title, submit_label, form, run, intro=""):
        """A detail action: GET shows the confirmation; POST runs `run(obj, cleaned_data)`."""
        obj = self.visible_object(request, object_id)
        info = self.model._meta.app_label, self.model._meta.model_name
        return self.confirm_step(
            request,
            form=form,
            run=lambda data: f"{obj}：{run(obj, data)}",
            cancel_url=reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
            title=f"{title}：{obj}",
            objects=[obj],
            submit_label=submit_label,
            intro=intro,
        )


def _bound(request):
    """POST data of a confirming submission (the list action's first POST only selects the rows)."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        return request.POST, request.FILES
    return None, None


class ReadOnlyAdmin(HistoryAdmin):
    """Records written only by the services: listed and searchable, never added, edited or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
