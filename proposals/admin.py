"""The 民生办's admin for collection rounds, proposals, candidates and their decision procedure, and the
year rollover. Every handling step goes through a confirmation page and changes data only on POST, by
calling the same services as the API."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from unfold.admin import TabularInline
from unfold.decorators import action, display

from minsheng.admin_confirm import ConfirmServiceMixin
from minsheng.errors import DomainError
from minsheng.formatting import money
from org import access
from org.admin_base import HistoryAdmin, ScopedInlineMixin
from org.models import Unit
from projects.admin import ReadOnlyInlineMixin
from projects.admin_filters import RegionTreeFilter

from . import services
from .choices import DECISION_ORDER, CandidateStatus, DecisionStage, ProposalStatus
from .forms import (
    AdjustmentStepForm,
    DecisionStepForm,
    MergeForm,
    ReasonForm,
    RolloverForm,
    ShortlistForm,
    StaffProposalForm,
)
from .models import (
    Candidate,
    CarryOver,
    CollectionRound,
    DecisionStep,
    ProjectLineage,
    Proposal,
    ProposalAction,
    ProposalAttachment,
)

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
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
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


@admin.register(CollectionRound)
class CollectionRoundAdmin(HistoryAdmin):
    list_display = ["name", "region", "year", "opens_on", "closes_on", "open_display", "proposal_count"]
    list_filter = ["year", RoundRegionFilter]
    search_fields = ["name"]
    list_select_related = ["region"]
    fields = ["region", "year", "name", "opens_on", "closes_on", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_proposals=Count("proposals"))

    @display(description="建议数", ordering="n_proposals")
    def proposal_count(self, obj):
        return obj.n_proposals

    @display(description="征集状态", label={"征集中": "success", "未开始": "info", "已截止": "warning"})
    def open_display(self, obj):
        if obj.is_open():
            return "征集中"
        return "未开始" if obj.opens_on > timezone.localdate() else "已截止"


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
        "proposer_name",
        "phone_masked",
        "status_display",
        "cost_display",
        "submitted_at",
    ]
    list_display_links = ["tracking_code", "title"]
    list_filter = ["round__year", ProposalRegionFilter, "status", "source", "category"]
    list_filter_submit = True
    search_fields = [
        "tracking_code",
        "title",
        "description",
        "proposer_name",
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


class DecisionStepInline(ReadOnlyInlineMixin, TabularInline):
    """The recorded steps, in order; a step is added through “登记决策环节”, never edited."""

    model = DecisionStep
    fields = [
        "stage",
        "held_on",
        "outcome",
        "responsible_unit",
        "document_number",
        "document",
        "social_risk",
        "environmental_risk",
        "fiscal_risk",
        "votes",
        "rank",
        "ballots",
        "recorded_by",
    ]
    readonly_fields = fields
    verbose_name_plural = "决策程序（按“登记决策环节”依次登记）"


class CandidateForm(forms.ModelForm):
    # Proposals join a candidate through “列入备选” on the proposals list, which records the step and the
    # proposal's new status; here they are only shown.
    class Meta:
        model = Candidate
        fields = ["region", "year", "sequence", "title", "description", "category", "estimated_cost"]


@admin.register(Candidate)
class CandidateAdmin(ConfirmedActionsMixin, HistoryAdmin):
    form = CandidateForm
    list_display = [
        "sequence",
        "title",
        "region",
        "year",
        "category",
        "cost_display",
        "proposal_count",
        "next_stage_display",
        "status_display",
        "project",
    ]
    list_display_links = ["title"]
    list_filter = ["year", RoundRegionFilter, "status", "category"]
    search_fields = ["title", "description"]
    list_select_related = ["region", "project"]
    readonly_fields = ["status", "project", "proposals_display", "created_by"]
    inlines = [DecisionStepInline]
    actions_detail = ["record_step_detail", "adjust_detail"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_proposals=Count("proposals", distinct=True))
            .prefetch_related("steps")
        )

    def has_change_permission(self, request, obj=None):
        # The list's content is settled once the procedure has ended; 动态调整 records later changes.
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == CandidateStatus.CANDIDATE
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @display(description="估算投资", ordering="estimated_cost")
    def cost_display(self, obj):
        return money(obj.estimated_cost)

    @display(description="来源建议（在“建议”列表中“列入备选项目”）")
    def proposals_display(self, obj):
        return "；".join(str(p) for p in obj.proposals.all()) or "—"

    @display(description="来源建议", ordering="n_proposals")
    def proposal_count(self, obj):
        return obj.n_proposals

    @display(description="下一环节")
    def next_stage_display(self, obj):
        if obj.status != CandidateStatus.CANDIDATE:
            return "—"
        stage = services.next_stage(obj, [step.stage for step in obj.steps.all()])
        return DecisionStage(stage).label if stage else "—"

    @display(description="状态", ordering="status", label=CANDIDATE_LABELS)
    def status_display(self, obj):
        return obj.get_status_display()

    def _units(self, request):
        return Unit.objects.restrict(request.user).filter(is_active=True)

    @action(description="登记决策环节", url_path="record-step", permissions=["handle"])
    def record_step_detail(self, request, object_id):
        candidate = get_object_or_404(self.get_queryset(request), pk=object_id)
        stage = services.next_stage(candidate)
        if candidate.status != CandidateStatus.CANDIDATE or stage is None:
            self.message_user(request, f"{candidate}：决策程序已结束。", messages.WARNING)
            return redirect(reverse("admin:proposals_candidate_change", args=[candidate.pk]))
        data, files = _bound(request)
        form = DecisionStepForm(data, files, stage=stage, units=self._units(request))

        def run(obj, _):
            step = services.record_decision_step(
                obj, actor=request.user, stage=stage, **form.service_kwargs()
            )
            return f"已登记“{step.get_stage_display()}”（{step.get_outcome_display()}）"

        intro = f"本次登记环节：{DecisionStage(stage).label}。决策程序须依次进行：" + " → ".join(
            s.label for s in DECISION_ORDER
        )
        if stage == DecisionStage.PARTICIPATION:
            intro += "。公众投票结果将自动附上。"
        return self._detail_action(
            request, object_id, title="登记决策环节", submit_label="登记", form=form, run=run, intro=intro
        )

    @action(description="登记动态调整", url_path="adjust", permissions=["handle"])
    def adjust_detail(self, request, object_id):
        data, files = _bound(request)
        form = AdjustmentStepForm(data, files)
        return self._detail_action(
            request,
            object_id,
            title="登记动态调整",
            submit_label="登记",
            form=form,
            run=lambda obj, d: (
                services.record_candidate_adjustment(obj, actor=request.user, **d) and "已登记动态调整"
            ),
            intro="只有经集体讨论决定通过并已立项的项目才能动态调整；调整同时记入项目的“动态调整”。",
        )


class ReadOnlyAdmin(HistoryAdmin):
    """Records written only by the services: listed and searchable, never added, edited or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DecisionStep)
