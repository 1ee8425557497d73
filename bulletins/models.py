"""Bulletins (简报): per-region settings, generated drafts staff edit, and issued bulletins frozen as PDF."""

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from minsheng.encrypted import EncryptedCharField
from minsheng.fields import MoneyField, RateField
from org.access import Reach, RestrictedQuerySet
from org.choices import RegionLevel
from projects.periods import cumulative_label

from .choices import BulletinStatus, SectionKind

# A numbered point of the problems section and its first sentence: "一是部分项目进度滞后。".
POINT = re.compile(r"^([一二三四五六七八九十]+是[^。]{1,40}。)")

DEFAULT_INTRO = (
    "今年以来，各级各部门认真落实民生工作部署要求，立足解决群众最关心、最直接、最现实的民生问题，"
    "增投入、抓项目，优服务、强督导，重点民生事项按时间节点有序推进。"
)
DEFAULT_PROBLEMS = (
    "在资金筹集方面，有些县区资金配套能力比较弱，在上级资金已经到位的情况下不能及时足额配套跟进；"
    "有些项目受制于拆迁、手续办理等因素，不能按期施工建设。"
)
DEFAULT_NEXT_STEPS = (
    "下一步工作，各级各部门要坚持问题导向和目标导向，强化推进措施，提升工作实效，确保每项重点民生事项"
    "干一件成一件，不折不扣兑现承诺。要紧扣节点加快进度，列出问题清单，逐一明确责任，倒排工期、挂图作战；"
    "要多方筹资提高效益，积极争取上级资金，广泛吸引社会资本；要强化督导严格考核，建立健全跟踪督办机制，"
    "推动重点民生事项顺利落实。"
)
FIGURES_NOTE = (
    "财政民生支出、增长率及占财政支出比重取自财政部门统计，系统无法由项目数据推算，"
    "也不以项目资金的支出代替，请按财政部门数据填写。"
)


def region_scope(region) -> str:
    """How a bulletin names its whole region: 全省, 全市, 全县 or 全区."""
    if region.level == RegionLevel.PROVINCE:
        return "全省"
    if region.level == RegionLevel.CITY:
        return "全市"
    return "全区" if region.name.endswith("区") else "全县"


class RegionPartQuerySet(RestrictedQuerySet):
    # Rows of the user's region and below (any role with a unit; filers read them too).
    reach = Reach(region="region__path", filers_read_region=True)


class BulletinSettings(models.Model):
    """A region's bulletin: its name, issuing office, recipients, sign-off and the numbering counters."""

    region = models.OneToOneField(
        "org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="bulletin_settings"
    )
    name = models.CharField(
        "简报名称", max_length=100, default="民生工作简报", help_text="如“临沂民生工作简报”。"
    )
    office = models.CharField("编发单位", max_length=100, help_text="如“临沂民生工作办公室”。")
    items_label = models.CharField(
        "事项总称",
        max_length=50,
        blank=True,
        help_text="总体情况中对年度项目的称呼，如“十件民生大事”；留空则取年度计划名称（去掉年份和区划名）。",
    )
    intro_text = models.TextField("开篇语（默认）", default=DEFAULT_INTRO)
    problems_text = models.TextField(
        "存在问题补充（默认）",
        blank=True,
        default=DEFAULT_PROBLEMS,
        help_text="接在系统列出的滞后项目和资金缺口之后。",
    )
    next_steps_text = models.TextField("下一步工作（默认）", default=DEFAULT_NEXT_STEPS)
    report_to = models.TextField("报", blank=True)
    distribute_to = models.TextField("发", blank=True)
    signer = models.CharField("签发", max_length=50, blank=True)
    reviewer = models.CharField("审核", max_length=50, blank=True)
    editor = models.CharField("编辑", max_length=50, blank=True)
    phone = EncryptedCharField("电话", max_length=30, blank=True)
    toc_min_sections = models.PositiveSmallIntegerField(
        "目录起始项目数", default=8, help_text="项目章节达到此数时在正文前加目录。"
    )
    auto_build = models.BooleanField("每月自动生成草稿", default=True)
    last_issue_year = models.PositiveSmallIntegerField(
        "最近期号所在年度",
        null=True,
        blank=True,
        help_text="印发时自动更新；从纸质简报接续时填写上一期的年度。",
    )
    last_issue_number = models.PositiveIntegerField(
        "最近期号（第N期）", default=0, help_text="印发时自动更新；新的一年从第1期开始。"
    )
    last_total_number = models.PositiveIntegerField(
        "最近总期号（总第M期）", default=0, help_text="印发时自动更新。"
    )

    objects = RegionPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "简报设置"
        verbose_name_plural = "简报设置"
        ordering = ["region__path"]

    def __str__(self):
        return f"{self.region} · {self.name}"


