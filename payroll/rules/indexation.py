"""Indexation (自然增长), DOMAIN A6. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

from core.decimals import round_yuan

K = TypeVar("K")


class NegativeGrowthError(ValueError):
    pass


def index_amount(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount × (1 + rate)`` rounded to the yuan, half up, and never below
    the old amount: 4,800.00 at 4.0% → 4,992.00; 600 → 624.

    An amount with fen could otherwise round down at a tiny rate, and the
    policy is growth, so the old amount is the floor.
    """
    if rate < 0:
        raise NegativeGrowthError(str(rate))
    grown = round_yuan(amount * (Decimal(1) + rate))
    return max(grown, amount).quantize(Decimal("0.01"))


def index_table(amounts: Mapping[K, Decimal], rate: Decimal) -> dict[K, Decimal]:
    return {key: index_amount(value, rate) for key, value in amounts.items()}
