"""Public disclosure pages (no login): the year's published projects, one project, its published photos."""

from itertools import groupby

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from minsheng.errors import DomainError
from projects.models import Project
from verification import services as verification
from verification.views import verification_context, verify_url

from .. import services
from ..models import PhotoPublication, SurveyResponse
from . import queries
from .forms import SurveyForm

SURVEY_PURPOSE = "survey"

# Projects shown on the portal home; the year's page lists them all.
HOME_LIMIT = 12


def _with_words(projects):
    for project in projects:
        project.plain = queries.plain_progress(project)
        project.funds = queries.funds(project)
    return projects


def project_list(request, year: int | None = None):
    """The published projects of a year, grouped by plan (region)."""
    years = queries.disclosed_years()
    if year is None:
        year = years[0] if years else None
    elif year not in years:
        raise Http404("该年度没有公开的项目。")
    projects = _with_words(list(queries.public_projects().filter(plan__year=year))) if year else []
    plans = [(plan, list(items)) for plan, items in groupby(projects, key=lambda p: p.plan)]
    return render(
        request,
        "publicity/disclosure/project_list.html",
        {"year": year, "years": years, "plans": plans, "count": len(projects)},
    )


def bulletin_list(request):
    """Issued bulletins (简报) published by staff, with their frozen PDF; ?year= narrows to one year."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    bulletins = list(queries.public_bulletins(year))
    return render(request, "publicity/disclosure/bulletin_list.html", {"bulletins": bulletins, "year": year})


def project_detail(request, pk: int):
    """One published project: summary, progress in words, targets, funds, milestones, photos, survey."""
    project = get_object_or_404(queries.public_project_detail(), pk=pk)
    _with_words([project])
    survey = getattr(project, "survey", None)
    context = {
        "project": project,
        "targets": [(t, queries.target_sentence(t)) for t in project.public_targets],
        "milestones": project.public_milestones,
        "photos": list(queries.public_photos(project.pk)),
        "survey": survey,
        "survey_open": survey is not None and survey.is_open(),
    }
    return render(request, "publicity/disclosure/project_detail.html", context)


def photo(request, pk: int):
    """The file of a published photo of a published project; anything else is a 404."""
    publication = get_object_or_404(PhotoPublication.objects.public().select_related("attachment"), pk=pk)
    try:
        handle = publication.attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("照片文件不存在。") from exc
    response = FileResponse(handle)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def home_disclosure() -> dict:
    """The portal home's disclosure section: the latest disclosed year and its projects in words."""
    projects = _with_words(list(queries.public_projects()[:HOME_LIMIT]))
    year = projects[0].plan.year if projects else None
    return {"year": year, "projects": [p for p in projects if p.plan.year == year]}


@require_http_methods(["GET", "POST"])
def survey(request, pk: int):
    """The survey of a published project: verify a phone (verification.services), then answer once."""
    project = get_object_or_404(
        Project.objects.filter(publication__is_published=True, survey__isnull=False).select_related(
            "survey", "plan"
        ),
        pk=pk,
    )
    survey = project.survey
    verified = verification.verified_phone(request, SURVEY_PURPOSE)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if verified is None:
            return redirect(verify_url(SURVEY_PURPOSE, request.path))
        if form.is_valid():
            try:
                services.answer_survey(survey, phone_hash=verified.hash, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "感谢您的评价！")
                return redirect("publicity:disclosure-project", pk=project.pk)
    answered = (
        verified is not None
        and SurveyResponse.objects.filter(survey=survey, phone_hash=verified.hash).exists()
    )
    context = {
        **verification_context(request, SURVEY_PURPOSE, request.path),
        "project": project,
        "survey": survey,
        "survey_open": survey.is_open(),
        "answered": answered,
        "form": form,
    }
    return render(request, "publicity/disclosure/survey.html", context, status=400 if form.errors else 200)
