"""The account's own pages: change the password (also where an expired password sends you), 登录会话."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import sessions
from .models import LoginSession


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change-password view with a Chinese page; the new password passes the password rules
    (settings.AUTH_PASSWORD_VALIDATORS) and the history records it (accounts/validators.py)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("workbench:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[sessions.PASSWORD_SET] = timezone.now().timestamp()
        messages.success(self.request, "密码已修改。")
        return response


@login_required
def session_list(request):
    """登录会话: the user's open sessions (where, when, last activity), each of which can be ended."""
    rows = LoginSession.objects.active().filter(user=request.user).order_by("-created")
    current = request.session.get(sessions.RECORD)
    return render(
        request,
        "accounts/sessions.html",
        {"rows": rows, "current": current, "nav": "sessions"},
    )


@login_required
@require_POST
def end_session(request, pk: int):
    """End one of the user's own sessions (ending the current one signs out here)."""
    record = get_object_or_404(LoginSession.objects.active(), pk=pk, user=request.user)
    if record.pk == request.session.get(sessions.RECORD):
        sessions.end_session(record, reason=sessions.EndReason.BY_USER, request=request)
        request.session.flush()
        return redirect("login")
    sessions.end_session(record, reason=sessions.EndReason.BY_USER, request=request)
    messages.success(request, f"已结束 {record.ip or '未知地址'} 上的登录会话。")
    return redirect(reverse("accounts:sessions"))
