"""The annuity: lines equal to the contributions, balances equal to the
entries, the total equal to contributions and returns (DOMAIN A8).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.decimals import ZERO

from .violations import (
    ANNUITY_BALANCES,
    ANNUITY_CONTRIBUTIONS,
    ANNUITY_TOTAL,
    Violation,
)


@dataclass(frozen=True)
class AnnuityFacts:
    member_lines: Decimal  # ANNUITY_MEMBER lines of locked payslips
    employer_lines: Decimal
    member_contributions: Decimal  # contribution entries of the ledger
    employer_contributions: Decimal
    returns_credited: Decimal  # AnnuityReturn.credited
    entries_total: Decimal  # every entry of every account
    forfeits_total: Decimal  # both sides of every forfeiture
    reversals_total: Decimal
    # account label -> (balance by the balances() selector, sum of entries)
    accounts: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    negative_parts: Sequence[tuple[str, str, Decimal]] = ()


def check_annuity(facts: AnnuityFacts) -> list[Violation]:
    """The three reconciliation identities of the ledger (tests/payroll/
    test_annuity.py): payslip lines = contributions posted; every account's
    balance = the sum of its entries; everything = contributions + returns
    (forfeitures move money between accounts and sum to zero)."""
    found = []
    for part, lines, posted in (
        ("member", facts.member_lines, facts.member_contributions),
        ("employer", facts.employer_lines, facts.employer_contributions),
    ):
        if lines != posted:
            found.append(
                Violation(
                    ANNUITY_CONTRIBUTIONS,
                    f"{part} part",
                    "all",
                    f"payslip lines {lines}, contributions posted {posted}",
                )
            )
    for label, (balance, entries) in facts.accounts.items():
        if balance != entries:
            found.append(
                Violation(
                    ANNUITY_BALANCES,
                    label,
                    "all",
                    f"balance {balance}, entries sum {entries}",
                )
            )
    for label, part, amount in facts.negative_parts:
        found.append(
            Violation(ANNUITY_BALANCES, label, "all", f"{part} part negative: {amount}")
        )
    expected = (
        facts.member_lines
        + facts.employer_lines
        + facts.returns_credited
        + facts.reversals_total
    )
    if facts.entries_total != expected or facts.forfeits_total != ZERO:
        found.append(
            Violation(
                ANNUITY_TOTAL,
                "plan",
                "all",
                f"entries {facts.entries_total}, contributions + returns "
                f"+ reversals {expected}; forfeitures sum {facts.forfeits_total}",
            )
        )
    return found
