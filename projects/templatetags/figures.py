"""Figures on pages, through the one formatting helper: `{{ yuan|money }}`, `{{ value|number }}`,
`{{ rate|percent }}`, `{{ yuan|wan }}` (a number of 万元, for tables headed 万元)."""

from decimal import Decimal, InvalidOperation

from django import template

from minsheng import formatting

register = template.Library()


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(yuan) -> str:
    """Yuan → "1,234.56万元" / "7.6亿元"; nothing → "—"."""
    return formatting.money_grouped(_decimal(yuan))


@register.filter
def number(value, places=None) -> str:
    """A figure with separators and no trailing zeros: "95,600", "12"; `|number:1` rounds to one place."""
    return formatting.number(_decimal(value), None if places in (None, "") else int(places))


@register.filter
def percent(rate) -> str:
    """A fraction → "91.3%"; nothing → "—"."""
    return formatting.percent(_decimal(rate))


@register.filter
def wan(yuan) -> str:
    """Yuan → a number of 万元 with separators ("1,234.56"), for a column whose header says 万元."""
    return formatting.number(formatting.wan(_decimal(yuan)))


@register.filter
def plain(value) -> str:
    """A number for data attributes and inputs: no separators, no trailing zeros ("30000", "12.5")."""
    from minsheng.numbers import plain as plain_number

    number = _decimal(value)
    return plain_number(number) if number is not None else ""
