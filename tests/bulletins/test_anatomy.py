"""The bulletin a leader signs without editing, pinned against seed 001 (the demo's 临沂市 2016 1-9月份):
headings on their own, problems numbered from the data, one rounding per figure, no older narrative, 未报
named, counts that keep their meaning, no overall figure pre-filled from the wrong field."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import transaction

from bulletins import generator, services
from bulletins.choices import BulletinStatus, SectionKind
from bulletins.models import Bulletin, TargetWording
from bulletins.render import render_html, render_text
from bulletins.wording import FigureBook
from projects.models import Target
from tests.fixtures.bulletins import needs_poppler, pdf_text

# Seed 001's sections and the two sections it adds after them, as generated for the demo.
SEED_HEADINGS = [
    "一、关于加强和改进就业创业服务工作。",
    "二、关于解决学校“大班额”问题和“全面改薄”工作。",
    "五、关于棚户区改造工作。",
    "八、关于生态宜居环境整治工作。",
    "十、关于食品药品安全工作。",
    "存在的问题和不足",
    "下一步工作",
]


class Blocks(HTMLParser):
    """The text of each <h2> and <p> of a bulletin's HTML, in order: [(tag, class, text)]."""

    def __init__(self):
        super().__init__()
        self.blocks: list[list[str]] = []
        self.open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "p"):
            self.open = [tag, dict(attrs).get("class") or "", ""]
            self.blocks.append(self.open)

    def handle_endtag(self, tag):
        if tag in ("h2", "p"):
            self.open = None

    def handle_data(self, data):
        if self.open is not None:
            self.open[2] += data


def blocks_of(html: str) -> list[list[str]]:
    parser = Blocks()
    parser.feed(html)
    return parser.blocks


def the_draft(region, month=9) -> Bulletin:
    return Bulletin.objects.get(region=region, year=2016, month=month, status=BulletinStatus.DRAFT)