class TargetWordingQuerySet(RestrictedQuerySet):
    reach = Reach(via="target__project")


class TargetWording(models.Model):
    """How one target is worded in bulletins: the phrase before its rate and the decimals printed."""

    target = models.OneToOneField(
        "projects.Target", verbose_name="指标", on_delete=models.CASCADE, related_name="bulletin_wording"
    )
    phrase = models.CharField(
        "完成率前的措辞",
        max_length=30,
        blank=True,
        help_text="如“完成年度任务的”“占全年计划的”；留空按默认。",
    )
    places = models.PositiveSmallIntegerField(
        "百分比小数位",
        null=True,
        blank=True,
        validators=[MaxValueValidator(3)],
        help_text="留空为1位（末尾0省略）。",
    )
    done_text = models.CharField(
        "完成后的表述",
        max_length=50,
        blank=True,
        help_text="完成全年任务后以此代替百分比，如“提前完成全年目标任务”；留空则照常写百分比。",
    )

    objects = TargetWordingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标表述"
        verbose_name_plural = "指标表述"

    def __str__(self):
        return str(self.target)


class BulletinQuerySet(RestrictedQuerySet):
    # Staff see drafts and issued bulletins of their region and below; other roles only issued ones.
    reach = Reach(region="region__path", filers_read_region=True, drafts=~Q(status=BulletinStatus.ISSUED))

    def issued(self) -> "BulletinQuerySet":
        """Issued bulletins, newest first: their text and PDF never change."""
        return self.filter(status=BulletinStatus.ISSUED).order_by("-issued_on", "-total_number")

    def public(self) -> "BulletinQuerySet":
        """Issued bulletins staff have marked for the public portal."""
        return self.issued().filter(is_public=True)


def pdf_path(instance: "Bulletin", filename: str) -> str:
    return f"bulletins/{instance.region.code}/{instance.year}/{filename}"


class Bulletin(models.Model):
    """One bulletin of a region for the period 1-M of a year: a draft staff edit, then issued and frozen."""

    region = models.ForeignKey(
        "org.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="bulletins"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        "截至月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        "状态", max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    name = models.CharField("简报名称", max_length=100)
    office = models.CharField("编发单位", max_length=100)
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("印发日期", null=True, blank=True, help_text="留空则取印发当天。")
    issue_year = models.PositiveSmallIntegerField("期号年度", null=True, blank=True, editable=False)
    issue_number = models.PositiveIntegerField("期号（第N期）", null=True, blank=True, editable=False)
    total_number = models.PositiveIntegerField("总期号（总第M期）", null=True, blank=True, editable=False)

    # Period figures the project data cannot give (the fiscal office's), editable; see FIGURES_NOTE.
    livelihood_spending = MoneyField(
        "财政民生支出（元）", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    spending_growth = RateField(
        "民生支出同比增长", max_digits=8, null=True, blank=True, help_text="比例，如0.154表示增长15.4%。"
    )
    fiscal_share = RateField(
        "占财政支出比重",
        max_digits=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="比例，如0.8表示80%。",
    )
    figures_note = models.TextField("数据说明", blank=True, default=FIGURES_NOTE)
    # The project figures as generated (totals, one row per project): charts and tables are drawn from this
    # snapshot, so a draft shows what its text says even if reports change before it is issued.
    figures = models.JSONField("生成时的数据", default=dict, blank=True, editable=False)

    report_to = models.TextField("报", blank=True)
    distribute_to = models.TextField("发", blank=True)
    signer = models.CharField("签发", max_length=50, blank=True)
    reviewer = models.CharField("审核", max_length=50, blank=True)
    editor = models.CharField("编辑", max_length=50, blank=True)
    phone = EncryptedCharField("电话", max_length=30, blank=True)
    show_toc = models.BooleanField("加目录", default=False)

    is_public = models.BooleanField("在公开页面发布", default=False, help_text="仅已印发的简报可公开。")
    html = models.TextField("定稿HTML", blank=True, editable=False)
    text = models.TextField("定稿文本", blank=True, editable=False)
    pdf = models.FileField("PDF", upload_to=pdf_path, blank=True, max_length=300, editable=False)
    pdf_sha256 = models.CharField("PDF校验值", max_length=64, blank=True, editable=False)
    page_count = models.PositiveSmallIntegerField("页数", null=True, blank=True, editable=False)

    generated_at = models.DateTimeField("生成时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("印发时间", null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BulletinQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["html", "text", "figures"])

    class Meta:
        verbose_name = "工作简报"
        verbose_name_plural = "工作简报"
        ordering = ["-year", "-month", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "month"],
                condition=Q(status=BulletinStatus.DRAFT),
                name="bulletin_one_draft_per_period",
                violation_error_message="该区划该期间已有简报草稿。",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "month"],
                condition=Q(status=BulletinStatus.ISSUED),
                name="bulletin_one_issued_per_period",
                violation_error_message="该区划该期间的简报已印发。",
            ),
            models.UniqueConstraint(
                fields=["region", "issue_year", "issue_number"],
                name="bulletin_issue_number_unique",
                violation_error_message="该区划该年度已有相同期号的简报。",
            ),
            models.UniqueConstraint(
                fields=["region", "total_number"],
                name="bulletin_total_number_unique",
                violation_error_message="该区划已有相同总期号的简报。",
            ),
            models.CheckConstraint(
                condition=Q(status=BulletinStatus.DRAFT)
                | Q(issue_number__isnull=False, total_number__isnull=False, issued_on__isnull=False),
                name="bulletin_issued_is_numbered",
            ),
            models.CheckConstraint(
                condition=Q(status=BulletinStatus.ISSUED) | Q(is_public=False),
                name="bulletin_only_issued_is_public",
                violation_error_message="只有已印发的简报才能公开。",
            ),
        ]

    def __str__(self):
        if self.status == BulletinStatus.ISSUED:
            return f"{self.name} {self.issue_year}年第{self.issue_number}期（总第{self.total_number}期）"
        return f"{self.name} {self.year}年{self.period_label}（草稿）"

    @property
    def period_label(self) -> str:
        return cumulative_label(self.month, "月份")

    @property
    def is_issued(self) -> bool:
        return self.status == BulletinStatus.ISSUED

    def can_edit(self) -> bool:
        return self.status == BulletinStatus.DRAFT

    def can_issue(self) -> bool:
        return self.status == BulletinStatus.DRAFT

    def get_pdf_url(self) -> str:
        """The PDF through the API (login and visibility apply)."""
        return reverse("bulletin-pdf", args=[self.pk])

    def get_docx_url(self) -> str:
        """The Word document through the API (same login and visibility as the PDF)."""
        return reverse("bulletin-docx", args=[self.pk])

    def get_public_docx_url(self) -> str:
        """The Word document for the public portal, while the bulletin is issued and public."""
        return reverse("bulletin-public-docx", args=[self.pk])

    def get_public_pdf_url(self) -> str:
        """The frozen PDF for the public portal; served only while the bulletin is issued and public."""
        return reverse("bulletin-public-pdf", args=[self.pk])


