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
