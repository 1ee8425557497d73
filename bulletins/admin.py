"""The 民生办's admin for bulletins: settings per region, target wording, drafts to edit, issue, publish."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from unfold.admin import StackedInline
from unfold.decorators import action, display

from minsheng.admin_confirm import ConfirmServiceMixin
from minsheng.csp import standalone_document
from minsheng.errors import DomainError
from minsheng.queue import enqueue
from org import access
from org.admin_base import HistoryAdmin, ScopedInlineMixin
from org.models import Region
from projects.periods import Period, cumulative_label

from . import services
from .choices import BulletinStatus
from .downloads import docx_response, pdf_response
from .models import Bulletin, BulletinSection, BulletinSettings, TargetWording
from .tasks import build_bulletin_task

STATUS_LABELS = {BulletinStatus.DRAFT.label: "warning", BulletinStatus.ISSUED.label: "success"}


@admin.register(BulletinSettings)
class BulletinSettingsAdmin(HistoryAdmin):
    list_display = [
        "region",
        "name",
        "office",
        "signer",
        "last_issue_year",
        "last_issue_number",
        "last_total_number",
    ]
    list_select_related = ["region"]
    fieldsets = [
        (None, {"fields": ["region", "name", "office", "items_label", "auto_build", "toc_min_sections"]}),
        ("报送与签发", {"fields": ["report_to", "distribute_to", "signer", "reviewer", "editor", "phone"]}),
        ("默认文字", {"fields": ["intro_text", "problems_text", "next_steps_text"]}),
        ("期号", {"fields": ["last_issue_year", "last_issue_number", "last_total_number"]}),
    ]


@admin.register(TargetWording)
class TargetWordingAdmin(HistoryAdmin):
    list_display = ["target", "phrase", "places", "done_text"]
    list_select_related = ["target__project"]
    search_fields = ["target__name", "target__project__title"]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["target"]


class SectionInline(ScopedInlineMixin, StackedInline):
    model = BulletinSection
    extra = 0
    fields = ["sequence", "heading", "summary", "body", "notes"]
    readonly_fields = ["notes"]
    ordering_field = "sequence"
    hide_ordering_field = True

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.can_edit())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.can_edit())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.can_edit())


class BuildForm(forms.Form):
    region = forms.ModelChoiceField(label="区划", queryset=Region.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="截至月份", min_value=1, max_value=12)
    regenerate = forms.BooleanField(label="已有草稿时按最新数据重新生成", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.restrict(user)


class IssueForm(forms.Form):
    # An <input type=date> only shows a value in ISO format, whatever the locale's date format.
    issued_on = forms.DateField(
        label="印发日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


@admin.register(Bulletin)
class BulletinAdmin(ConfirmServiceMixin, HistoryAdmin):
    list_display = [
        "__str__",
        "region",
        "period",
        "status_display",
        "issued_on",
        "page_count",
        "is_public",
        "pdf_link",
    ]
    list_filter = ["status", "year", "is_public"]
    list_select_related = ["region"]
    search_fields = ["title", "text"]
    inlines = [SectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    actions_list = ["build_list"]
    actions_detail = ["preview_detail", "pdf_detail", "docx_detail", "regenerate_detail", "issue_detail"]
    fieldsets = [
        ("编辑提示", {"fields": ["review_notes"]}),
        (
            None,
            {
                "fields": [
                    "region",
                    "year",
                    "month",
                    "status",
                    "name",
                    "office",
                    "title",
                    "issued_on",
                    "show_toc",
                ]
            },
        ),
        (
            "期间数据（财政部门提供）",
            {"fields": ["livelihood_spending", "spending_growth", "fiscal_share", "figures_note"]},
        ),
        ("报送与签发", {"fields": ["report_to", "distribute_to", "signer", "reviewer", "editor", "phone"]}),
        (
            "印发",
            {
                "fields": [
                    "issue_number",
                    "total_number",
                    "issued_at",
                    "issued_by",
                    "pdf",
                    "pdf_sha256",
                    "page_count",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fixed = [
            "region",
            "year",
            "month",
            "status",
            "issue_number",
            "total_number",
            "issued_at",
            "issued_by",
        ]
        fixed += ["pdf", "pdf_sha256", "page_count", "review_notes"]
        return fixed

    @display(description="生成时发现的问题")
    def review_notes(self, obj):
        """What the generator held back or changed, per section, for the editor to check before issuing."""
        if not obj or not obj.pk:
            return "—"
        rows = [(s.heading, line) for s in obj.sections.all() for line in s.note_lines]
        if not rows:
            return "无"
        return format_html(
            '<ul style="list-style: disc; padding-left: 1.25rem">{}</ul>',
            format_html_join("", '<li style="margin-bottom: .5rem"><strong>{}</strong>{}</li>', rows),
        )

    def has_add_permission(self, request):
        return False  # bulletins are generated ("生成简报"), never typed in from scratch

    def has_change_permission(self, request, obj=None):
        # An issued bulletin is the archive: nothing in it changes (publishing is an action).
        return super().has_change_permission(request, obj) and (obj is None or obj.can_edit())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.can_edit())

    @display(description="期间", ordering="month")
    def period(self, obj):
        return f"{obj.year}年{obj.period_label}"

    @display(description="状态", ordering="status", label=STATUS_LABELS)
    def status_display(self, obj):
        return obj.get_status_display()

    @display(description="下载")
    def pdf_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">Word</a>',
            reverse("admin:bulletins_bulletin_pdf_detail", args=[obj.pk]),
            reverse("admin:bulletins_bulletin_docx_detail", args=[obj.pk]),
        )

    def _done(self, request, text, level=messages.SUCCESS):
        self.message_user(request, text, level)

    def _require_staff(self, request):
        if not access.may_edit(request.user):
            raise DomainError("只有民生办工作人员可以执行此操作。")

    # -- list actions -------------------------------------------------------------------------------------

    def _set_public(self, request, queryset, public):
        for bulletin in queryset:
            try:
                services.set_bulletin_public(bulletin, public, actor=request.user)
            except DomainError as exc:
                self._done(request, f"{bulletin}：{exc.message}", messages.ERROR)
            else:
                self._done(request, f"{bulletin}：{'已公开' if public else '已取消公开'}")

    @admin.action(description="在公开页面发布所选简报")
    def publish_selected(self, request, queryset):
        self._set_public(request, queryset, True)

    @admin.action(description="取消公开所选简报")
    def unpublish_selected(self, request, queryset):
        self._set_public(request, queryset, False)

    def _details(self, bulletin):
        return [("简报", bulletin), ("标题", bulletin.title), ("当前状态", bulletin.get_status_display())]

    @action(description="生成简报", url_path="build", permissions=["build"])
    def build_list(self, request):
        filed = Period.filed_on(timezone.localdate())
        initial = {"year": filed.year, "month": filed.month}
        if request.user.unit_id:
            initial["region"] = request.user.unit.region_id
        form = BuildForm(request.POST or None, initial=initial, user=request.user)

        def run(data):
            # Redis down: a Chinese refusal on the form within a second (minsheng/queue.py), not a hang.
            enqueue(
                build_bulletin_task,
                data["region"].pk,
                data["year"],
                data["month"],
                request.user.pk,
                data["regenerate"],
            )
            label = cumulative_label(data["month"], "月份")
            return f"已开始生成{data['region']}{data['year']}年{label}简报，稍后刷新列表。"

        return self.confirm_step(
            request,
            form=form,
            run=run,
            cancel_url=reverse("admin:bulletins_bulletin_changelist"),
            title="生成简报",
        )

    def has_build_permission(self, request, object_id=None):
        return super().has_add_permission(request)

    def has_edit_draft_permission(self, request, object_id=None):
        # unfold passes detail actions the object's id, not the object.
        if not super().has_change_permission(request):
            return False
        # A missing, malformed or out-of-scope id is "not found" (404), not "forbidden" and never a 500.
        return object_id is None or self.visible_object(request, object_id).status == BulletinStatus.DRAFT

    # -- detail actions -----------------------------------------------------------------------------------

    def _get(self, request, object_id) -> Bulletin:
        return self.visible_object(request, object_id)

    @action(description="预览", url_path="preview", permissions=["view"])
    def preview_detail(self, request, object_id):
        # issue 15 (web): the bulletin's HTML carries the print stylesheet inline (WeasyPrint), so the preview
        # gets its own narrow CSP: inline styles, no script at all (minsheng/csp.py).
        return standalone_document(HttpResponse(services.preview_html(self._get(request, object_id))))

    @action(description="下载PDF", url_path="pdf", permissions=["view"])
    def pdf_detail(self, request, object_id):
        return pdf_response(self._get(request, object_id), request)

    @action(description="下载Word", url_path="docx", permissions=["view"])
    def docx_detail(self, request, object_id):
        return docx_response(self._get(request, object_id), request)

    @action(description="按最新数据重新生成", url_path="regenerate", permissions=["edit_draft"])
    def regenerate_detail(self, request, object_id):
        bulletin = self._get(request, object_id)

        def run(_):
            services.generate_bulletin(
                bulletin.region, bulletin.year, bulletin.month, actor=request.user, regenerate=True
            )
            return "已按最新数据重新生成，原有文字修改已被覆盖。"

        return self.confirm_step(
            request,
            form=forms.Form(request.POST if request.method == "POST" else None),
            run=run,
            cancel_url=reverse("admin:bulletins_bulletin_change", args=[object_id]),
            title=f"重新生成：{bulletin}（将覆盖已修改的文字）",
            details=self._details(bulletin),
        )

    @action(description="印发", url_path="issue", permissions=["edit_draft"])
    def issue_detail(self, request, object_id):
        bulletin = self._get(request, object_id)

        def run(data):
            issued = services.issue_bulletin(bulletin, actor=request.user, issued_on=data["issued_on"])
            return f"已印发：{issued}，共{issued.page_count}页。"

        return self.confirm_step(
            request,
            form=IssueForm(
                request.POST or None, initial={"issued_on": bulletin.issued_on or timezone.localdate()}
            ),
            run=run,
            cancel_url=reverse("admin:bulletins_bulletin_change", args=[object_id]),
            title=f"印发：{bulletin}（印发后不能再修改）",
            details=self._details(bulletin),
        )
