"""Cell values as offices type them, turned into clean Python values (or a Chinese reason why not).

Ledgers come with full-width digits, thousands separators, amounts in 元/万元/亿元, percentages, Chinese dates
("2019年6月底", "2019.6.30"), Excel serial dates and stray spaces. Each parser takes the raw cell value
(what openpyxl returns: str, int, float, datetime, None) and returns the value or raises CellError.
"""

import datetime
import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.utils.datetime import from_excel

from minsheng import numbers
from projects.periods import Period

MONEY_UNITS = {
    "元": Decimal(1),
    "万元": Decimal(10000),
    "万": Decimal(10000),
    "亿元": Decimal(10**8),
    "亿": Decimal(10**8),
}
CENT = Decimal("0.01")
FIGURE_PLACES = Decimal("0.0001")
# Values beyond the model columns' digits (MONEY 18,2 and FIGURE 20,4) are refused rather than overflowing.
MAX_MONEY = Decimal(10**16)
MAX_FIGURE = Decimal(10**16)

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
WHITESPACE = re.compile(r"\s+")


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is shown to users."""


def is_empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text(raw) -> str:
    """Free text: surrounding spaces (also the ideographic space) removed, inner text kept as typed."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    value = str(raw).strip().strip("\u3000").strip()
    # Our exports write text that looks like a formula with a leading apostrophe; take it off again.
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
        value = value[1:]
    return value


# Ledgers repeat the same names, codes and months on thousands of rows: these pure parsers are memoised.
memo = functools.lru_cache(maxsize=1 << 16, typed=True)


@memo
def key(raw) -> str:
    """A matching key for names and headers: full-width folded to half-width, all whitespace removed."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", text(raw)))


@memo
def code(raw) -> str:
    """A code (project number, credit code): full-width digits and letters folded, spaces removed."""
    value = key(raw)
    return value.upper() if value.isascii() else value


def _number_text(raw) -> str:
    return numbers.clean(text(raw))


def _parse(raw, unit: str = "", *, allow_percent: bool = False) -> Decimal:
    """The one number parser (minsheng.numbers), its refusal turned into the importer's CellError."""
    try:
        number = numbers.parse(raw, unit, allow_percent=allow_percent)
    except numbers.NumberError:
        raise CellError(f"“{text(raw)}”不是有效的数字") from None
    if number is None:
        raise CellError("不是有效的数字")
    return number


def decimal(raw, *, places: Decimal = FIGURE_PLACES, maximum: Decimal = MAX_FIGURE) -> Decimal | None:
    """A figure: "1,234.5", "１２３", "9.3万", "95.3%" (kept as 95.3: the measure is %); None when empty."""
    if is_empty(raw):
        return None
    if isinstance(raw, (bool, datetime.date)):
        raise CellError(f"“{text(raw)}”不是有效的数字")
    number = _parse(raw, allow_percent=True)
    if abs(number) >= maximum:
        raise CellError(f"“{text(raw)}”超出允许的范围")
    return number.quantize(places, rounding=ROUND_HALF_UP)


def money(raw, unit: str = "元") -> Decimal | None:
    """An amount in yuan: the cell's own unit ("3.5万元", "1.2亿") wins over the header's (`unit`)."""
    if is_empty(raw):
        return None
    if unit not in MONEY_UNITS:
        raise KeyError(unit)
    if isinstance(raw, (bool, datetime.date)):
        raise CellError(f"“{text(raw)}”不是有效的数字")
    yuan = _parse(raw, unit if unit.endswith("元") else f"{unit}元") * numbers.unit_factor(unit)
    if abs(yuan) >= MAX_MONEY:
        raise CellError(f"“{text(raw)}”超出允许的范围")
    return yuan.quantize(CENT, rounding=ROUND_HALF_UP)


def rate(raw) -> Decimal | None:
    """A fraction: "35%" → 0.35; 0.35 → 0.35; "35" (no %) → 0.35 when above 1."""
    if is_empty(raw):
        return None
    if isinstance(raw, str) and _number_text(raw).endswith("%"):
        return (_parse(raw, "%") / 100).quantize(FIGURE_PLACES)
    number = decimal(raw)
    if number is None:
        return None
    return (number / 100).quantize(FIGURE_PLACES) if number > 1 else number


