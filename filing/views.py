"""Pages of unit filing: sign in, my projects with this period's status, the monthly form, staff review.

Who may do what is decided by projects.services (the same rules as the admin and the API); these views only
choose which form to show: the lead unit's report, a cooperating unit's part, a correction, or read-only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from minsheng import numbers
from minsheng.errors import DomainError
from minsheng.files import file_response
from minsheng.formatting import WAN
from org import access
from projects import periods, services
from projects.choices import COUNTED_REPORT_STATUSES, AttachmentKind, ReportStatus
from projects.models import ProgressReport, ProgressValue, Project, ReportAttachment, ReportContribution
from projects.periods import Period

from .forms import ReportForm, ReturnForm, value_field_name
from .periods import chosen_period, picker_years
from .status import period_projects, period_rows, role_on, status_label
from .uploads import guard_uploads

LOGIN_URL = reverse_lazy("filing:login")
MONTHS = range(1, 13)

# Service error fields → form fields.
FORM_FIELDS = {"investment_completed": "investment_wan", "reason": "correction_reason", "file": "photos"}


is_staff = access.may_edit


@login_required(login_url=LOGIN_URL)
def home(request):
    """The user's projects (a filer: the unit leads or cooperates) with the period's status and due date."""
    today = timezone.localdate()
    period = chosen_period(request.GET, today)
    year, month = period.year, period.month
    page = Paginator(period_projects(request.user, year, month), 50).get_page(request.GET.get("page"))
    rows = period_rows(request.user, year, month, page.object_list)
    following = period.next()
    return render(
        request,
        "filing/home.html",
        {
            "nav": "home",
            "rows": rows,
            "page": page,
            "period": period,
            "year": year,
            "month": month,
            "picker": {"year": year, "month": month, "years": picker_years(year, today), "months": MONTHS},
            "previous": period.previous().param,
            "following": following.param if following <= Period.of(today) else "",
        },
    )


def _previous_values(project: Project, month: int) -> dict:
    """Each target's latest counted cumulative value before `month`: {target_id: (month, value)}."""
    rows = (
        ProgressValue.objects.filter(
            report__project=project, report__month__lt=month, report__status__in=COUNTED_REPORT_STATUSES
        )
        .order_by("target_id", "-report__month")
        .values_list("target_id", "report__month", "value")
    )
    found: dict = {}
    for target_id, other_month, value in rows:
        found.setdefault(target_id, (other_month, value))
    return found


def _indicators(targets, form, current: dict, previous: dict) -> list[dict]:
    """Per target: its form field, last month's value, and the completion rate of the value shown (the
    value typed in, else the saved one); static/filing/report.js recomputes the rate as the user types."""
    indicators = []
    for target in targets:
        field = form[value_field_name(target)] if form else None
        value = current.get(target.pk)
        if field is not None and field.value() not in (None, ""):
            try:
                value = numbers.parse(field.value(), target.measure)
            except numbers.NumberError:
                value = None
        rate = value / target.annual_target if value is not None and target.annual_target else None
        indicators.append(
            {
                "target": target,
                "field": field,
                "previous": previous.get(target.pk),
                "value": value,
                "rate": rate,
            }
        )
    return indicators


def _initial(report, contribution, targets, part: bool) -> dict:
    source = contribution if part else report
    if source is None:
        return {}
    values = dict(source.values.values_list("target_id", "value"))
    initial = {value_field_name(t): values[t.pk] for t in targets if t.pk in values}
    if source.investment_completed is not None:
        initial["investment_wan"] = (source.investment_completed / WAN).normalize()
    initial["narrative"] = source.narrative
    initial["problems"] = source.problems
    if not part:
        initial["next_steps"] = report.next_steps
        initial["correction_reason"] = (
            "" if report.status == ReportStatus.ACCEPTED else report.correction_reason
        )
    return initial