@pytest.fixture
def rollback():
    """Whatever a test of the demo class writes is undone after it (the class shares one demo load)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("linyi_demo")
class TestSeedBulletin:
    def test_each_heading_is_its_own_element_and_is_not_repeated_in_its_text(self, linyi_demo):
        draft = the_draft(linyi_demo)
        blocks = blocks_of(render_html(draft, draft.sections.all()))
        headings = [text for tag, cls, text in blocks if tag == "h2" and cls == "heading"]
        assert [h for h in SEED_HEADINGS if h not in headings] == []
        paragraphs = [text for tag, _, text in blocks if tag == "p"]
        for heading in headings:
            bare = heading.rstrip("。")
            assert not [p for p in paragraphs if p.startswith(bare)], heading
        # The heading is followed by its own text: the next-steps paragraph begins with its first words.
        after = blocks[[b[2] for b in blocks].index("下一步工作") + 1]
        assert after[0] == "p"
        assert after[2].startswith("各级各部门要按照市委、市政府部署要求")
        text = render_text(draft, draft.sections.all())
        assert "下一步工作下一步工作" not in text
        assert "下一步工作\n下一步工作" not in text
        assert "存在的问题和不足\n同时也要看到" in text

    def test_problems_are_numbered_points_generated_from_the_data(self, linyi_demo):
        problems = the_draft(linyi_demo).sections.get(kind=SectionKind.PROBLEMS)
        lead, text = problems.blocks[1]
        assert lead == "一是部分项目进度滞后。"
        assert text.startswith("截至9月底，序时进度为75%，4个项目未达到序时进度：提高群众医疗服务质量")
        # Every project reported for September: no 未报 point, and the funding of the demo lags nowhere.
        assert [lead for lead, _ in problems.blocks if lead] == ["一是部分项目进度滞后。"]

    def test_one_rounding_per_figure_the_narratives_follow_the_generated_text(self, linyi_demo):
        """Seed 001 prints 28/15 as 186% and 43/178 as 24.15% (truncated) in the units' own text, where the
        generated sentence says 187% and 24.16%: the bulletin prints the generated rounding only."""
        draft = the_draft(linyi_demo)
        text = render_text(draft, draft.sections.all())
        assert "186%" not in text
        assert "24.15%" not in text
        assert "新开工建设农村新型社区28个、完成年度任务的187%" in text
        assert "分别完成年度任务的187%、90.7%、111%和125%" in text
        assert text.count("24.16%") == 2
        # Other percentages of the narratives are other figures and stay as the units wrote them.
        assert "创业培训9700多人，完成年度任务的88%" in text
        assert "高校毕业生总体就业率稳定在93%左右" in text
        environment = draft.sections.get(heading="八、关于生态宜居环境整治工作。")
        assert environment.notes == "正文中的“186%”与数据187%不一致，已统一为“187%”。"

    def test_every_percentage_of_a_figure_reads_the_same_in_text_chart_and_problems(self, linyi_demo):
        draft = the_draft(linyi_demo)
        html = render_html(draft, draft.sections.all())
        for row in draft.figures["projects"]:
            assert f"{row['completion_text']}</text>" in html  # the chart's label
        problems = draft.sections.get(kind=SectionKind.PROBLEMS).summary
        health = next(r for r in draft.figures["projects"] if r["title"] == "提高群众医疗服务质量")
        assert f"提高群众医疗服务质量（完成{health['completion_text']}，红灯）" in problems

    def test_a_later_month_prints_no_older_narrative_and_names_the_projects_as_unreported(
        self, linyi_demo, rollback
    ):
        """1-10月份 with the demo's reports ending in September: every unit's September text is held back."""
        october = services.generate_bulletin(linyi_demo, 2016, 10)
        text = render_text(october, october.sections.all())

        assert october.title == "1-10月份全市重点民生事项进展情况通报"
        assert not re.search(r"1-9月|截至9月底", text)
        assert "1-9月份，全市新增城镇就业9.3万人" not in text
        employment = october.sections.get(heading="一、关于加强和改进就业创业服务工作。")
        assert employment.body == ""
        assert employment.summary.startswith("10月份未报。截至9月份，完成投资8782.53万元")
        assert employment.notes.startswith("10月份未报，最近一次报送为9月份，其进展情况未打印：各级用于")
        problems = october.sections.get(kind=SectionKind.PROBLEMS)
        leads = [lead for lead, _ in problems.blocks if lead]
        assert leads == ["一是部分项目进度滞后。", "二是部分项目未按时报送进展。"]
        assert "10个项目10月份未报：加强和改进就业创业服务（临沂市人力资源和社会保障局，最近报送9月份）" in (
            problems.summary
        )
        assert "（10个项目10月份未报，按最近一次报送数计）" in text
        assert render_html(october, october.sections.all()).count(" 未报</text>") == 10

    def test_the_overall_figures_come_from_the_period_figures_and_the_projects(self, linyi_demo, rollback):
        """The demo's funding spent 5.5亿元 on the plan's projects by September: that is not 全市各级财政
        民生支出 (351.6亿元, the fiscal office's), and a new draft does not pre-fill it."""
        draft = the_draft(linyi_demo)
        assert draft.livelihood_spending == Decimal("35160000000")
        regenerated = services.generate_bulletin(linyi_demo, 2016, 9, regenerate=True)
        assert regenerated.livelihood_spending == Decimal("35160000000")  # staff's figure kept

        october = services.generate_bulletin(linyi_demo, 2016, 10)
        assert (october.livelihood_spending, october.spending_growth, october.fiscal_share) == (None,) * 3
        sentences = generator.overall_sentences(october)
        assert not any("财政民生支出" in s for s in sentences)
        assert sentences[0].startswith("1-10月份，十件民生大事完成投资187.4亿元")


@needs_poppler
@pytest.mark.django_db
def test_the_pdf_prints_each_heading_on_its_own_line(linyi_demo, tmp_path):
    draft = the_draft(linyi_demo)
    path = tmp_path / "draft.pdf"
    path.write_bytes(services.pdf_bytes(draft))

    text = pdf_text(path)
    lines = [line.strip() for line in text.splitlines()]
    for heading in SEED_HEADINGS:
        assert heading in lines, heading
    flat = re.sub(r"\s+", "", text)
    assert "下一步工作下一步工作" not in flat
    assert "下一步工作各级各部门要按照市委" in flat  # heading, then its text on the next line
    first = lines.index(
        "一、关于加强和改进就业创业服务工作。", lines.index("1-9月份全市重点民生事项进展情况通报")
    )
    assert lines[first + 1].startswith("1-9月份，完成投资8782.53万元")
    assert "186%" not in flat
    assert "24.15%" not in flat


# -- the small plan -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_problems_number_lagging_unreported_and_funding_gaps_in_turn(org, small_plan, make_project):
    pytest.importorskip("funding.summaries")
    from funding import services as funding

    silent = make_project("03", title="城乡供水", targets={"改造管网": 100}, lead_unit=org.edu)
    funding.plan_funding(small_plan[1], {"city": 2_000_000}, actor=org.staff)
    funding.record_arrival(
        small_plan[1],
        level="city",
        amount=400_000,
        date=datetime.date(2016, 3, 1),
        actor=org.staff,
        document_number="2号",
    )

    draft = services.generate_bulletin(org.city, 2016, 9, actor=org.staff)

    problems = draft.sections.get(kind=SectionKind.PROBLEMS)
    assert [lead for lead, _ in problems.blocks if lead] == [
        "一是部分项目进度滞后。",
        "二是部分项目未按时报送进展。",
        "三是资金到位滞后。",
    ]
    assert "1个项目9月份未报：城乡供水（临沂市教育局，尚未报送）" in problems.summary
    section = draft.sections.get(project=silent)
    assert section.summary == "9月份未报，尚无报送的进展数据。"


@pytest.mark.django_db
def test_a_current_report_speaking_of_an_older_period_is_held_back(org, small_plan, file_report):
    ahead, behind = small_plan
    file_report(
        ahead, 10, {"新增城镇就业": 950}, investment=Decimal("850000"), narrative="1-9月份，新增就业900人。"
    )
    file_report(
        behind, 10, {"新建农村公路": 60}, investment=Decimal("600000"), narrative="10月新修公路20公里。"
    )

    draft = services.generate_bulletin(org.city, 2016, 10, actor=org.staff)

    held = draft.sections.get(project=ahead)
    assert held.body == ""
    assert held.notes == "10月份报告的进展情况写的是9月的情况，未打印，请核对：1-9月份，新增就业900人。"
    assert held.summary.startswith("1-10月份，完成投资85万元")
    assert draft.sections.get(project=behind).body == "10月新修公路20公里。"
    assert "1-9月份" not in render_text(draft, draft.sections.all())


@pytest.mark.django_db
def test_a_figure_keeps_its_first_rounding_wherever_it_is_printed(org, make_project, file_report):
    third = make_project("01", title="农村改厕", targets={"改厕": 3}, planned_investment=0)
    file_report(third, 9, {"改厕": 1})
    TargetWording.objects.create(target=Target.objects.get(name="改厕"), places=2)

    draft = services.generate_bulletin(org.city, 2016, 9, actor=org.staff)

    summary = draft.sections.get(project=third).summary
    assert "完成年度任务的33.33%" in summary
    problems = draft.sections.get(kind=SectionKind.PROBLEMS).summary
    assert "农村改厕（完成33.33%，红灯）" in problems
    assert draft.figures["projects"][0]["completion_text"] == "33.33%"
    assert "33.3%" not in render_text(draft, draft.sections.all()).replace("33.33%", "")


@pytest.mark.django_db
def test_counts_in_wan_keep_their_meaning(org, make_project, file_report):
    jobs = make_project("01", title="就业创业服务", targets={"新增城镇就业": 12000})
    file_report(jobs, 9, {"新增城镇就业": 10200})

    draft = services.generate_bulletin(org.city, 2016, 9, actor=org.staff)

    summary = draft.sections.get(project=jobs).summary
    assert "新增城镇就业1.02万人、完成年度任务的85%" in summary


def test_figure_book_reuses_the_first_text_of_a_value():
    book = FigureBook()
    assert book.rate(Decimal("0.24157303"), 2) == "24.16%"
    assert book.rate(Decimal("0.241573030000001")) == "24.16%"
    assert book.rate(Decimal("0.5")) == "50%"
    assert book.rate(None) == "—"