class DecisionStepAdmin(ReadOnlyAdmin):
    list_display = [
        "candidate",
        "stage",
        "held_on",
        "outcome",
        "responsible_unit",
        "document_number",
        "recorded_by",
    ]
    list_filter = ["stage", "outcome", "candidate__year", StepRegionFilter]
    search_fields = ["candidate__title", "notes", "document_number"]
    list_select_related = ["candidate", "responsible_unit", "recorded_by"]


class CarryOverForm(forms.ModelForm):
    class Meta:
        model = CarryOver
        fields = ["project", "decision", "merge_code", "merge_title", "note"]


@admin.register(CarryOver)
class CarryOverAdmin(ConfirmedActionsMixin, HistoryAdmin):
    """Year-end decisions per project and the rollover that carries them out."""

    form = CarryOverForm
    list_display = ["project", "plan_year", "decision", "merge_code", "merge_title", "successor", "done_at"]
    list_filter = [
        "project__plan__year",
        CarryOverRegionFilter,
        "decision",
        ("done_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["project__code", "project__title", "merge_title"]
    list_select_related = ["project__plan", "successor"]
    autocomplete_fields = ["project"]
    readonly_fields = ["successor", "done_at", "decided_by"]
    actions = ["rollover_selected"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.done_at is None)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        carry = services.set_carry_over(
            data["project"],
            actor=request.user,
            decision=data["decision"],
            merge_code=data.get("merge_code") or "",
            merge_title=data.get("merge_title") or "",
            note=data.get("note") or "",
        )
        copy_into(obj, carry)

    @display(description="年度", ordering="project__plan__year")
    def plan_year(self, obj):
        return obj.project.plan.year

    @admin.action(description="对所选项目所在的年度计划执行年度结转", permissions=["handle"])
    def rollover_selected(self, request, queryset):
        data, _ = _bound(request)
        plans = {
            (c.project.plan.region, c.project.plan.year)
            for c in queryset.select_related("project__plan__region")
        }

        def run(objs, _):
            for region, year in sorted(plans, key=lambda p: (p[0].path, p[1])):
                result = services.rollover(region, year, actor=request.user)
                text = result.summary() if result.changed else "没有待结转的项目，未作修改。"
                self.message_user(
                    request, f"{region.name}{year}年度结转到{year + 1}年度：{text}", messages.SUCCESS
                )

        return self._list_action(
            request,
            queryset,
            name="rollover_selected",
            title="年度结转：" + "、".join(f"{region.name}{year}年度" for region, year in plans),
            submit_label="结转",
            form=RolloverForm(data),
            run=run,
        )


@admin.register(ProjectLineage)
class ProjectLineageAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "change_type", "recorded_at"]
    list_filter = ["change_type", "successor__plan__year"]
    search_fields = ["predecessor__code", "predecessor__title", "successor__code", "successor__title"]
    list_select_related = ["predecessor", "successor"]
