"""Figures on the filing pages, formatted by the one helper the bulletins use."""

from django import template

from minsheng import formatting

register = template.Library()


@register.filter
def percent(rate) -> str:
    return formatting.percent(rate)
