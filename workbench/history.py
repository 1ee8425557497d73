"""最近修改: the recent changes recorded by django-simple-history across the models, limited to what the
user may see in the admin, each linked to its record's history page there (who, when, old and new values).

The records a user may see are the admin's own history scope (HistoryAdmin.history_scope: the models'
restrict(user), or every record for the 审计管理员, who reads all history), so the page shows nothing the
admin would hide. The parts of a monthly report (values, contributions,
attachments) have no admin of their own: their changes are listed under the report. Changes of records that
were deleted since are not listed (their scope can no longer be decided); the admin keeps them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.db.models import BigIntegerField, CharField, F, Model, Value
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from org.models import User

PAGE = 50
TYPES = {"+": "新增", "~": "修改", "-": "删除"}
# Tracked models without an admin, shown under the record that holds them: label → (holder, path to its id).
PARTS = {
    "projects.ProgressValue": ("projects.ProgressReport", "report_id"),
    "projects.ReportContribution": ("projects.ProgressReport", "report_id"),
    "projects.ReportAttachment": ("projects.ProgressReport", "report_id"),
    "projects.ContributionValue": ("projects.ProgressReport", "contribution__report_id"),
}

# What a holder's str() reads beyond its admin list's select_related (ProgressReport: "01 2016年1-5月").
TITLE_RELATED = {"projects.ProgressReport": ["project__plan"]}


@dataclass(frozen=True)
class Source:
    """A tracked model whose changes the page lists, and the admin record they are shown under."""

    model: type[Model]
    holder: type[Model]
    holder_admin: SimpleHistoryAdmin
    path: str  # on the historical row: the holder's id

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)


def _tracked(model: type[Model]) -> bool:
    return not model._meta.proxy and bool(getattr(model._meta, "simple_history_manager_attribute", None))


def sources(request) -> list[Source]:
    """The tracked models whose history `request.user` may read in the admin, in the admin's order."""
    found = []
    registry = admin.site._registry
    for model, model_admin in registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin) and _tracked(model):
            found.append(Source(model, model, model_admin, "id"))
    for label, (holder_label, path) in PARTS.items():
        model, holder = apps.get_model(label), apps.get_model(holder_label)
        if _tracked(model) and holder in registry:
            found.append(Source(model, holder, registry[holder], path))
    return [s for s in found if s.holder_admin.has_view_history_permission(request)]


def _scope(request, source: Source):
    """The holder records whose history the user may read: the admin's history scope of its model (what
    the user may see; every record for the 审计管理员)."""
    model_admin = source.holder_admin
    if hasattr(model_admin, "history_scope"):
        return model_admin.history_scope(request, source.holder._default_manager.all())
    if hasattr(model_admin, "scope"):
        return model_admin.scope(request, source.holder._default_manager.all())
    return model_admin.get_queryset(request)


def _rows(request, source: Source):
    manager = getattr(source.model._meta, "simple_history_manager_attribute", "history")
    history = getattr(source.model, manager)
    visible = _scope(request, source).order_by().values("pk")
    return (
        history.filter(**{f"{source.path}__in": visible})
        .order_by()
        .annotate(
            h_id=Cast("history_id", BigIntegerField()),
            h_date=F("history_date"),
            h_type=F("history_type"),
            h_user=Cast("history_user_id", BigIntegerField()),
            h_reason=Cast("history_change_reason", CharField()),
            h_source=Value(source.label, output_field=CharField()),
            h_object=Cast("id", BigIntegerField()),
            h_holder=Cast(source.path, BigIntegerField()),
        )
        .values_list("h_id", "h_date", "h_type", "h_user", "h_reason", "h_source", "h_object", "h_holder")
    )


@dataclass
class Change:
    when: object
    kind: str
    user: object
    reason: str
    model_name: str
    object_id: int
    title: str
    url: str


def _titles(request, source: Source, ids) -> dict:
    """str() of the holder records, loaded with the admin list's select_related (one query per model)."""
    queryset = source.holder._default_manager.filter(pk__in=ids)
    related = source.holder_admin.get_list_select_related(request)
    if related is True:
        queryset = queryset.select_related()
    elif related:
        queryset = queryset.select_related(*related)
    if extra := TITLE_RELATED.get(source.holder._meta.label):
        queryset = queryset.select_related(*extra)
    return {obj.pk: str(obj) for obj in queryset}


def _history_url(source: Source, object_id) -> str:
    meta = source.holder._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[object_id])
    except NoReverseMatch:
        return ""


def recent_changes(request, chosen: list[Source], page: int = 1) -> tuple[list[Change], bool]:
    """One page of changes, newest first, and whether an older page follows. One query for the rows,
    then one per model on the page for the records' names and one for the users."""
    if not chosen:
        return [], False
    querysets = [_rows(request, source) for source in chosen]
    union = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    offset = (page - 1) * PAGE
    rows = list(union.order_by("-h_date", "-h_id")[offset : offset + PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    by_label = {source.label: source for source in chosen}
    holders: dict[str, set] = {}
    for row in rows:
        holders.setdefault(row[5], set()).add(row[7])
    titles = {label: _titles(request, by_label[label], ids) for label, ids in holders.items()}
    users = User.objects.in_bulk({row[3] for row in rows if row[3]})
    changes = []
    for _, when, kind, user_id, reason, label, object_id, holder_id in rows:
        source = by_label[label]
        title = titles[label].get(holder_id, f"#{holder_id}")
        if source.holder is not source.model:
            title = f"{title}（{source.name}）"
        changes.append(
            Change(
                when=when,
                kind=TYPES.get(kind, kind),
                user=users.get(user_id),
                reason=reason or "",
                model_name=str(source.holder._meta.verbose_name),
                object_id=object_id,
                title=title,
                url=_history_url(source, holder_id),
            )
        )
    return changes, more