def integer(raw) -> int | None:
    number = decimal(raw)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"“{text(raw)}”应为整数")
    return int(number)


def chinese_number(value: str) -> int | None:
    """ "九" → 9, "十二" → 12, "12" → 12."""
    if value.isdigit():
        return int(value)
    if value and all(ch in CHINESE_DIGITS for ch in value) and len(value) <= 3:
        if value == "十":
            return 10
        if value.startswith("十"):
            return 10 + CHINESE_DIGITS[value[1]]
        if len(value) == 1:
            return CHINESE_DIGITS[value]
        if value[1] == "十":
            return CHINESE_DIGITS[value[0]] * 10 + (CHINESE_DIGITS[value[2]] if len(value) == 3 else 0)
    return None


DATE_PATTERNS = [
    # 2019年6月30日, 2019年6月底, 2019年6月中旬, 2019年6月, 2019年底, 2019年
    re.compile(
        r"^(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:份)?(?:(?P<d>\d{1,2})[日号]|(?P<part>底|末|初|上旬|中旬|下旬))?"
        r"|(?P<yearpart>底|末))?$"
    ),
    # 2019.6.30, 2019-06-30, 2019/6/30, 2019.6
    re.compile(r"^(?P<y>\d{4})[./-](?P<m>\d{1,2})(?:[./-](?P<d>\d{1,2}))?$"),
    # 20190630
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    # 6月底, 6月30日 (the year comes from the ledger)
    re.compile(r"^(?P<m>\d{1,2})月(?:份)?(?:(?P<d>\d{1,2})[日号]|(?P<part>底|末|初|上旬|中旬|下旬))?$"),
]
PART_DAY = {"初": 1, "上旬": 10, "中旬": 20}


def date(raw, default_year: int | None = None) -> datetime.date | None:
    """A date as ledgers write it; a month without a day means the month's end (a deadline)."""
    if is_empty(raw):
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 20000 < raw < 80000:  # Excel serial days: 1954 to 2119
            return from_excel(raw).date()
        value = str(int(raw)) if float(raw).is_integer() else repr(raw)
    else:
        value = key(raw).removesuffix("前").removesuffix("以前").removesuffix("之前")
    for pattern in DATE_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["y"]) if parts.get("y") else default_year
        if year is None:
            raise CellError(f"“{text(raw)}”缺少年份")
        try:
            if not parts.get("m"):
                return datetime.date(year, 12, 31)
            month = int(parts["m"])
            if parts.get("d"):
                return datetime.date(year, month, int(parts["d"]))
            part = parts.get("part")
            if part in PART_DAY:
                return datetime.date(year, month, PART_DAY[part])
            return Period(year, month).last_day
        except ValueError:
            raise CellError(f"“{text(raw)}”不是有效的日期") from None
    raise CellError(f"“{text(raw)}”不是有效的日期（可写作2019年6月30日、2019年6月底、2019.6.30）")


MONTH_PATTERN = re.compile(
    r"^(?:(?P<y>\d{4})年)?(?:1?[-~—–至到]|[一][-~—–至到])?(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月?(?:份)?(?:底|末)?$"
)


@memo
def month(raw) -> int | None:
    """A reporting month: 9, "9月", "1-9月份", "1—9月", "九月", "2019年9月", or a date in that month."""
    if is_empty(raw):
        return None
    if isinstance(raw, datetime.date):
        return raw.month
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and 1 <= raw <= 12:
            return int(raw)
        if 20000 < raw < 80000:
            return from_excel(raw).month
        raise CellError(f"“{text(raw)}”不是有效的月份")
    value = key(raw)
    match = MONTH_PATTERN.match(value)
    number = chinese_number(match["m"]) if match else None
    if number is None:
        try:
            parsed = date(raw, default_year=2000)
        except CellError:
            parsed = None
        if parsed is None:
            raise CellError(f"“{text(raw)}”不是有效的月份（填1到12，或“1-9月”）")
        return parsed.month
    if not 1 <= number <= 12:
        raise CellError(f"“{text(raw)}”不是有效的月份（填1到12）")
    return number


def names(raw) -> list[str]:
    """A list of names in one cell: "市财政局、市教育局,市卫健委" → three names."""
    return [part.strip() for part in re.split(r"[、,，;；/\n]+", text(raw)) if part.strip()]
