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
