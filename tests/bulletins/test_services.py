"""Bulletin workflow: generate, edit, issue (numbering, freezing), publish; permissions; constant queries."""

import datetime
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.models import ProtectedError

from bulletins import generator, services
from bulletins.choices import BulletinStatus, SectionKind
from bulletins.models import Bulletin, BulletinSettings
from minsheng.errors import InvalidTransition, PermissionDenied
from projects.models import ProgressValue, Target
from tests.fixtures.bulletins import needs_poppler, pdf_text

pytestmark = pytest.mark.django_db

OCT = datetime.date(2016, 10, 14)


def issue(org, month, on, region=None):
    """Generate and issue the bulletin of `month` for `region` (default the city) on `on`."""
    region = region or org.city
    draft = services.generate_bulletin(region, 2016, month, actor=org.staff)
    return services.issue_bulletin(draft, actor=org.staff, issued_on=on)


def test_draft_has_one_section_per_project_with_generated_sentences(draft):
    sections = list(draft.sections.order_by("sequence"))
    assert [s.kind for s in sections] == [
        SectionKind.INTRO,
        SectionKind.PROJECT,
        SectionKind.PROJECT,
        SectionKind.PROBLEMS,
        SectionKind.NEXT_STEPS,
    ]
    assert sections[1].heading == "一、关于就业创业服务工作。"
    assert (
        sections[1].summary
        == "1-9月份，完成投资80万元、占年度计划的80%；新增城镇就业900人、完成年度任务的90%。"
    )
    assert (
        sections[2].summary
        == "1-9月份，完成投资50万元、占年度计划的25%；新建农村公路40人、完成年度任务的20%。"
    )
    assert "序时进度为75%，1个项目未达到序时进度：农村公路建设（完成20%，红灯）" in sections[3].summary
    assert draft.title == "1-9月份全市重点民生事项进展情况通报"
    assert draft.figures["investment_rate"].startswith("0.4333")


def test_generating_twice_returns_the_edited_draft_untouched(org, draft):
    section = draft.sections.get(kind=SectionKind.NEXT_STEPS)
    section.body = "下一步：改过的文字。"
    section.save()

    again = services.generate_bulletin(org.city, 2016, 9, actor=org.staff)

    assert again.pk == draft.pk
    assert again.sections.get(kind=SectionKind.NEXT_STEPS).body == "下一步：改过的文字。"


def test_regenerating_rewrites_the_text_from_new_data_but_keeps_entered_period_figures(
    org, draft, small_plan
):
    draft.livelihood_spending = Decimal("35160000000")
    draft.save()
    value = ProgressValue.objects.get(target__name="新建农村公路")
    value.value = 180
    value.save()

    again = services.generate_bulletin(org.city, 2016, 9, actor=org.staff, regenerate=True)

    assert again.pk == draft.pk
    assert "新建农村公路180人、完成年度任务的90%" in again.sections.get(project=small_plan[1]).summary
    assert again.livelihood_spending == Decimal("35160000000")
    assert again.sections.count() == 5


def test_overall_sentence_uses_the_period_figures_staff_enter(draft):
    draft.livelihood_spending = Decimal("35160000000")
    draft.spending_growth = Decimal("0.154")
    draft.fiscal_share = Decimal("0.8")

    sentences = generator.overall_sentences(draft)

    assert sentences[0] == "1-9月份，全市各级财政民生支出351.6亿元、增长15.4%，占全市财政支出的80%。"
    assert sentences[1] == "民生实事完成投资130万元，占年度计划的43.3%。"


def test_numbers_run_per_year_and_in_total_per_region(org, small_plan, bulletin_media):
    settings = BulletinSettings.objects.get(region=org.city)
    settings.last_issue_year, settings.last_issue_number, settings.last_total_number = 2016, 15, 56
    settings.save()

    first = issue(org, 9, OCT)
    second = issue(org, 10, datetime.date(2016, 11, 10))
    next_year = issue(org, 11, datetime.date(2017, 1, 5))

    assert [(b.issue_year, b.issue_number, b.total_number) for b in (first, second, next_year)] == [
        (2016, 16, 57),
        (2016, 17, 58),
        (2017, 1, 59),
    ]


def test_each_region_numbers_its_own_bulletins(org, small_plan, make_project, bulletin_media):
    make_project("L1", region=org.lanshan, lead_unit=org.lanshan_gov, targets={"改造": 10})
    city = issue(org, 9, OCT)
    county = issue(org, 9, OCT, region=org.lanshan)

    assert (city.issue_number, city.total_number) == (1, 1)
    assert (county.issue_number, county.total_number) == (1, 1)
    assert county.name == "兰山区民生工作简报"
    assert county.title == "1-9月份全区重点民生事项进展情况通报"


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers(org, small_plan, bulletin_media):
    drafts = [services.generate_bulletin(org.city, 2016, m, actor=org.staff) for m in (8, 9, 10)]
    results, errors = [], []
    barrier = threading.Barrier(len(drafts))

    def work(bulletin):
        try:
            barrier.wait()
            results.append(services.issue_bulletin(bulletin, actor=org.staff, issued_on=OCT))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(b.issue_number for b in results) == [1, 2, 3]
    assert sorted(b.total_number for b in results) == [1, 2, 3]
    assert BulletinSettings.objects.get(region=org.city).last_total_number == 3


