"""The invariants' names, a violation, and the summary of violations by name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EARNING = "earning"
DEDUCTION = "deduction"
EMPLOYER = "employer"

NO_FAILED_CYCLE = "no_failed_cycle"
LINES_SUM = "payslip_lines_sum"
ANNUAL_TAX = "annual_tax_reconciliation"
MONTHLY_FLOOR = "monthly_floor"
YEARLY_FLOOR = "yearly_floor"
NO_NEGATIVE_NET = "no_negative_net"
ANNUITY_CONTRIBUTIONS = "annuity_lines_equal_contributions"
ANNUITY_BALANCES = "annuity_balances_equal_entries"
ANNUITY_TOTAL = "annuity_total_equals_contributions_and_returns"
LEVEL_FORMULA = "level_equals_a3_formula"
FUND_CLOSING = "fund_closing_equals_opening_allocation_spent"
FUND_AVAILABLE = "fund_available_never_negative"

ALL = (
    NO_FAILED_CYCLE,
    LINES_SUM,
    ANNUAL_TAX,
    MONTHLY_FLOOR,
    YEARLY_FLOOR,
    NO_NEGATIVE_NET,
    ANNUITY_CONTRIBUTIONS,
    ANNUITY_BALANCES,
    ANNUITY_TOTAL,
    LEVEL_FORMULA,
    FUND_CLOSING,
    FUND_AVAILABLE,
)


@dataclass(frozen=True)
class Violation:
    invariant: str
    subject: str  # a worker (name #pk), a cycle, an account or a fund year
    period: str  # YYYY-MM, YYYY or a date
    detail: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.subject} {self.period}: {self.detail}"


def summarise(violations: Iterable[Violation]) -> dict[str, int]:
    """Violations per invariant, every invariant named (0 when it held)."""
    counts = dict.fromkeys(ALL, 0)
    for violation in violations:
        counts[violation.invariant] = counts.get(violation.invariant, 0) + 1
    return counts