def _form_error(form, error: DomainError) -> None:
    field = FORM_FIELDS.get(error.field, error.field) if error.field else None
    form.add_error(field if field in form.fields else None, error.message)


def _apply(request, form, project, month, report, mode: str) -> None:
    """Run the services for one press of a button, all in one transaction (nothing half-written)."""
    user, data = request.user, form.cleaned_data
    action = request.POST.get("action", "save")
    with transaction.atomic():
        if mode == "correct":
            services.correct_report(
                report,
                actor=user,
                reason=data["correction_reason"],
                values=form.values(),
                investment_completed=form.investment_yuan(),
                narrative=data["narrative"],
                problems=data["problems"],
                next_steps=data["next_steps"],
            )
            return
        if mode == "part":
            services.save_contribution(
                project,
                month,
                actor=user,
                values=form.values(),
                investment_completed=form.investment_yuan(),
                narrative=data["narrative"],
                problems=data["problems"],
            )
        else:
            report = services.save_report(
                project,
                month,
                actor=user,
                values=form.values(),
                investment_completed=form.investment_yuan(),
                narrative=data["narrative"],
                problems=data["problems"],
                next_steps=data["next_steps"],
                correction_reason=data["correction_reason"],
            )
        for kind, upload in form.uploads():
            services.add_attachment(project, month, actor=user, kind=kind, file=upload)
        if mode == "edit" and action == "submit" and request.POST.get("confirmed") == "1":
            services.submit_report(report, actor=user)


DONE_MESSAGES = {
    "correct": "更正已提交，等待民生办审核。",
    "part": "本单位的配合内容已保存，由牵头单位统一报送。",
    "save": "已保存草稿。",
    "submit": "已报送，等待民生办审核。",
    "confirm": "已保存草稿。请核对后确认报送。",
}


@csrf_exempt  # the guard must see the upload before the CSRF check reads it; csrf_protect follows
@login_required(login_url=LOGIN_URL)
def report_page(request, pk: int, month: int):
    if request.method == "POST":
        guard_uploads(request)
    return _report_page(request, pk, month)


