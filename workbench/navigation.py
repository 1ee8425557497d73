"""Where each role belongs: its home after signing in and the links of the navigation every page shares
(templates/_nav.html). Decided here, on the server, from the role; the admin's sidebar (admin_nav.py) asks
the same predicates."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from org import access

is_office = access.may_use_workbench  # 民生办 staff and administrators: the workbench, the review of reports
is_filer = access.is_filer
can_use_admin = access.may_use_admin
can_use_board = access.may_use_board  # the supervision board: the office, leaders and auditors
can_read_dashboard = access.may_read_dashboard
# Staff and auditors of a unit, the 审计管理员 (every record), the 系统管理员 and 安全管理员 (the
# organisation's records)
can_read_history = access.may_read_some_history
signed_in = access.is_signed_in

HOMES = {
    "office": "workbench:index",
    "leader": "dashboard:index",
    "auditor": "workbench:history",
    "filer": "filing:home",
    "anonymous": "login",
    "none": "workbench:home",  # no role yet: the home view says so
    "administrator": "admin:index",  # the three administrators: the admin's index shows their areas
}


def home_url(user) -> str:
    """The first page of a signed-in user: staff (and a break-glass superuser) the workbench, leaders the
    dashboard, auditors the change history, filers their filing page, the three administrators the admin."""
    return reverse(HOMES[access.home_role(user)])


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
    if not signed_in(user):
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
