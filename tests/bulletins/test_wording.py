"""How figures become bulletin text (bulletins.wording), checked against seed 001's writing."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from bulletins.wording import cn_number, rate_text, target_clause, value_text
from minsheng.formatting import count


@pytest.mark.parametrize(
    ("rate", "places", "text"),
    [
        (Decimal("0.88875"), None, "88.9%"),
        (Decimal("0.881818"), 0, "88%"),
        (Decimal("0.913333"), 2, "91.33%"),
        (Decimal("1.3"), None, "130%"),
        (Decimal("0.66308"), None, "66.3%"),
        (Decimal("0.45454545"), None, "45.5%"),  # half-up, as offices round
        (None, None, "—"),
    ],
)
def test_rates_print_without_trailing_zeros(rate, places, text):
    assert rate_text(rate, places) == text


@pytest.mark.parametrize(
    ("value", "measure", "text"),
    [
        (93000, "人", "9.3万人"),
        (71100, "人", "7.1万人"),
        (9700, "人", "9700人"),
        (47000, "套", "4.7万套"),
        (29202, "户", "29202户"),
        (10200, "人", "1.02万人"),  # not "1万人": a count keeps its meaning
        (20000, "辆", "2万辆"),
        (137000, "人", "13.7万人"),
        (Decimal("727000000"), "元", "7.27亿元"),
        (Decimal("87825300"), "元", "8782.53万元"),
        (Decimal("281.5"), "万平方米", "281.5万平方米"),
    ],
)
def test_values_are_written_as_the_seed_writes_them(value, measure, text):
    assert value_text(value, measure) == text


def test_target_clause_uses_the_wording():
    wording = SimpleNamespace(phrase="完成全年目标任务的", places=2, done_text="")
    assert (
        target_clause("新增农村劳动力转移就业", "人", 137000, Decimal("0.913333"), wording)
        == "新增农村劳动力转移就业13.7万人、完成全年目标任务的91.33%"
    )
    done = SimpleNamespace(phrase="", places=None, done_text="提前完成全年目标任务")
    assert (
        target_clause("新增城镇就业", "人", 93000, Decimal("1.0333"), done)
        == "新增城镇就业9.3万人、提前完成全年目标任务"
    )
    # Not yet done: the rate, even with a done text.
    assert (
        target_clause("新增城镇就业", "人", 60000, Decimal("0.6667"), done)
        == "新增城镇就业6万人、完成年度任务的66.7%"
    )
    assert target_clause("新建道路", "公里", None, None) == "新建道路尚无统计数据"
    assert (
        target_clause("完成投资", "元", Decimal("1780000000"), Decimal("0.8683"))
        == "完成投资17.8亿元、占年度计划的86.8%"
    )


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (23, "二十三"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (235, "二百三十五"),
        (500, "五百"),
    ],
)
def test_section_numbers_in_chinese(n, text):
    assert cn_number(n) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9700, "9700人"),
        (10200, "1.02万人"),
        (10050, "1万人"),  # within 0.5% of its value
        (15340, "1.53万人"),
        (71100, "7.1万人"),
        (93000, "9.3万人"),
        (1620000, "162万人"),
        (None, "—"),
    ],
)
def test_counts_in_wan_keep_at_most_half_a_percent_off(value, text):
    assert count(value, "人") == text
