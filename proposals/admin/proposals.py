"""Proposals (建议) in the admin, with their handling steps: accept, merge, decline, shortlist."""

from django import forms
from django.contrib import admin, messages
from unfold.admin import TabularInline
from unfold.decorators import action, display

from minsheng.formatting import money
from org.admin_base import HistoryAdmin, ScopedInlineMixin
from projects.admin import ReadOnlyInlineMixin

from .. import services
from ..choices import CandidateStatus
from ..forms import (
    MergeForm,
    ReasonForm,
    ShortlistForm,
    StaffProposalForm,
)
from ..models import (
    Candidate,
    Proposal,
    ProposalAction,
    ProposalAttachment,
)
from .common import (
    PROPOSAL_LABELS,
    ConfirmedActionsMixin,
    ProposalRegionFilter,
    _bound,
    copy_into,
)


class ProposalAttachmentInline(ScopedInlineMixin, TabularInline):
    model = ProposalAttachment
    fields = ["kind", "file", "caption", "size", "uploaded_at"]
    readonly_fields = ["size", "uploaded_at"]
    extra = 0


class ProposalActionInline(ReadOnlyInlineMixin, TabularInline):
    """The handling log: written by the services, never edited."""

    model = ProposalAction
    fk_name = "proposal"
    fields = ["at", "kind", "actor", "reason", "related_proposal", "candidate"]
    readonly_fields = fields
    verbose_name_plural = "办理记录（受理、合并、不予采纳、列入备选由上方按钮办理）"


