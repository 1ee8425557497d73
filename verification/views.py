"""The reusable "verify your phone" page: any public page can send a citizen here and get them back verified.

    from verification.views import verified_phone_required

    @verified_phone_required("survey")
    def survey(request, pk):
        request.verified_phone  # VerifiedPhone(hash, masked)

or put `{% include "verification/_verify_phone.html" %}` (with `verify_purpose` and
`verify_next` in the context, see `verification_context`) in front of the page's own form.
"""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from . import services as verification
from .errors import VerificationErrorCode
from .forms import CodeForm, PhoneForm
from .services import VerificationError


def verify_url(purpose: str, next_url: str) -> str:
    """The verification page for `purpose`, returning to `next_url` once the phone is confirmed."""
    return reverse("publicity:verify_phone", args=[purpose]) + "?" + urlencode({"next": next_url})


def verification_context(request, purpose: str, next_url: str | None = None) -> dict:
    """Context for the _verify_phone.html include: the verified phone (or None) and the step-1 form."""
    return {
        "verified": verification.verified_phone(request, purpose),
        "verify_purpose": purpose,
        "verify_purpose_label": verification.PURPOSES.get(purpose, "身份验证"),
        "verify_next": next_url or request.get_full_path(),
        "verify_form": PhoneForm(),
        "verify_step": "phone",
    }


def verified_phone_required(purpose: str):
    """Decorator: views run only for a session that verified a phone for `purpose`
    (`request.verified_phone`); others are sent to the verification page and back."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            verified = verification.verified_phone(request, purpose)
            if verified is None:
                return redirect(verify_url(purpose, request.get_full_path()))
            request.verified_phone = verified
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _safe_next(request, purpose) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("publicity:home")


@require_http_methods(["GET", "POST"])
def verify_phone(request, purpose):
    """Step 1 (action=send): text a code. Step 2 (action=confirm): check it, then go back to `next`."""
    if purpose not in verification.PURPOSES:
        return render(request, "verification/verify_phone.html", {"unknown": True}, status=404)
    context = verification_context(request, purpose, _safe_next(request, purpose))
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            form = CodeForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    verification.confirm_code(request, data["phone"], data["code"], purpose=purpose)
                    return redirect(context["verify_next"])
                except VerificationError as error:
                    form.add_error(
                        error.field if error.code != VerificationErrorCode.TOO_MANY_ATTEMPTS else None,
                        error.message,
                    )
            context.update(verify_form=form, verify_step="code")
        else:
            form = PhoneForm(request.POST)
            if form.is_valid():
                phone = form.cleaned_data["phone"]
                try:
                    sent = verification.send_code(phone, ip=verification.client_ip(request), purpose=purpose)
                    context.update(
                        verify_form=CodeForm(initial={"phone": phone}),
                        verify_step="code",
                        sent_to=sent.masked,
                    )
                except VerificationError as error:
                    form.add_error("phone", error.message)
                    context["verify_form"] = form
            else:
                context["verify_form"] = form
        if context["verify_form"].errors:
            status = 400
    return render(request, "verification/verify_phone.html", context, status=status)