class BulletinSectionQuerySet(RestrictedQuerySet):
    reach = Reach(via="bulletin")


class BulletinSection(models.Model):
    """A section of a bulletin: the opening, one per project, the problems, the next steps; editable text."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name="简报", on_delete=models.CASCADE, related_name="sections"
    )
    sequence = models.PositiveSmallIntegerField("序号", default=0)
    kind = models.CharField("类型", max_length=12, choices=SectionKind.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    heading = models.CharField("标题", max_length=250, blank=True)
    summary = models.TextField("数据表述", blank=True, help_text="由系统根据数据生成，可修改。")
    body = models.TextField("正文", blank=True, help_text="每行一段。")
    notes = models.TextField(
        "编辑提示",
        blank=True,
        editable=False,
        help_text="生成时发现的问题（如进展情况属于以前月份而未打印），不打印，供编辑核对。",
    )

    objects = BulletinSectionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "简报章节"
        verbose_name_plural = "简报章节"
        ordering = ["bulletin", "sequence", "pk"]

    def __str__(self):
        return self.heading or self.get_kind_display()

    @property
    def anchor(self) -> str:
        return f"s{self.sequence}"

    @property
    def paragraphs(self) -> list[str]:
        """The printed paragraphs, one per line; the heading, printed on its own, is not repeated at the
        start of the first ("下一步工作" then "下一步工作，各级各部门要…" reads "各级各部门要…")."""
        text = "\n".join(part for part in (self.summary, self.body) if part.strip())
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        heading = self.heading.strip().rstrip("。：:，,")
        if lines and heading and lines[0].startswith(heading):
            rest = lines[0].removeprefix(heading).lstrip("。：:，, ")
            lines = [rest, *lines[1:]] if rest else lines[1:]
        return lines

    @property
    def blocks(self) -> list[tuple[str, str]]:
        """(lead, text) per paragraph: a numbered point's first sentence is its lead, printed in bold as
        the seed prints "一是工作进展还不平衡。"; other paragraphs have no lead."""
        blocks = []
        for paragraph in self.paragraphs:
            match = POINT.match(paragraph)
            blocks.append((match.group(1), paragraph[match.end() :]) if match else ("", paragraph))
        return blocks

    @property
    def note_lines(self) -> list[str]:
        return [line for line in self.notes.splitlines() if line.strip()]
