"""Decimal columns with the project's digits: money in yuan, figures (targets, values) and stored rates.

One place says how many digits each kind of number has; models use the fields, serializers and forms the
`Digits` (`MONEY.max_digits`, ...). The fields deconstruct as plain `DecimalField`s, so migrations record
exactly what they recorded before the fields existed.
"""

from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Digits(NamedTuple):
    """A decimal's precision: total digits and digits after the point."""

    max_digits: int
    decimal_places: int


MONEY = Digits(18, 2)  # yuan, to the fen
FIGURE = Digits(20, 4)  # targets and completed values, in the target's own measure
RATE = Digits(6, 4)  # stored fractions such as thresholds (0.05 = 5%)


class _DigitsField(models.DecimalField):
    """A DecimalField whose digits default to the class's `digits`; migrations see a DecimalField."""

    digits = Digits(0, 0)

    def __init__(
        self,
        verbose_name: "StrOrPromise | None" = None,
        name: str | None = None,
        *,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            verbose_name,
            name,
            max_digits=self.digits.max_digits if max_digits is None else max_digits,
            decimal_places=self.digits.decimal_places if decimal_places is None else decimal_places,
            **kwargs,
        )

    def deconstruct(self) -> Any:
        # The migration state names django.db.models.DecimalField with explicit digits, as before.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


class MoneyField(_DigitsField):
    """An amount in yuan (18 digits, 2 places)."""

    digits = MONEY


class FigureField(_DigitsField):
    """A target or a completed value in the target's measure (20 digits, 4 places)."""

    digits = FIGURE


class RateField(_DigitsField):
    """A stored fraction, 1 = 100% (6 digits, 4 places unless given)."""

    digits = RATE
