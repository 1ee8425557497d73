"""Pages of supervision outside the admin: the board for the office, leaders and auditors; the unit's
alerts, 督办单 (with the answer form) and problems (with the rectification forms)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from filing.periods import chosen_period, picker_years
from minsheng.errors import DomainError
from org import access

from . import services
from .board import build_board
from .choices import ProblemStatus, Stage
from .filtersets import AlertFilterSet, OrderFilterSet, ProblemFilterSet
from .models import Alert, OrderResponse, Problem, SupervisionOrder

LOGIN_URL = reverse_lazy("filing:login")
PAGE = 50


def _page(request, qs):
    return Paginator(qs, PAGE).get_page(request.GET.get("page"))


@login_required(login_url=LOGIN_URL)
def board(request):
    """The board of a period (year and month picker; the current filing period by default), judged on the
    last day of the month after it (when that month's report falls due) or today, whichever is earlier."""
    if not access.may_use_board(request.user):
        raise DjangoPermissionDenied("督查看板仅供民生办、领导和审计人员查看。")
    today = timezone.localdate()
    period = chosen_period(request.GET, today)
    on = min(today, period.next().last_day)
    region = request.user.region
    title = f"{period.year}年{period.bulletin_label} 民生实事督查看板"
    context = {
        "board": build_board(request.user, on=on),
        "nav": "board",
        "title": f"{region.name} {title}" if region else title,
        "picker": {
            "year": period.year,
            "month": period.month,
            "years": picker_years(period.year, today),
            "months": range(1, 13),
        },
    }
    return render(request, "supervision/board.html", context)


@login_required(login_url=LOGIN_URL)
def alerts(request):
    qs = Alert.objects.restrict(request.user).select_related("unit", "project")
    filterset = AlertFilterSet(request.GET or {"status": "open"}, queryset=qs)
    rows = filterset.qs if filterset.is_valid() else qs.none()
    return render(
        request,
        "supervision/alerts.html",
        {"page": _page(request, rows), "filter": filterset, "nav": "alerts"},
    )


@login_required(login_url=LOGIN_URL)
def orders(request):
    qs = SupervisionOrder.objects.restrict(request.user).select_related("unit", "project")
    filterset = OrderFilterSet(request.GET, queryset=qs)
    rows = filterset.qs if filterset.is_valid() else qs.none()
    return render(
        request,
        "supervision/orders.html",
        {"page": _page(request, rows), "filter": filterset, "nav": "orders"},
    )


class RespondForm(forms.Form):
    text = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


def _run(request, step, obj, done, **kwargs) -> bool:
    try:
        step(obj, actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def order_detail(request, pk):
    qs = SupervisionOrder.objects.restrict(request.user).select_related("unit", "project", "issued_by")
    order = get_object_or_404(
        qs.prefetch_related(
            Prefetch("responses", queryset=OrderResponse.objects.select_related("author")), "escalations"
        ),
        pk=pk,
    )
    stage = order.next_stage()
    can_respond = (
        stage is not None
        and order.status != "closed"
        and access.is_filer(request.user)
        and access.in_unit(request.user, order.unit_id)
    )
    form = RespondForm(request.POST or None)
    answered = (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            services.respond_to_order,
            order,
            f"已{Stage(stage).label if stage else '答复'}。",
            stage=request.POST.get("stage", ""),
            text=form.cleaned_data["text"],
        )
    )
    if answered:
        return redirect("supervision:order", pk=order.pk)
    stages = [
        {"label": s.label, "due": order.due(s), "done": order.done_at(s), "current": s == stage}
        for s in Stage
    ]
    context = {
        "order": order,
        "stages": stages,
        "stage": stage,
        "form": form,
        "can_respond": can_respond,
        "nav": "orders",
    }
    return render(request, "supervision/order_detail.html", context)


@login_required(login_url=LOGIN_URL)
def problems(request):
    qs = Problem.objects.restrict(request.user).select_related("unit", "project", "rectification")
    filterset = ProblemFilterSet(request.GET, queryset=qs)
    rows = filterset.qs if filterset.is_valid() else qs.none()
    return render(
        request,
        "supervision/problems.html",
        {"page": _page(request, rows), "filter": filterset, "nav": "problems"},
    )


class PlanForm(forms.Form):
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    deadline = forms.DateField(label="整改时限", widget=forms.DateInput(attrs={"type": "date"}))
    responsible_person = forms.CharField(label="责任人", max_length=50, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料（照片或文档）")
    caption = forms.CharField(label="说明", max_length=200, required=False)


class ResultForm(forms.Form):
    result = forms.CharField(label="整改结果", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def problem_detail(request, pk):
    qs = Problem.objects.restrict(request.user).select_related("unit", "project", "rectification")
    problem = get_object_or_404(qs.prefetch_related("rectification__evidence"), pk=pk)
    rectification = getattr(problem, "rectification", None)
    own_unit = access.is_filer(request.user) and access.in_unit(request.user, problem.unit_id)
    initial = (
        {
            "measures": rectification.measures,
            "deadline": rectification.deadline,
            "responsible_person": rectification.responsible_person,
        }
        if rectification
        else None
    )
    plan_form, evidence_form, result_form = PlanForm(initial=initial), EvidenceForm(), ResultForm()
    if request.method == "POST":
        step = request.POST.get("step")
        done = False
        if step == "plan":
            plan_form = PlanForm(request.POST)
            if plan_form.is_valid():
                done = _run(
                    request,
                    services.plan_rectification,
                    problem,
                    "整改措施已保存。",
                    **plan_form.cleaned_data,
                )
        elif step == "evidence":
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                done = _run(
                    request, services.add_evidence, problem, "佐证材料已上传。", **evidence_form.cleaned_data
                )
        elif step == "submit":
            result_form = ResultForm(request.POST)
            if result_form.is_valid():
                done = _run(
                    request,
                    services.submit_rectification,
                    problem,
                    "已报送核验。",
                    **result_form.cleaned_data,
                )
        if done:
            return redirect("supervision:problem", pk=problem.pk)
    editable = own_unit and problem.status in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING)
    context = {
        "problem": problem,
        "rectification": rectification,
        "can_plan": editable,
        "can_submit": editable and rectification is not None,
        "plan_form": plan_form,
        "evidence_form": evidence_form,
        "result_form": result_form,
        "nav": "problems",
    }
    return render(request, "supervision/problem_detail.html", context)
