"""Public pages of issue 3: rounds and the proposal form, "where did my proposal go", votes (candidate list,
phone, code, choices, receipt), results and the receipt check. No login: a phone verified by SMS code."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from minsheng.errors import DomainError
from proposals.forms import PublicProposalForm
from proposals.models import CollectionRound, Proposal
from proposals.services import submit_proposal, trace
from verification import services as verification
from verification.services import VerificationError
from verification.views import verification_context
from voting.models import Ballot, BallotChoice, Vote
from voting.results import vote_result
from voting.services import cast_ballot, has_voted

from .forms import BallotForm, LookupForm, ProposalPhoneForm

T = "publicity/participation/"


def _options(vote):
    return list(vote.options.select_related("candidate").order_by("sequence", "pk"))


def participate(request):
    """The entry page: rounds open for proposals and votes under way, then the past ones."""
    today = timezone.localdate()
    rounds = CollectionRound.objects.select_related("region").order_by("-opens_on", "-pk")
    votes = Vote.objects.published().select_related("region")
    return render(
        request,
        T + "index.html",
        {
            "open_rounds": [r for r in rounds if r.is_open(today)],
            "other_rounds": [r for r in rounds if not r.is_open(today)][:10],
            "votes": votes[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    """A collection round, with the proposal form while it is open. "获取验证码" texts a code and shows the
    same form again with everything typed kept; "提交建议" checks the code and submits."""
    round = get_object_or_404(CollectionRound.objects.select_related("region"), pk=pk)
    is_open = round.is_open()
    form = PublicProposalForm(request.POST or None, request.FILES or None)
    phone_form = ProposalPhoneForm(request.POST or None)
    sent_to, status = None, 200
    if request.method == "POST" and not is_open:
        messages.error(request, "当前不在征集期内，不能提交建议。")
        return redirect(reverse("publicity:round", args=[round.pk]))
    if request.method == "POST" and request.POST.get("action") == "send":
        # Keep what was typed without judging it yet: the same form, unbound, with the data as initial.
        form = PublicProposalForm(initial=request.POST.dict())
        if phone_form.is_valid():
            try:
                sent_to = verification.send_code(
                    phone_form.cleaned_data["phone"], ip=verification.client_ip(request), purpose="proposal"
                ).masked
            except VerificationError as error:
                phone_form.add_error("phone", error.message)
        if request.FILES:
            messages.warning(request, "出于安全原因，已选择的附件需要在提交时重新选择。")
        return render(
            request,
            T + "round.html",
            {"round": round, "is_open": is_open, "form": form, "phone_form": phone_form, "sent_to": sent_to},
            status=200 if sent_to else 400,
        )
    if request.method == "POST":
        form_ok = form.is_valid()
        phone_ok = phone_form.require_code()
        if form_ok and phone_ok:
            data = phone_form.cleaned_data
            try:
                verification.check_code(data["phone"], data["code"], purpose="proposal")
                proposal = submit_proposal(round, form.cleaned_data, phone=data["phone"])
            except VerificationError as error:
                phone_form.add_error("code" if error.field == "code" else "phone", error.message)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                request.session["last_tracking_code"] = proposal.tracking_code
                return redirect(reverse("publicity:proposal_submitted", args=[proposal.tracking_code]))
        status = 400
    return render(
        request,
        T + "round.html",
        {"round": round, "is_open": is_open, "form": form, "phone_form": phone_form, "sent_to": sent_to},
        status=status,
    )


def proposal_submitted(request, code):
    """The confirmation after a submit: the tracking code to keep (shown only to the session that made it)."""
    if request.session.get("last_tracking_code") != code:
        return redirect(reverse("publicity:track") + f"?code={code}")
    proposal = get_object_or_404(Proposal.objects.select_related("round"), tracking_code=code)
    return render(request, T + "submitted.html", {"proposal": proposal})


def track(request):
    """Where did my proposal go: its story by tracking code (a1's trace())."""
    form = LookupForm(request.GET or None, label="建议查询码")
    proposal, events, status = None, [], 200
    if form.is_bound and form.is_valid():
        proposal = (
            Proposal.objects.select_related("round").filter(tracking_code=form.cleaned_data["code"]).first()
        )
        if proposal is None:
            form.add_error("code", "没有找到该查询码对应的建议，请核对后重新输入。")
            status = 404
        else:
            events = trace(proposal)
    return render(
        request, T + "track.html", {"form": form, "proposal": proposal, "events": events}, status=status
    )


def votes(request):
    """Every published vote, under way first."""
    return render(request, T + "votes.html", {"votes": Vote.objects.published().select_related("region")})


@require_http_methods(["GET", "POST"])
def vote_detail(request, pk):
    """The candidate list with descriptions and, while the vote is open, the ballot: a verified phone
    (the reusable include), then the choices, then the receipt."""
    vote = get_object_or_404(Vote.objects.published().select_related("region"), pk=pk)
    options = _options(vote)
    verified = verification.verified_phone(request, "vote")
    form = BallotForm(request.POST or None, vote=vote, options=options)
    status = 200
    if request.method == "POST":
        if verified is None:
            messages.error(request, "请先验证手机号码。")
            return redirect(reverse("publicity:vote", args=[vote.pk]))
        if form.is_valid():
            try:
                ballot = cast_ballot(vote, verified, form.cleaned_data["options"])
            except DomainError as error:
                if vote.phase() != "open":  # the page shows no ballot paper to put the message on
                    messages.error(request, error.message)
                    return redirect(reverse("publicity:vote", args=[vote.pk]))
                form.add_error(None, error.message)
            else:
                request.session["last_receipt"] = ballot.receipt
                return redirect(reverse("publicity:receipt_detail", args=[ballot.receipt]))
        status = 400
    context = {
        "vote": vote,
        "options": options,
        "form": form,
        "chosen": form.chosen(),
        "phase": vote.phase(),
        "voted": verified is not None and has_voted(vote, verified),
        **verification_context(request, "vote"),
    }
    return render(request, T + "vote.html", context, status=status)


def vote_results(request, pk):
    """Tallies, once the vote is closed (or live if the vote says so)."""
    vote = get_object_or_404(Vote.objects.published().select_related("region"), pk=pk)
    public = vote.results_public()
    result = vote_result(vote) if public else None
    return render(request, T + "results.html", {"vote": vote, "result": result, "public": public})


def _ballot(receipt):
    choices = BallotChoice.objects.select_related("option__candidate").order_by("option__sequence", "pk")
    return (
        Ballot.objects.select_related("vote")
        .prefetch_related(Prefetch("choices", queryset=choices))
        .filter(receipt=receipt)
        .first()
    )


def receipt_check(request):
    """Check a receipt code: the ballot it names counted (vote, masked phone, time, choices)."""
    form = LookupForm(request.GET or None, label="投票回执码")
    ballot, status = None, 200
    if form.is_bound and form.is_valid():
        ballot = _ballot(form.cleaned_data["code"])
        if ballot is None:
            form.add_error("code", "没有找到该回执码对应的选票，请核对后重新输入。")
            status = 404
    return render(request, T + "receipt.html", {"form": form, "ballot": ballot}, status=status)


def receipt_detail(request, receipt):
    ballot = _ballot(receipt.upper())
    if ballot is None:
        raise Http404("回执码不存在。")
    fresh = request.session.get("last_receipt") == ballot.receipt
    return render(
        request,
        T + "receipt.html",
        {"form": LookupForm(label="投票回执码"), "ballot": ballot, "fresh": fresh},
    )
