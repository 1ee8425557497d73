"""The public API's representations: every field listed by hand, so that nothing internal (report texts,
problems, notes, contact persons, filers, supervision) can appear by adding a model field.
"""

from rest_framework import serializers
from rest_framework.reverse import reverse

from minsheng.api import FigureSerializerField, MoneySerializerField
from projects.api.serializers import RateField
from projects.choices import Category, ProjectStatus

from ..disclosure import queries


class PublicTargetSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    measure = serializers.CharField(read_only=True)
    annual_target = FigureSerializerField(read_only=True)
    value = FigureSerializerField(read_only=True, allow_null=True)
    completion = RateField()
    text = serializers.SerializerMethodField(help_text="通俗说明。")

    def get_text(self, target) -> str:
        return queries.target_sentence(target)


class PublicMilestoneSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    planned_date = serializers.DateField(read_only=True)
    actual_date = serializers.DateField(read_only=True, allow_null=True)


class PublicPhotoSerializer(serializers.Serializer):
    caption = serializers.CharField(read_only=True)
    month = serializers.IntegerField(source="attachment.report.month", read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, photo) -> str:
        return reverse("publicity:disclosure-photo", args=[photo.pk], request=self.context.get("request"))


class PublicProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    plan = serializers.CharField(source="plan.name", read_only=True)
    region_code = serializers.CharField(source="plan.region.code", read_only=True)
    region_name = serializers.CharField(source="plan.region.name", read_only=True)
    title = serializers.CharField(read_only=True)
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    lead_unit = serializers.CharField(source="lead_unit.name", read_only=True)
    summary = serializers.CharField(source="publication.public_summary", read_only=True)
    deadline = serializers.DateField(read_only=True, allow_null=True)
    as_of_month = serializers.IntegerField(read_only=True)
    completion = RateField(help_text="完成全年任务的比例（1表示100%）。")
    expected = RateField(help_text="按时间应完成的比例（序时进度）。")
    progress_text = serializers.SerializerMethodField(help_text="进展的通俗说明。")
    planned_investment = MoneySerializerField(read_only=True, allow_null=True)
    investment_completed = MoneySerializerField(source="latest_investment", read_only=True, allow_null=True)
    investment_month = serializers.IntegerField(source="latest_month", read_only=True, allow_null=True)
    funds_planned = MoneySerializerField(
        read_only=True,
        allow_null=True,
        help_text="分级资金计划合计（元）；未登记分级资金时为 null。",
    )
    funds_spent = MoneySerializerField(
        read_only=True, allow_null=True, help_text="分级资金已支出合计（元）。"
    )
    survey_open = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_progress_text(self, project) -> str:
        return queries.plain_progress(project).text

    def get_survey_open(self, project) -> bool:
        survey = getattr(project, "survey", None)
        return survey is not None and survey.is_open()

    def get_url(self, project) -> str:
        return reverse("publicity:disclosure-project", args=[project.pk], request=self.context.get("request"))


class PublicProjectDetailSerializer(PublicProjectSerializer):
    targets = PublicTargetSerializer(source="public_targets", many=True, read_only=True)
    milestones = PublicMilestoneSerializer(source="public_milestones", many=True, read_only=True)
    photos = PublicPhotoSerializer(source="public_photo_list", many=True, read_only=True)


class PublicBulletinSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    year = serializers.IntegerField(read_only=True)
    month = serializers.IntegerField(read_only=True, help_text="统计截至月份。")
    name = serializers.CharField(read_only=True)
    office = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    issue_year = serializers.IntegerField(read_only=True)
    issue_number = serializers.IntegerField(read_only=True, help_text="第N期。")
    total_number = serializers.IntegerField(read_only=True, help_text="总第M期。")
    issued_on = serializers.DateField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField(help_text="Word（.docx）下载地址，内容与PDF相同。")

    def get_pdf_url(self, bulletin) -> str | None:
        if not bulletin.pdf:
            return None
        return reverse("bulletin-public-pdf", args=[bulletin.pk], request=self.context.get("request"))

    def get_docx_url(self, bulletin) -> str | None:
        if not bulletin.pdf:  # issued and frozen: the Word file is rendered from the same frozen text
            return None
        return reverse("bulletin-public-docx", args=[bulletin.pk], request=self.context.get("request"))
