"""Candidates (备选项目) in the admin, with the decision procedure's steps."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from unfold.admin import TabularInline
from unfold.decorators import action, display

from minsheng.formatting import money
from org.admin_base import HistoryAdmin
from org.models import Unit
from projects.admin import ReadOnlyInlineMixin

from .. import services
from ..choices import DECISION_ORDER, CandidateStatus, DecisionStage
from ..forms import (
    AdjustmentStepForm,
    DecisionStepForm,
)
from ..models import (
    Candidate,
    DecisionStep,
)
from .common import (
    CANDIDATE_LABELS,
    ConfirmedActionsMixin,
    RoundRegionFilter,
    _bound,
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
        candidate = self.visible_object(request, object_id)
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