@needs_poppler
def test_issued_bulletin_is_frozen_when_data_changes_later(org, draft, small_plan, bulletin_media):
    issued = services.issue_bulletin(draft, actor=org.staff, issued_on=OCT)
    pdf_before = Path(issued.pdf.path).read_bytes()
    text_before, html_before = issued.text, issued.html
    assert "新建农村公路40人、完成年度任务的20%" in text_before
    assert "新建农村公路40人" in pdf_text(issued.pdf.path).replace("\n", "")

    value = ProgressValue.objects.get(target__name="新建农村公路")
    value.value = 190
    value.save()
    Target.objects.filter(name="新建农村公路").update(name="改名后的指标")
    settings = BulletinSettings.objects.get(region=org.city)
    settings.signer = "另一位签发人"
    settings.save()

    issued.refresh_from_db()
    assert (issued.text, issued.html) == (text_before, html_before)
    assert Path(issued.pdf.path).read_bytes() == pdf_before
    assert services.pdf_bytes(issued) == pdf_before
    assert services.preview_html(issued) == html_before


def test_issued_bulletin_cannot_be_issued_again_or_regenerated(org, draft, bulletin_media):
    issued = services.issue_bulletin(draft, actor=org.staff, issued_on=OCT)

    with pytest.raises(InvalidTransition):
        services.issue_bulletin(issued, actor=org.staff)
    with pytest.raises(InvalidTransition):
        services.generate_bulletin(org.city, 2016, 9, actor=org.staff, regenerate=True)
    assert Bulletin.objects.filter(region=org.city).count() == 1


def test_issue_records_pdf_checksum_pages_and_who(org, draft, bulletin_media):
    issued = services.issue_bulletin(draft, actor=org.staff, issued_on=OCT)

    assert issued.status == BulletinStatus.ISSUED
    assert issued.issued_by == org.staff
    assert issued.page_count >= 1
    assert len(issued.pdf_sha256) == 64
    assert issued.pdf.name.startswith("bulletins/371300/2016/371300-2016-01-")
    assert "临沂民生工作简报" in issued.html
    assert "第 1 期" in issued.html


@pytest.mark.parametrize("who", ["leader", "auditor", "filer", "jinan_staff"])
def test_only_staff_of_the_region_or_above_generate_and_issue(org, small_plan, draft, who):
    user = getattr(org, who)
    with pytest.raises(PermissionDenied):
        services.generate_bulletin(org.city, 2016, 10, actor=user)
    with pytest.raises(PermissionDenied):
        services.issue_bulletin(draft, actor=user)
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT


def test_county_staff_cannot_issue_the_citys_bulletin(org, draft):
    with pytest.raises(PermissionDenied):
        services.issue_bulletin(draft, actor=org.county_staff)


def test_only_issued_bulletins_can_be_public(org, draft, bulletin_media):
    with pytest.raises(InvalidTransition):
        services.set_bulletin_public(draft, True, actor=org.staff)

    issued = services.issue_bulletin(draft, actor=org.staff, issued_on=OCT)
    services.set_bulletin_public(issued, True, actor=org.staff)

    assert list(Bulletin.objects.public()) == [issued]
    assert list(Bulletin.objects.issued()) == [issued]


def test_month_out_of_range_is_refused(org, small_plan):
    with pytest.raises(Exception, match="月份应在1到12之间"):
        services.generate_bulletin(org.city, 2016, 13, actor=org.staff)
    assert not Bulletin.objects.exists()


def test_region_with_bulletins_cannot_be_deleted(org, draft):
    with pytest.raises(ProtectedError):
        org.city.delete()


def test_generator_queries_do_not_grow_with_projects(org, small_plan, make_project, file_report):
    def count_queries():
        settings = BulletinSettings.objects.get(region=org.city)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            generator.generate(org.city, 2016, 9, settings)
        return len(ctx.captured_queries)

    few = count_queries()
    for i in range(3, 13):
        project = make_project(f"{i:02d}", targets={"甲": 100, "乙": 50})
        file_report(project, 9, {"甲": 30, "乙": 50}, investment=Decimal("1000"))

    assert count_queries() == few <= 12  # funding summaries add a fixed handful


def test_spending_and_funding_gaps_come_from_funding(org, small_plan):
    pytest.importorskip("funding.summaries")
    from funding import services as funding

    ahead, behind = small_plan
    day = datetime.date(2016, 3, 1)
    funding.plan_funding(ahead, {"city": 1_000_000}, actor=org.staff)
    funding.plan_funding(behind, {"city": 2_000_000}, actor=org.staff)
    funding.record_arrival(
        ahead, level="city", amount=900_000, date=day, actor=org.staff, document_number="1号"
    )
    funding.record_arrival(
        behind, level="city", amount=400_000, date=day, actor=org.staff, document_number="2号"
    )
    funding.record_disbursement(
        ahead, level="city", amount=500_000, date=day, recipient_unit=org.hrss, actor=org.staff
    )
    funding.record_spending(ahead, level="city", amount=300_000, date=day, purpose="培训", actor=org.staff)

    draft = services.generate_bulletin(org.city, 2016, 9, actor=org.staff)

    # The projects' spending is not the region's 财政民生支出: the fiscal office's figure stays for staff.
    assert draft.livelihood_spending is None
    assert draft.spending_growth is None
    assert "财政民生支出" not in " ".join(generator.overall_sentences(draft))
    problems = draft.sections.get(kind=SectionKind.PROBLEMS).summary
    assert (
        "二是资金到位滞后。1个项目资金到位低于序时进度，尚未到位资金合计160万元："
        "农村公路建设（计划200万元，到位40万元，到位率20%）。"
    ) in problems
