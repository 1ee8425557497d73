"""The 民生办's admin for what is disclosed (projects, photos) and for the satisfaction surveys and their
results. Staff write; leaders and auditors read (RoleScopedAdmin)."""

from collections.abc import Callable
from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from unfold.decorators import action, display

from minsheng.admin_confirm import ConfirmServiceMixin
from minsheng.bases import ModelAdminMixinBase
from minsheng.errors import DomainError
from minsheng.formatting import percent
from org.admin_base import HistoryAdmin, RoleScopedAdmin
from projects.admin_filters import ProjectRegionTreeFilter
from projects.choices import AttachmentKind
from projects.models import Plan, Project, ReportAttachment

from . import services
from .models import PhotoPublication, ProjectPublication, Survey, SurveyResponse


class PublishActionsMixin(ModelAdminMixinBase):
    """Publish / withdraw the selected rows through the service (staff only)."""

    publish_service: ClassVar[Callable[..., object]]  # set by each admin: services.set_*_published
    actions = ["publish_selected", "withdraw_selected"]

    def _set(self, request, queryset, published: bool):
        done = 0
        for obj in queryset:
            try:
                type(self).publish_service(obj, published, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        if done:
            self.message_user(request, f"已{'公开' if published else '撤回'} {done} 项。", messages.SUCCESS)

    @admin.action(description="公开所选", permissions=["change"])
    def publish_selected(self, request, queryset):
        self._set(request, queryset, True)

    @admin.action(description="撤回公开", permissions=["change"])
    def withdraw_selected(self, request, queryset):
        self._set(request, queryset, False)


class PrepareForm(forms.Form):
    plan = forms.ModelChoiceField(label="年度计划", queryset=Plan.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.restrict(user).select_related("region")


class PreparePhotosForm(forms.Form):
    project = forms.ModelChoiceField(label="项目", queryset=Project.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        with_photos = ReportAttachment.objects.filter(kind=AttachmentKind.PHOTO).values("report__project")
        self.fields["project"].queryset = (
            Project.objects.restrict(user).filter(pk__in=with_photos).select_related("plan")
        )


class PrepareActionMixin(ConfirmServiceMixin):
    """A list action with a one-field form that runs a `prepare_*` service and reports how many it made."""

    def has_prepare_permission(self, request, object_id=None):
        return self.has_add_permission(request)

    def _prepare(self, request, *, title, help_text, form_class, service, field, done):
        def run(data):
            return done.format(count=service(data[field], actor=request.user))

        return self.confirm_step(
            request,
            form=form_class(request.POST or None, user=request.user),
            run=run,
            cancel_url=reverse(f"admin:publicity_{self.model._meta.model_name}_changelist"),
            title=title,
            intro=help_text,
        )


@admin.register(ProjectPublication)
class ProjectPublicationAdmin(PrepareActionMixin, PublishActionsMixin, HistoryAdmin):
    publish_service = services.set_project_published
    actions_list = ["prepare_for_plan"]
    list_display = ["project", "plan_year", "is_published", "published_at", "updated_at"]
    list_filter = ["is_published", "project__plan__year", ProjectRegionTreeFilter]
    search_fields = ["project__code", "project__title"]
    list_select_related = ["project__plan"]
    autocomplete_fields = ["project"]
    # Published and withdrawn only through the list actions (services.set_project_published: a summary first).
    readonly_fields = ["is_published", "published_at"]
    fields = ["project", "is_published", "public_summary", "published_at"]

    @display(description="年度", ordering="project__plan__year")
    def plan_year(self, obj):
        return obj.project.plan.year

    @action(description="为年度计划的全部项目建立公开记录", url_path="prepare", permissions=["prepare"])
    def prepare_for_plan(self, request):
        return self._prepare(
            request,
            title="为年度计划的全部项目建立公开记录",
            help_text="为所选年度计划中尚无公开记录的项目各建立一条“未公开”的记录；填写公开简介后再用"
            "“公开所选”对外公开。已有记录的项目不受影响。",
            form_class=PrepareForm,
            service=services.prepare_publications,
            field="plan",
            done="已建立 {count} 条公开记录（未公开），请填写公开简介后公开。",
        )


@admin.register(PhotoPublication)
class PhotoPublicationAdmin(PrepareActionMixin, PublishActionsMixin, HistoryAdmin):
    publish_service = services.set_photo_published
    actions_list = ["prepare_for_project"]
    list_display = ["__str__", "project", "month", "file_name", "is_published", "public_caption", "sequence"]
    list_editable = ["public_caption", "sequence"]
    list_filter = ["is_published", "attachment__report__project__plan__year"]
    search_fields = ["public_caption", "attachment__caption", "attachment__report__project__title"]
    list_select_related = ["attachment__report__project"]
    raw_id_fields = ["attachment"]
    readonly_fields = ["is_published"]  # through the list actions (services.set_photo_published)
    fields = ["attachment", "is_published", "public_caption", "sequence"]

    @display(description="项目")
    def project(self, obj):
        return obj.attachment.report.project

    @display(description="月报")
    def month(self, obj):
        return obj.attachment.report.period_label

    @display(description="文件（内部说明）")
    def file_name(self, obj):
        return f"{obj.attachment.file.name.rsplit('/', 1)[-1]}（{obj.attachment.caption or '—'}）"

    @action(description="为项目的全部照片建立公开记录", url_path="prepare", permissions=["prepare"])
    def prepare_for_project(self, request):
        return self._prepare(
            request,
            title="为项目的全部照片建立公开记录",
            help_text="为所选项目月报中的每张照片建立一条“未公开”的记录；填写公开说明后再用“公开所选”对外公开。",
            form_class=PreparePhotosForm,
            service=services.prepare_photos,
            field="project",
            done="已建立 {count} 条照片记录（未公开），请填写公开说明后公开。",
        )


class ReadOnlyAdmin(RoleScopedAdmin):
    """Records the public creates: nobody adds or edits them here; staff may delete one (e.g. abuse)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(HistoryAdmin):
    list_display = [
        "project",
        "state_display",
        "opens_at",
        "closes_at",
        "answers_display",
        "awareness_display",
        "satisfaction_display",
        "support_display",
    ]
    list_filter = ["project__plan__year", ProjectRegionTreeFilter]
    search_fields = ["project__code", "project__title"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    fields = ["project", "intro", "opens_at", "closes_at"]
    readonly_fields = [
        "answers_display",
        "awareness_display",
        "satisfaction_display",
        "support_display",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_results()

    def get_fields(self, request, obj=None):
        return self.fields + (self.readonly_fields if obj else [])

    @display(description="状态")
    def state_display(self, obj):
        return obj.state().label

    @display(description="答卷数", ordering="answers")
    def answers_display(self, obj):
        return getattr(obj, "answers", 0)

    @display(description="知晓率", ordering="awareness_rate")
    def awareness_display(self, obj):
        return percent(getattr(obj, "awareness_rate", None))

    @display(description="满意率", ordering="satisfaction_rate")
    def satisfaction_display(self, obj):
        return percent(getattr(obj, "satisfaction_rate", None))

    @display(description="支持率", ordering="support_rate")
    def support_display(self, obj):
        return percent(getattr(obj, "support_rate", None))


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ["survey", "awareness", "satisfaction", "support", "comment", "created_at"]
    list_filter = ["awareness", "satisfaction", "support", "survey__project__plan__year"]
    search_fields = ["survey__project__title", "comment"]
    list_select_related = ["survey__project"]
    fields = ["survey", "awareness", "satisfaction", "support", "comment", "created_at"]
    readonly_fields = fields
