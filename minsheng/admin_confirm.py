"""Admin pages that write through the services: "confirm, then run the service" steps, and a dry run that
turns a service's refusal into form errors before the admin saves anything."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from minsheng.bases import ModelAdminMixinBase
from minsheng.errors import DomainError


def show_refusal(form: forms.BaseForm, exc: DomainError) -> None:
    """A service's refusal as the form's error: on the field it names when the form has it, else above."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def visible_or_404(model_admin, request, object_id, queryset=None):
    """The record `object_id` among those the admin shows the user (its queryset is the model's
    `restrict(user)`), else 404: a missing id, another region's record and an id that is not one at all
    ("abc") all read as "not found", never as a 500 and never as "exists but forbidden"."""
    queryset = model_admin.get_queryset(request) if queryset is None else queryset
    try:
        return queryset.get(pk=object_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        name = queryset.model._meta.verbose_name
        raise Http404(f"没有找到这条{name}记录，或不在您的可见范围内。") from None


class _Rollback(Exception):
    pass


def dry_run(call) -> DomainError | None:
    """Run a service in a savepoint and roll it back; its refusal, if any."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return None
    except DomainError as exc:
        return exc


def validate_with(form: forms.BaseForm, call) -> None:
    """For a form's clean(): dry-run the service `call` would run; its refusal becomes the form's error."""
    refusal = dry_run(call)
    if refusal is not None:
        show_refusal(form, refusal)


def checked_by(form_class: type[forms.BaseForm], call) -> type[forms.BaseForm]:
    """An add form whose clean() dry-runs the service that save_model will run (`call(cleaned_data)`), so a
    refusal is shown on the form (never raised from save_model, which would be a 500)."""

    class Checked(form_class):  # type: ignore[valid-type,misc]
        def clean(self):
            data = super().clean()
            if not self.errors:
                validate_with(self, lambda: call(data))
            return data

    return Checked


class ConfirmServiceMixin(ModelAdminMixinBase):
    """A step as a page: GET shows what it concerns (details, the objects, an intro) and the fields it needs;
    the POST runs the service. A refusal (DomainError) is shown on the page again, with nothing changed (the
    service is one transaction); success says so in a message and goes back."""

    confirm_template = "admin/confirm.html"

    def visible_object(self, request, object_id, queryset=None):
        """The record a detail action concerns, or 404 (see visible_or_404)."""
        return visible_or_404(self, request, object_id, queryset)

    def confirm_page(
        self,
        request,
        *,
        title: str,
        cancel_url: str,
        form: forms.BaseForm | None = None,
        details=(),
        objects=None,
        objects_label: str = "",
        intro: str = "",
        submit_label: str = "",
        action: str | None = None,
    ):
        """The confirmation page; `details` are (label, value) pairs, `objects` a list of records concerned,
        `action` the changelist action a list action's confirming POST goes back to."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "details": details,
            "objects": objects,
            "objects_label": objects_label,
            "intro": intro,
            "submit_label": submit_label,
            "action": action,
            "cancel_url": cancel_url,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, self.confirm_template, context)

    def run_confirmed(self, request, form: forms.BaseForm | None, run) -> bool:
        """On a bound, valid form, `run(cleaned_data)`; its return value, when there is one, is the success
        message. False when the form is unbound or invalid, or the service refused (shown on the form)."""
        if form is None or not (form.is_bound and form.is_valid()):
            return False
        try:
            done = run(form.cleaned_data)
        except DomainError as exc:
            show_refusal(form, exc)
            return False
        if done:
            self.message_user(request, done, messages.SUCCESS)
        return True

    def confirm_step(
        self, request, *, form: forms.BaseForm, run, cancel_url: str, done_url: str = "", **page
    ):
        """GET, an invalid form or a refusal: the confirmation page; a run that succeeds: back to `done_url`
        (else `cancel_url`)."""
        if self.run_confirmed(request, form, run):
            return redirect(done_url or cancel_url)
        return self.confirm_page(request, form=form, cancel_url=cancel_url, **page)
