"""Special additional deductions (专项附加扣除) of a worker's declaration.

Pure: the standard amounts are dated table rows (DOMAIN Part B 7.3) passed in
as Decimals; nothing here knows a figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.decimals import ZERO, round_cents

CHILD_EDUCATION = "child_education"
INFANT_CARE = "infant_care"
ELDERLY_SUPPORT = "elderly_support"
HOUSING_LOAN_INTEREST = "housing_loan_interest"
HOUSING_RENT = "housing_rent"
CONTINUING_EDUCATION = "continuing_education"
CATEGORIES = (
    CHILD_EDUCATION,
    INFANT_CARE,
    ELDERLY_SUPPORT,
    HOUSING_LOAN_INTEREST,
    HOUSING_RENT,
    CONTINUING_EDUCATION,
)
# A taxpayer deducts either mortgage interest or rent in a year, never both.
EXCLUSIVE = frozenset({HOUSING_LOAN_INTEREST, HOUSING_RENT})


class DeductionError(ValueError):
    """A claim the rules refuse; ``code`` names why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def claim_monthly_amount(
    *, standard: Decimal, units: int, share: Decimal, cap: Decimal | None = None
) -> Decimal:
    """The monthly deduction of one claim: the standard amount × the number
    of children (1 otherwise) × the worker's share, at most ``cap``.

    A child's education at 2,000.00 a month, two children, half each parent:
    2,000.00 × 2 × 50% = 2,000.00. Elderly support with siblings: the
    worker's share of the 3,000.00, at most the 1,500.00 cap.
    """
    if units < 1:
        raise DeductionError("units")
    if not ZERO < share <= 1:
        raise DeductionError("share")
    amount = round_cents(standard * units * share)
    if cap is not None and amount > cap:
        raise DeductionError("cap")
    return amount


def category_totals(claims: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The monthly total of each category over approved claims (category,
    amount); a year with both housing categories is refused."""
    totals = dict.fromkeys(CATEGORIES, ZERO)
    for category, amount in claims:
        totals[category] += amount
    if all(totals[c] > ZERO for c in EXCLUSIVE):
        raise DeductionError("housing")
    return totals
