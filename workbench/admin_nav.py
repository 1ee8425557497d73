"""The admin's sidebar and index in the order of the yearly workflow (征集与决策 → … → 系统与用户 →
安全与审计), not in the order of the apps; each item shown only to the roles that may open it (its admin's
permissions, org.access), so each of the three administrators sees only their own areas. Named in
settings.UNFOLD."""

from django.contrib import admin
from django.urls import reverse, reverse_lazy

from dashboard.api.views import can_read_dashboard

from . import navigation

# The pages outside the admin, first in the sidebar: (title, icon, URL name, predicate on the user).
PAGES = [
    ("民生办工作台", "space_dashboard", "workbench:index", navigation.is_office),
    ("领导看板", "monitoring", "dashboard:index", can_read_dashboard),
    ("督查看板", "assignment_late", "supervision:board", navigation.can_use_board),
    ("月报审核", "fact_check", "filing:review", navigation.is_office),
    ("最近修改", "history", "workbench:history", navigation.can_read_history),
]

# The yearly workflow: (group, [(model label, icon)]). A registered model missing here is shown in the last
# group, so nothing disappears from the admin when an app adds a model.
WORKFLOW = [
    (
        "征集与决策",
        [
            ("proposals.CollectionRound", "campaign"),
            ("proposals.Proposal", "lightbulb"),
            ("proposals.Candidate", "checklist"),
            ("voting.Vote", "how_to_vote"),
            ("voting.Ballot", "ballot"),
            ("proposals.DecisionStep", "gavel"),
        ],
    ),
    (
        "计划与项目",
        [
            ("projects.Plan", "event_note"),
            ("projects.Project", "volunteer_activism"),
            ("projects.Target", "target"),
            ("projects.Milestone", "flag"),
            ("projects.Adjustment", "tune"),
            ("proposals.CarryOver", "redo"),
            ("proposals.ProjectLineage", "account_tree"),
        ],
    ),
    (
        "资金",
        [
            ("funding.FundingSource", "account_balance"),
            ("funding.Entry", "receipt_long"),
            ("funding.PlanAdjustment", "edit_note"),
            ("funding.MatchingObligation", "handshake"),
        ],
    ),
    (
        "填报与审核",
        [
            ("projects.ProgressReport", "assignment"),
            ("filing.FilingWindow", "schedule"),
        ],
    ),
    (
        "督查督办",
        [
            ("supervision.Alert", "notifications_active"),
            ("supervision.SupervisionOrder", "assignment_late"),
            ("supervision.Problem", "report"),
            ("supervision.Rectification", "build"),
            ("supervision.Inspection", "search"),
            ("supervision.TaskItem", "task"),
            ("supervision.ResponsibilityItem", "badge"),
            ("supervision.UnitAccountability", "rule"),
        ],
    ),
    (
        "简报与公开",
        [
            ("bulletins.Bulletin", "article"),
            ("bulletins.BulletinSettings", "settings"),
            ("bulletins.TargetWording", "translate"),
            ("publicity.ProjectPublication", "public"),
            ("publicity.PhotoPublication", "photo_library"),
            ("publicity.Survey", "poll"),
            ("publicity.SurveyResponse", "rate_review"),
        ],
    ),
    ("台账", [("ledgers.LedgerImport", "table_view")]),
    (
        "系统与用户",
        [
            ("org.Region", "map"),
            ("org.Unit", "apartment"),
            ("org.User", "group"),
            ("notifications.Notification", "mail"),
            ("audit.SecurityEvent", "policy"),  # issue 15: the security audit log (its reader only)
            ("audit.AuditArchive", "inventory_2"),
        ],
    ),
    # The 安全管理员's and 审计管理员's areas (issue 15). Last, so models of apps not named here (the security
    # audit log's) land in it; a label not registered is skipped.
    (
        "安全与审计",
        [
            ("axes.AccessAttempt", "lock_person"),
            ("axes.AccessFailureLog", "gpp_bad"),
            ("axes.AccessLog", "login"),
            ("otp_totp.TOTPDevice", "phonelink_lock"),
            ("otp_static.StaticDevice", "password"),
        ],
    ),
]
PAGES_GROUP = "工作入口"


def _ordered_models():
    """[(group, [(model, model_admin, icon)])] for every registered model, in workflow order."""
    registry = {
        model._meta.label: (model, model_admin) for model, model_admin in admin.site._registry.items()
    }
    placed = set()
    groups = []
    for title, entries in WORKFLOW:
        rows = []
        for label, icon in entries:
            if label in registry:
                rows.append((*registry[label], icon))
                placed.add(label)
        groups.append((title, rows))
    leftovers = [(*registry[label], "list") for label in registry if label not in placed]
    groups[-1][1].extend(leftovers)
    return groups


def _may_open(model_admin):
    """unfold's per-item permission callable: the admin's own module and view permissions."""

    def allowed(request) -> bool:
        return model_admin.has_module_permission(request) and model_admin.has_view_or_change_permission(
            request
        )

    return allowed


def _may_visit(predicate):
    def allowed(request) -> bool:
        return predicate(request.user)

    return allowed


def sidebar_navigation(request) -> list[dict]:
    """UNFOLD["SIDEBAR"]["navigation"]: the pages, then the admin lists grouped by the yearly workflow."""
    pages = [
        {"title": title, "icon": icon, "link": reverse_lazy(name), "permission": _may_visit(predicate)}
        for title, icon, name, predicate in PAGES
    ]
    groups = [{"title": PAGES_GROUP, "separator": False, "items": pages}]
    for title, rows in _ordered_models():
        items = [
            {
                "title": str(model._meta.verbose_name_plural),
                "icon": icon,
                "link": reverse_lazy(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
                "permission": _may_open(model_admin),
            }
            for model, model_admin, icon in rows
        ]
        groups.append({"title": title, "separator": True, "collapsible": True, "items": items})
    return groups


def admin_index(request, context: dict) -> dict:
    """UNFOLD["DASHBOARD_CALLBACK"]: the index's app list regrouped in workflow order, after the pages."""
    by_label = {}
    for app in context.get("app_list", []):
        for entry in app["models"]:
            by_label[entry["model"]._meta.label] = entry
    pages = [
        {"name": title, "object_name": name, "admin_url": reverse(name), "view_only": True}
        for title, _icon, name, predicate in PAGES
        if predicate(request.user)
    ]
    app_list = []
    if pages:
        app_list.append(
            {"name": PAGES_GROUP, "app_label": "pages", "app_url": pages[0]["admin_url"], "models": pages}
        )
    for index, (title, rows) in enumerate(_ordered_models()):
        models = [
            by_label[model._meta.label] for model, _admin, _icon in rows if model._meta.label in by_label
        ]
        if models:
            app_list.append(
                {
                    "name": title,
                    "app_label": f"step{index + 1}",
                    "app_url": models[0]["admin_url"],
                    "models": models,
                }
            )
    context["app_list"] = app_list
    return context