@admin.register(Proposal)
class ProposalAdmin(ConfirmedActionsMixin, HistoryAdmin):
    form = StaffProposalForm
    list_display = [
        "tracking_code",
        "title",
        "source",
        "category",
        "proposer_display",
        "phone_masked",
        "status_display",
        "cost_display",
        "submitted_at",
    ]
    list_display_links = ["tracking_code", "title"]
    list_filter = ["round__year", ProposalRegionFilter, "status", "source", "category"]
    list_filter_submit = True
    # Not proposer_name: it is SM4-encrypted at rest (minsheng/encrypted.py), the database cannot search it.
    search_fields = [
        "tracking_code",
        "title",
        "description",
        "proposer_organisation",
        "reference_number",
    ]
    list_select_related = ["round"]
    autocomplete_fields = ["proposer_unit"]
    inlines = [ProposalAttachmentInline, ProposalActionInline]
    readonly_fields = [
        "tracking_code",
        "status",
        "merged_into",
        "decline_reason",
        "phone_masked",
        "submitted_at",
        "created_by",
    ]
    actions = ["accept_selected", "merge_selected", "decline_selected", "shortlist_selected"]
    actions_detail = ["accept_detail", "decline_detail", "shortlist_detail"]

    def get_fieldsets(self, request, obj=None):
        proposer = ["proposer_name", "proposer_unit", "proposer_organisation", "reference_number"]
        proposer += ["phone"] if obj is None else ["phone_masked"]
        head = ["round", "source"] if obj is None else ["round", "source", "tracking_code", "submitted_at"]
        sets = [
            ("来源", {"fields": head + ["created_by"] * (obj is not None)}),
            ("建议人", {"fields": proposer}),
            ("建议内容", {"fields": ["category", "title", "description", "estimated_cost"]}),
        ]
        if obj is not None:
            sets.append(("办理状态", {"fields": ["status", "merged_into", "decline_reason"]}))
        return sets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["round", "source"] if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm  # no phone field once saved: it is never shown or re-entered
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.submit_proposal(
            data["round"], data, phone=data.get("phone") or None, source=data["source"], actor=request.user
        )
        copy_into(obj, created)

    @display(description="建议人")  # no ordering: the column is encrypted, sorting it would sort ciphertext
    def proposer_display(self, obj):
        return obj.proposer_name

    @display(description="状态", ordering="status", label=PROPOSAL_LABELS)
    def status_display(self, obj):
        return obj.get_status_display()

    @display(description="估算投资", ordering="estimated_cost")
    def cost_display(self, obj):
        return money(obj.estimated_cost)

    # -- list actions: each through a confirmation page --

    @admin.action(description="受理所选建议", permissions=["handle"])
    def accept_selected(self, request, queryset):
        data, _ = _bound(request)
        return self._list_action(
            request,
            queryset,
            name="accept_selected",
            title="受理建议",
            submit_label="受理",
            form=ReasonForm(data, label="受理说明（选填）"),
            run=lambda objs, d: self._run_each(request, objs, services.accept_proposal, "建议已受理", **d),
        )

    @admin.action(description="不予采纳所选建议（须说明理由）", permissions=["handle"])
    def decline_selected(self, request, queryset):
        data, _ = _bound(request)
        return self._list_action(
            request,
            queryset,
            name="decline_selected",
            title="不予采纳",
            submit_label="不予采纳",
            form=ReasonForm(data, required=True, label="不予采纳理由"),
            run=lambda objs, d: self._run_each(request, objs, services.decline_proposal, "建议不予采纳", **d),
        )

    @admin.action(description="合并所选建议", permissions=["handle"])
    def merge_selected(self, request, queryset):
        data, _ = _bound(request)

        def run(objs, d):
            into = services.merge_proposals(objs, into=d["into"], actor=request.user, reason=d["reason"])
            self.message_user(request, f"已将{len(objs) - 1}条建议并入“{into.title}”。", messages.SUCCESS)

        return self._list_action(
            request,
            queryset,
            name="merge_selected",
            title="合并建议",
            submit_label="合并",
            form=MergeForm(data, proposals=queryset.order_by("pk")),
            run=run,
        )

    @admin.action(description="列入备选项目", permissions=["handle"])
    def shortlist_selected(self, request, queryset):
        data, _ = _bound(request)

        def run(objs, d):
            candidate = services.shortlist_proposals(
                objs, actor=request.user, candidate=d["candidate"], title=d["title"], reason=d["reason"]
            )
            self.message_user(
                request, f"已将{len(objs)}条建议列入备选项目“{candidate.title}”。", messages.SUCCESS
            )

        candidates = Candidate.objects.restrict(request.user).filter(status=CandidateStatus.CANDIDATE)
        return self._list_action(
            request,
            queryset,
            name="shortlist_selected",
            title="列入备选项目",
            submit_label="列入备选",
            form=ShortlistForm(data, candidates=candidates),
            run=run,
        )

    # -- detail actions --

    @action(description="受理", url_path="accept", permissions=["handle"])
    def accept_detail(self, request, object_id):
        data, _ = _bound(request)
        return self._detail_action(
            request,
            object_id,
            title="受理建议",
            submit_label="受理",
            form=ReasonForm(data, label="受理说明（选填）"),
            run=lambda obj, d: services.accept_proposal(obj, actor=request.user, **d) and "已受理",
        )

    @action(description="不予采纳", url_path="decline", permissions=["handle"])
    def decline_detail(self, request, object_id):
        data, _ = _bound(request)
        return self._detail_action(
            request,
            object_id,
            title="不予采纳",
            submit_label="不予采纳",
            form=ReasonForm(data, required=True, label="不予采纳理由"),
            run=lambda obj, d: services.decline_proposal(obj, actor=request.user, **d) and "已不予采纳",
        )

    @action(description="列入备选", url_path="shortlist", permissions=["handle"])
    def shortlist_detail(self, request, object_id):
        data, _ = _bound(request)
        candidates = Candidate.objects.restrict(request.user).filter(status=CandidateStatus.CANDIDATE)

        def run(obj, d):
            candidate = services.shortlist_proposals(
                [obj], actor=request.user, candidate=d["candidate"], title=d["title"], reason=d["reason"]
            )
            return f"已列入备选项目“{candidate.title}”"

        return self._detail_action(
            request,
            object_id,
            title="列入备选项目",
            submit_label="列入备选",
            form=ShortlistForm(data, candidates=candidates),
            run=run,
        )
