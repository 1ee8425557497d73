"""Numbers as people type them: "95,600", "95，600", "１２３", "7.6亿", "9640万", "3.5万元", "93000人".

One parser for the ledger importer (ledgers.cells), the forms (HumanDecimalField) and the API
(HumanDecimalSerializerField). A value is read in the unit of its field: a field in 万元 takes "7.6亿" as
76000 and "12" as 12 (万元); a field in yuan takes "9640万" as 96,400,000; a figure whose measure is "万人"
takes "9.3万" and "93000人" as 9.3. A number without a scale or unit word is already in the field's unit.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers

from .fields import Digits, MoneyField

HINT = "请输入数字，如 95,600、7.6亿、9640万"
SCALES = {"万": Decimal(10000), "亿": Decimal(10**8)}
NUMBER = re.compile(r"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?P<scale>[万亿])?(?P<word>\D*)$")
SEPARATORS = re.compile(r"[\s,']+")


class NumberError(ValueError):
    """Text that is not a number in the field's unit; the message is shown to users."""


def unit_factor(unit: str) -> Decimal:
    """How many base units one field unit holds: "万元" → 10000, "亿元" → 10^8, "万人" → 10000, "人" → 1."""
    return SCALES.get(unit[:1], Decimal(1)) if unit else Decimal(1)


def base_word(unit: str) -> str:
    """The unit without its scale: "万元" → "元", "万平方米" → "平方米", "%" → "%"."""
    return unit[1:] if unit[:1] in SCALES else unit


def clean(raw) -> str:
    """Full-width folded to half-width, spaces and thousands separators removed."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", str(raw)))


def parse(raw, unit: str = "", *, allow_percent: bool = False) -> Decimal | None:
    """The number in `unit` that `raw` stands for; None for empty input; NumberError when it is no number.

    A trailing "%" is accepted (and dropped: the measure is %) when `allow_percent` or the unit is "%".
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError(f"“{raw}”不是有效的数字")
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        # repr() of a float is its shortest round-trip form: 0.1 stays "0.1", not 0.1000000000000000055...
        number = Decimal(repr(raw))
    else:
        text = clean(raw)
        if not text:
            return None
        number = _parse_text(text, unit, allow_percent, raw)
    if not number.is_finite():
        raise NumberError(f"“{raw}”不是有效的数字")
    return number


def _parse_text(text: str, unit: str, allow_percent: bool, raw) -> Decimal:
    match = NUMBER.match(text)
    if match is None:
        raise NumberError(f"“{str(raw).strip()}”不是有效的数字")
    word = match["word"]
    words = {"", base_word(unit)}
    if unit.endswith("元"):
        words.add("元")
    if allow_percent or unit == "%":
        words.add("%")
    if word not in words:
        raise NumberError(f"“{str(raw).strip()}”不是有效的数字")
    try:
        number = Decimal(match["number"])
    except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
        raise NumberError(f"“{str(raw).strip()}”不是有效的数字") from None
    if word == "%" or (not match["scale"] and not word):
        return number  # already in the field's unit
    scale = SCALES.get(match["scale"] or "", Decimal(1))
    return number * scale / unit_factor(unit)


def plain(value: Decimal | None) -> str:
    """A decimal as typed back into an input: "12.0000" → "12", 1E+2 → "100"; None → ""."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


class HumanDecimalField(forms.DecimalField):
    """A DecimalField that reads numbers as people write them (see `parse`), in the field's `unit`."""

    default_error_messages = {"invalid": HINT}
    widget = forms.TextInput

    def __init__(self, *, unit: str = "", **kwargs):
        self.unit = unit
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A text input: type=number would stop "7.6亿" or "95,600" in the browser before we see it.
        return {"inputmode": "decimal"} if isinstance(widget, forms.TextInput) else {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse(value, self.unit)
        except NumberError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number

    def prepare_value(self, value):
        return plain(value) if isinstance(value, Decimal) else value


class HumanDecimalSerializerField(serializers.DecimalField):
    """A DRF DecimalField that also takes strings as people write them (see `parse`), in `unit`."""

    default_error_messages = {"invalid": HINT}

    def __init__(self, *, digits: Digits, unit: str = "", **kwargs: Any) -> None:
        self.unit = unit
        super().__init__(max_digits=digits.max_digits, decimal_places=digits.decimal_places, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                number = parse(data, self.unit)
            except NumberError:
                self.fail("invalid")
            if number is None:
                self.fail("invalid")
            data = number
        return super().to_internal_value(data)


def money_unit(db_field: models.Field) -> str:
    """The unit a model DecimalField is typed in: money columns (MoneyField) are yuan."""
    return "元" if isinstance(db_field, MoneyField) else ""


class HumanNumbersAdminMixin:
    """Admin forms whose decimal columns take numbers as people write them, in a text input."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db import models
        from unfold.widgets import UnfoldAdminTextInputWidget

        if isinstance(db_field, models.DecimalField) and not db_field.choices:
            kwargs["form_class"] = HumanDecimalField
            kwargs["unit"] = money_unit(db_field)
            kwargs["widget"] = UnfoldAdminTextInputWidget(attrs={"inputmode": "decimal"})
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
