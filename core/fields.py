"""Model field factories shared by the apps: one definition of money and rates.

Money is ``DecimalField(14, 2)`` in yuan; rates are ``DecimalField(7, 4)``
fractions. The pure rules and the payslip storage work on these Decimals.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models


def money_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def entered_money_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """Money entered by staff: never negative."""
    return money_field(verbose_name, validators=[MinValueValidator(0)], **kwargs)


def rate_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """A fraction such as 0.0800, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        **kwargs,
    )
