"""Where figures become text: money in 万元/亿元 and rates as percentages, as bulletins print them."""

from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal("10000")
YI = Decimal("100000000")


def quantize(value: Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(rate, places: int = 1) -> str:
    """0.91333 → "91.3%" (half-up, as offices round); None → "—"."""
    if rate is None:
        return "—"
    return f"{quantize(Decimal(rate) * 100, places):f}%"


def money(yuan, unit: str = "auto", places: int = 2) -> str:
    """Yuan as the documents print them: "187.4亿元", "8782.53万元"; unit "auto" picks 亿 from 1亿 up."""
    if yuan is None:
        return "—"
    yuan = Decimal(yuan)
    if unit == "auto":
        unit = "亿元" if abs(yuan) >= YI else "万元" if abs(yuan) >= WAN else "元"
    divisor = {"亿元": YI, "万元": WAN, "元": Decimal(1)}[unit]
    amount = quantize(yuan / divisor, places).normalize()
    return f"{amount:f}{unit}"


def number(value, places: int | None = None) -> str:
    """A figure for pages: thousands separated, no trailing zeros ("95,600", "12", "1,234.5"); None → "—".

    `places` rounds first (half-up); the separators are those of the documents (ASCII commas).
    """
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if places is not None:
        value = quantize(value, places)
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1)) + 0  # + 0 turns -0 into 0
    return f"{value:,f}"


def money_grouped(yuan, places: int = 2) -> str:
    """Yuan for pages and tables: 万元 below 1亿, 亿元 from 1亿 up, thousands separated ("1,234.56万元",
    "7.6亿元"); None → "—". Small amounts stay in 万元 ("0.35万元") so a column reads in one unit."""
    if yuan is None or yuan == "":
        return "—"
    yuan = Decimal(yuan)
    unit, divisor = ("亿元", YI) if abs(yuan) >= YI else ("万元", WAN)
    return f"{number(yuan / divisor, places)}{unit}"


def wan(yuan, places: int = 2) -> Decimal | None:
    """Yuan as a number of 万元 rounded to `places` (for tables and charts whose header says 万元)."""
    return None if yuan is None else quantize(Decimal(yuan) / WAN, places)


# A count written in 万 may lose at most this share of its value to rounding ("1.02万人", never "1万人").
COUNT_TOLERANCE = Decimal("0.005")


def count(value, unit: str = "", places: tuple[int, int] = (1, 2)) -> str:
    """A count as documents write it: whole below ten thousand ("9700人", "29202户"), in 万 from there with
    the fewest decimals (within `places`) that keep it within 0.5% of its value: 93000 → "9.3万人",
    71100 → "7.1万人", 10200 → "1.02万人" (not "1万人"); None → "—"."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if abs(value) < WAN:
        return f"{quantize(value, 2).normalize():f}{unit}"
    exact = value / WAN
    fewest, most = places
    for n in range(fewest, most + 1):
        shown = quantize(exact, n)
        if abs(shown - exact) <= abs(exact) * COUNT_TOLERANCE:
            break
    return f"{shown.normalize():f}万{unit}"
