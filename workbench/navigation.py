"""Where each role belongs: its home after signing in and the links of the navigation every page shares
(templates/_nav.html). Decided here, on the server, from the role; the admin's sidebar (admin_nav.py) asks
the same predicates."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from dashboard.api.views import can_read_dashboard
from org.admin_base import can_view as can_use_admin
from org.choices import Role


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def is_office(user) -> bool:
    """民生办 staff and system administrators: the workbench and the review of monthly reports."""
    return _active(user) and (user.is_superuser or user.role == Role.STAFF)


def is_filer(user) -> bool:
    return _active(user) and not user.is_superuser and user.role == Role.FILER


def can_use_board(user) -> bool:
    """The supervision board is for the office, leaders and auditors (supervision.views.board)."""
    return _active(user) and can_use_admin(user)


def can_read_history(user) -> bool:
    """The change history: staff and auditors of a unit, and system administrators."""
    return _active(user) and user.can_see_history and (user.is_superuser or user.unit_id is not None)


def signed_in(user) -> bool:
    return _active(user)


def home_url(user) -> str:
    """The first page of a signed-in user: staff and administrators the workbench, leaders the dashboard,
    auditors the change history, filers their filing page."""
    if is_office(user):
        return reverse("workbench:index")
    if not _active(user):
        return reverse("login")
    if user.role == Role.LEADER:
        return reverse("dashboard:index")
    if user.role == Role.AUDITOR:
        return reverse("workbench:history")
    if user.role == Role.FILER:
        return reverse("filing:home")
    return reverse("workbench:home")  # no role yet: the home view says so


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url_name: str
    allowed: Callable[[object], bool]


# In the order they are shown. A filer never gets an admin link.
LINKS = [
    Link("workbench", "工作台", "workbench:index", is_office),
    Link("filing", "我的项目", "filing:home", is_filer),
    Link("dashboard", "领导看板", "dashboard:index", can_read_dashboard),
    Link("board", "督查看板", "supervision:board", can_use_board),
    Link("supervision", "督办与整改", "supervision:orders", is_filer),
    Link("review", "待审核", "filing:review", is_office),
    Link("periods", "填报情况", "filing:home", is_office),
    Link("history", "修改历史", "workbench:history", can_read_history),
    Link("inbox", "消息", "notifications:inbox", signed_in),
    Link("admin", "管理后台", "admin:index", can_use_admin),
]


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    current: bool


def nav_items(user, path: str = "") -> list[NavItem]:
    """The links `user` may follow, the one whose address is the longest prefix of `path` marked current."""
    if not _active(user):
        return []
    links = [(link, reverse(link.url_name)) for link in LINKS if link.allowed(user)]
    matches = [url for _, url in links if path.startswith(url)]
    current = max(matches, key=len) if matches else None
    seen_current = False
    items = []
    for link, url in links:
        is_current = url == current and not seen_current
        seen_current = seen_current or is_current
        items.append(NavItem(link.key, link.label, url, is_current))
    return items
