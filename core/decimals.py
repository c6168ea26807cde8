"""Pure Decimal helpers. Money is rounded here and nowhere else."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cents(value: Decimal) -> Decimal:
    """Round to the fen, half up (四舍五入), the convention of Chinese payroll.

    ``round_cents(Decimal("0.005")) == Decimal("0.01")``; banker's rounding would
    give 0.00, which is why the mode is explicit.
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_yuan(value: Decimal) -> Decimal:
    """Round to the whole yuan, half up (used by indexation of pay tables)."""
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def sum_amounts(amounts: Iterable[Decimal]) -> Decimal:
    """Exact sum of already-rounded amounts, starting from 0.00."""
    total = ZERO
    for amount in amounts:
        total += amount
    return total


def check_fraction(name: str, rate: Decimal) -> None:
    """Refuse a rate that is not a fraction in [0, 1] (a table typo of 8 for 0.08)."""
    if not Decimal(0) <= rate <= Decimal(1):
        raise ValueError(f"{name} must be a fraction in [0, 1], got {rate}")


def format_yuan(amount: Decimal | str) -> str:
    """Money as people read it, in every language: 1234567.8 -> "1,234,567.80"
    (rounded to the fen half up; Django's zh-hans format has no separator)."""
    return f"{round_cents(Decimal(amount)):,.2f}"
