"""The in-app inbox for signed-in users: list, mark one or all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .models import Notification

LOGIN_URL = reverse_lazy("filing:login")


@login_required(login_url=LOGIN_URL)
def inbox(request):
    notifications = Notification.objects.filter(user=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.unread()
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": Notification.objects.filter(user=request.user).unread().count(),
        },
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(request.user, [notification])
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@login_required(login_url=LOGIN_URL)
def mark_all_read(request):
    count = services.mark_read(request.user)
    messages.success(request, f"已将{count}条消息标记为已读。")
    return redirect("notifications:inbox")
