"""Figures as a bulletin writes them, in the register of seed 001.

"新增城镇就业9.3万人、提前完成全年目标任务", "组织各类职业技能新培7.1万人、完成年度任务的88.9%",
"两项工作分别完成投资17.8亿元、12.4亿元", "十件民生大事完成投资187.4亿元，占年度计划的66.3%".
Rates are rounded half-up (formatting.quantize) and printed without trailing zeros ("88%", "130%"). A
bulletin prints each figure with one rounding: `FigureBook` keeps the first text of a value and hands it out
again wherever the same value is printed, and `harmonise()` brings a narrative's other rounding of one of
those figures (the seed's truncated "186%" for 28/15) in line with it.
"""

import re
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

from minsheng.formatting import count, money, quantize

MONEY_MEASURES = {"元", "万元", "亿元"}
# Counts a bulletin writes in 万 once they reach ten thousand ("9.3万人", "4.7万套", "2万辆"); households,
# sessions and the like stay whole ("29202户", "52760场"), as the seed writes them.
WAN_MEASURES = {"人", "人次", "名", "套", "辆", "个"}
DEFAULT_PHRASE = "完成年度任务的"
MONEY_PHRASE = "占年度计划的"
DIGITS = "零一二三四五六七八九"


def trim(number: Decimal) -> str:
    """A decimal without trailing zeros: 88.0 → "88", 7.270 → "7.27", 120 → "120"."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def rate_text(rate, places: int | None = None) -> str:
    """0.8888 → "88.9%"; 1.12 with places 0 → "112%"; None → "—"."""
    if rate is None:
        return "—"
    return f"{trim(quantize(Decimal(rate) * 100, 1 if places is None else places))}%"


def money_text(yuan) -> str:
    """Yuan as the seed prints it: "187.4亿元", "8782.53万元"."""
    return money(yuan)


def value_text(value, measure: str) -> str:
    """A target's cumulative value with its measure: "9.3万人", "7.27亿元", "281.5万平方米", "29202户"."""
    value = Decimal(value)
    if measure == "元":
        return money(value)
    if measure in WAN_MEASURES:
        return count(value, measure)
    return f"{trim(quantize(value, 2))}{measure}"


class FigureBook:
    """The text of every rate a bulletin prints, computed once: the same value always reads the same."""

    def __init__(self):
        self.texts: dict[Decimal, str] = {}

    @staticmethod
    def key(value) -> Decimal:
        # Values of one figure reach the generator through different SQL and Python divisions.
        return quantize(Decimal(value), 10)

    def rate(self, value, places: int | None = None) -> str:
        """The figure's text ("88.9%"): the first rounding asked for, reused for the same value later."""
        if value is None:
            return rate_text(None)
        return self.texts.setdefault(self.key(value), rate_text(value, places))


PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


def _other_roundings(percent: Decimal, places: int) -> set[Decimal]:
    step = Decimal(1).scaleb(-places)
    return {percent.quantize(step, rounding=ROUND_DOWN), percent.quantize(step, rounding=ROUND_HALF_EVEN)}


def harmonise(text: str, values, book: FigureBook) -> tuple[str, list[str]]:
    """`text` with each percentage that is another rounding of one of `values` at the precision the
    bulletin prints it (truncated, or half to even, where the bulletin rounds half-up) replaced by the
    bulletin's text, and a note per replacement: "186%" → "187%" for 28/15, "24.15%" → "24.16%" for
    43/178. A percentage written with other decimals ("88%" beside "88.9%") is another figure's, and stays.
    """
    values = [Decimal(v) for v in values if v is not None]
    notes: list[str] = []

    def replace(match: re.Match) -> str:
        written = match.group(1)
        places = len(written.partition(".")[2])
        number = Decimal(written)
        for value in values:
            shown = book.rate(value)
            shown_number = shown.removesuffix("%")
            if len(shown_number.partition(".")[2]) != places or Decimal(shown_number) == number:
                continue
            if number in _other_roundings(value * 100, places):
                notes.append(f"正文中的“{match.group(0)}”与数据{shown}不一致，已统一为“{shown}”。")
                return shown
        return match.group(0)

    return PERCENT.sub(replace, text), notes


def target_clause(
    name: str, measure: str, value, completion, wording=None, book: FigureBook | None = None
) -> str:
    """One target as a clause: "职业技能新培7.1万人、完成年度任务的88.9%"."""
    if value is None:
        return f"{name}尚无统计数据"
    default_phrase = MONEY_PHRASE if measure in MONEY_MEASURES else DEFAULT_PHRASE
    phrase = (wording.phrase if wording else "") or default_phrase
    places = wording.places if wording else None
    if completion is not None and completion >= 1 and wording and wording.done_text:
        status = wording.done_text
    else:
        shown = book.rate(completion, places) if book is not None else rate_text(completion, places)
        status = f"{phrase}{shown}"
    return f"{name}{value_text(value, measure)}、{status}"


def cn_number(n: int) -> str:
    """Chinese numerals for section numbers: 1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        if rest == 0:
            tail = ""
        elif rest < 10:
            tail = "零" + DIGITS[rest]
        else:
            tail = (DIGITS[1] if rest < 20 else "") + cn_number(rest)
        return DIGITS[n // 100] + "百" + tail
    return str(n)


def ordinal_point(n: int) -> str:
    """ "一是", "二是" ... as the problems section numbers its points."""
    return f"{cn_number(n)}是"