@csrf_protect
def _report_page(request, pk: int, month: int):
    """The month's report of one project: the form for whoever may write it, read-only for the others."""
    user = request.user
    project = get_object_or_404(
        Project.objects.restrict(user).select_related("plan__region", "lead_unit"), pk=pk
    )
    if not 1 <= month <= 12:
        raise Http404
    role = role_on(user, project)
    report = (
        ProgressReport.objects.filter(project=project, month=month)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    targets = list(project.targets.all())
    contribution = None
    if report is not None and role == "part":
        contribution = ReportContribution.objects.filter(report=report, unit_id=user.unit_id).first()
    editable = report is None or report.can_edit()
    if role in ("lead", "staff"):
        accepted = report is not None and report.status == ReportStatus.ACCEPTED
        mode = "edit" if editable else "correct" if accepted else None
    elif role == "part":
        mode = "part" if editable else None
    else:
        mode = None
    if request.method == "POST" and mode is None:
        raise DjangoPermissionDenied
    form = None
    status = 200
    if mode:
        options = {"targets": targets, "part": mode == "part", "correction": mode == "correct"}
        if request.method == "POST":
            refusals = getattr(request, "upload_refusals", [])
            form = ReportForm(request.POST, request.FILES, refusals=refusals, **options)
            if form.is_valid():
                try:
                    _apply(request, form, project, month, report, mode)
                except DomainError as error:
                    _form_error(form, error)
                else:
                    action = mode if mode in ("correct", "part") else request.POST.get("action", "save")
                    if action == "submit" and request.POST.get("confirmed") != "1":
                        # 报送 is confirmed on the server: without the page's confirm dialog (no JS), the
                        # draft is saved and the page asks once more before the report leaves the unit.
                        messages.success(request, DONE_MESSAGES["confirm"])
                        url = reverse("filing:report", kwargs={"pk": project.pk, "month": month})
                        return redirect(f"{url}?confirm=submit")
                    messages.success(request, DONE_MESSAGES.get(action, DONE_MESSAGES["save"]))
                    return redirect("filing:report", pk=project.pk, month=month)
            status = 400
        else:
            form = ReportForm(initial=_initial(report, contribution, targets, mode == "part"), **options)
    current = dict(report.values.values_list("target_id", "value")) if report else {}
    indicators = _indicators(targets, form, current, _previous_values(project, month))
    contributions = (
        list(report.contributions.select_related("unit", "updated_by").prefetch_related("values__target"))
        if report
        else []
    )
    period = Period(project.plan.year, month)
    attachments = list(report.attachments.select_related("uploaded_by")) if report else []
    return render(
        request,
        "filing/report.html",
        {
            "nav": "home",
            "project": project,
            "month": month,
            "period": period,
            "report": report,
            "status_label": status_label(report.status if report else None),
            "role": role,
            "mode": mode,
            "form": form,
            "indicators": indicators,
            "contributions": contributions,
            "attachments": attachments,
            "photos": [a for a in attachments if a.kind == AttachmentKind.PHOTO],
            "revisions": list(report.revisions.select_related("created_by")) if report else [],
            "due": periods.due_date(project.plan, period),
            "can_review": role == "staff" and report is not None and report.can_review(),
            "confirm_submit": mode == "edit"
            and report is not None
            and report.can_submit()
            and request.GET.get("confirm") == "submit",
            "return_form": ReturnForm(),
            "future": period > Period.of(timezone.localdate()),
        },
        status=status,
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def review(request, pk: int, month: int):
    """Staff accept or return a submitted report (the same services as the admin's buttons)."""
    report = get_object_or_404(ProgressReport.objects.restrict(request.user), project_id=pk, month=month)
    if not is_staff(request.user):
        raise DjangoPermissionDenied
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.accept_report(report, actor=request.user)
            messages.success(request, "已采纳该报告。")
        elif action == "return":
            services.return_report(report, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "已退回该报告，填报单位将收到通知。")
        else:
            messages.error(request, "未知的操作。")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("filing:report", pk=pk, month=month)


@require_POST
@login_required(login_url=LOGIN_URL)
def submit(request, pk: int, month: int):
    """The second step of 报送 without JavaScript: the saved draft is submitted as it stands."""
    report = get_object_or_404(ProgressReport.objects.restrict(request.user), project_id=pk, month=month)
    try:
        services.submit_report(report, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, DONE_MESSAGES["submit"])
    return redirect("filing:report", pk=pk, month=month)


@login_required(login_url=LOGIN_URL)
def attachment_file(request, pk: int):
    """A report's photo or document, for users who may see the report (thumbnails link here too)."""
    attachment = get_object_or_404(ReportAttachment.objects.restrict(request.user), pk=pk)
    return file_response(request, attachment.file, record=attachment)  # headers, nginx, download event


@require_POST
@login_required(login_url=LOGIN_URL)
def delete_attachment(request, pk: int):
    attachment = get_object_or_404(
        ReportAttachment.objects.restrict(request.user).select_related("report"), pk=pk
    )
    report = attachment.report
    try:
        services.remove_attachment(attachment, actor=request.user)
        messages.success(request, "已删除附件。")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("filing:report", pk=report.project_id, month=report.month)


@login_required(login_url=LOGIN_URL)
def review_list(request):
    """Staff: the submitted reports waiting for review in their region."""
    if not is_staff(request.user):
        raise DjangoPermissionDenied
    reports = (
        ProgressReport.objects.restrict(request.user)
        .filter(status=ReportStatus.SUBMITTED)
        .annotate(photo_count=Count("attachments", filter=Q(attachments__kind=AttachmentKind.PHOTO)))
        .select_related("project__lead_unit", "project__plan", "submitted_by")
        .order_by("submitted_at")
    )
    return render(request, "filing/review_list.html", {"nav": "review", "reports": reports[:500]})
