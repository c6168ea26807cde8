"""The fund (A9): a year's closing equals opening, allocation and spending,
and the available amount is never negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.decimals import ZERO

from .violations import FUND_AVAILABLE, FUND_CLOSING, Violation


@dataclass(frozen=True)
class FundYearFact:
    label: str
    year: int
    carried_in: Decimal
    allocation: Decimal
    spent: Decimal
    closed: bool
    carried_out: Decimal
    carry_over_allowed: bool = True
    next_carried_in: Decimal | None = None  # the following year's, if any


def check_fund_year(fact: FundYearFact) -> list[Violation]:
    """A closed year's closing = opening + allocation − spent (what carries
    over), and the next year opens with it."""
    if not fact.closed:
        return []
    found = []
    closing = fact.carried_in + fact.allocation - fact.spent
    expected = closing if fact.carry_over_allowed else ZERO
    if fact.carried_out != expected:
        found.append(
            Violation(
                FUND_CLOSING,
                fact.label,
                str(fact.year),
                f"carried out {fact.carried_out}, opening {fact.carried_in} + "
                f"allocation {fact.allocation} − spent {fact.spent} = {closing}",
            )
        )
    if fact.next_carried_in is not None and fact.next_carried_in != fact.carried_out:
        found.append(
            Violation(
                FUND_CLOSING,
                fact.label,
                str(fact.year + 1),
                f"opens with {fact.next_carried_in}, last year closed with "
                f"{fact.carried_out}",
            )
        )
    return found


def check_available(label: str, period: str, available: Decimal) -> list[Violation]:
    if available >= ZERO:
        return []
    return [Violation(FUND_AVAILABLE, label, period, f"available {available}")]
