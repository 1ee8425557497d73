"""One login for the admin and the pages, each role's home, the 民生办 workbench and the change history."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from org.access import may_use_admin as can_use_admin

from . import history
from .desk import build_desk
from .navigation import can_read_history, home_url, is_office


class LoginView(auth_views.LoginView):
    """The one sign-in page, served at /login/, /admin/login/ and /filing/login/.

    A safe `next` wins; without it the user lands on the home of their role. A signed-in user who was sent
    here from a page they may not open sees the form again with a note (as the admin does), instead of
    bouncing between that page and this one.
    """

    template_name = "registration/login.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.get_redirect_url():
            return redirect(home_url(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_redirect_url(self):
        url = super().get_redirect_url()
        # The admin sends everyone it turns away to its login with next=/admin/...: a user without admin
        # access who signs in there goes home rather than back into the refusal.
        admin_root = reverse("admin:index")
        user = self.request.user
        if url and url.startswith(admin_root) and user.is_authenticated and not can_use_admin(user):
            return ""
        return url

    def get_default_redirect_url(self):
        return home_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signed_in_elsewhere"] = self.request.user.is_authenticated
        return context


@login_required
def home(request):
    """LOGIN_REDIRECT_URL: sends the user on to the home of their role."""
    url = home_url(request.user)
    if url == request.path:
        raise PermissionDenied("您的账号尚未分配角色，请联系本级民生办开通。")
    return redirect(url)


@login_required
def index(request):
    """The 民生办 workbench: due reports, open alerts, overdue 督办 stages, reports waiting for review."""
    if not is_office(request.user):
        raise PermissionDenied("工作台仅供民生办工作人员使用。")
    return render(request, "workbench/index.html", {"desk": build_desk(request.user), "nav": "workbench"})


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


@login_required
def changes(request):
    """最近修改: recent changes across the models, read-only, scoped as the admin scopes them."""
    if not can_read_history(request.user):
        raise PermissionDenied("修改历史仅供民生办工作人员、审计/观察员和管理员查看。")
    available = history.sources(request)
    # One kind of record (with its parts: a report's values and attachments), or all of them.
    picked = [s for s in available if s.holder._meta.label_lower == request.GET.get("model")]
    chosen_label = picked[0].holder._meta.label_lower if picked else ""
    chosen = picked or available
    page = _page_number(request.GET.get("page"))
    rows, more = history.recent_changes(request, chosen, page)
    kinds = sorted({(s.label, s.name) for s in available if s.holder is s.model}, key=lambda k: k[1])
    return render(
        request,
        "workbench/history.html",
        {
            "rows": rows,
            "page": page,
            "more": more,
            "kinds": kinds,
            "chosen": chosen_label,
            "nav": "history",
        },
    )
