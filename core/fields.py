"""Model field factories and fields shared by the apps.

An amount the system derives is ``DecimalField(14, 2)`` in yuan
(``amount_field``; an amount people type is ``core.money.money_field``); rates are ``DecimalField(7, 4)``
fractions (the pure rules and the payslip storage work on these Decimals).
Timestamps read the application's clock (core.clock).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models

from core import clock


def amount_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def entered_amount_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """Money entered by staff: never negative."""
    return amount_field(verbose_name, validators=[MinValueValidator(0)], **kwargs)


def rate_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """A fraction such as 0.0800, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        **kwargs,
    )


class ClockDateTimeField(models.DateTimeField):
    """``auto_now`` / ``auto_now_add`` stamped with ``clock.now()``.

    Corrections compare these stamps with the time a cycle was locked (also
    ``clock.now()``), so both must come from the same clock when the city
    simulation runs past the real today. Deconstructs as a plain
    DateTimeField: the column is the same, so no migration follows.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
