"""Representations of bulletins for the API (comments rather than docstrings: see org/api/serializers.py)."""

from rest_framework import serializers

from org.api.serializers import LabelField, RegionRefSerializer

from ..choices import BulletinStatus, SectionKind
from ..models import Bulletin, BulletinSection


class SectionSerializer(serializers.ModelSerializer):
    kind_label = LabelField(SectionKind.choices, source="kind")

    class Meta:
        model = BulletinSection
        fields = ["sequence", "kind", "kind_label", "project", "heading", "summary", "body"]


class BulletinSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    status_label = LabelField(BulletinStatus.choices, source="status")
    pdf_url = serializers.SerializerMethodField(help_text="PDF下载地址（已印发为定稿文件，草稿为即时生成）。")
    docx_url = serializers.SerializerMethodField(help_text="Word（.docx）下载地址，内容与PDF相同。")

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "region",
            "year",
            "month",
            "status",
            "status_label",
            "name",
            "office",
            "title",
            "issued_on",
            "issue_number",
            "total_number",
            "page_count",
            "is_public",
            "pdf_url",
            "docx_url",
        ]

    def get_pdf_url(self, obj) -> str:
        return obj.get_pdf_url()

    def get_docx_url(self, obj) -> str:
        return obj.get_docx_url()


class BulletinDetailSerializer(BulletinSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(BulletinSerializer.Meta):
        fields = [
            *BulletinSerializer.Meta.fields,
            "livelihood_spending",
            "spending_growth",
            "fiscal_share",
            "figures_note",
            "report_to",
            "distribute_to",
            "signer",
            "reviewer",
            "editor",
            "phone",
            "text",
            "pdf_sha256",
            "sections",
        ]


class BuildRequestSerializer(serializers.Serializer):
    region = serializers.RegexField(r"^\d{6}$", help_text="6位行政区划代码。")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    regenerate = serializers.BooleanField(default=False, help_text="已有草稿时按最新数据重新生成。")


class BuildResponseSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    bulletin = serializers.IntegerField(allow_null=True, help_text="任务已完成时为草稿ID，否则为空。")
