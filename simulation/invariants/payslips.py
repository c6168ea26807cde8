"""Cycles and payslips: no failed cycle, lines that sum to the payslip's
totals, no negative net pay, the monthly floor (DOMAIN A5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from core.decimals import ZERO, round_cents

from .violations import (
    DEDUCTION,
    EARNING,
    EMPLOYER,
    LINES_SUM,
    MONTHLY_FLOOR,
    NO_FAILED_CYCLE,
    NO_NEGATIVE_NET,
    Violation,
)


@dataclass(frozen=True)
class CycleFact:
    period: str
    status: str
    error: str = ""


def check_cycles(cycles: Iterable[CycleFact]) -> list[Violation]:
    """Every month's cycle ends locked (computed, approved, locked)."""
    return [
        Violation(NO_FAILED_CYCLE, "city cycle", c.period, f"{c.status}: {c.error}")
        for c in cycles
        if c.status != "locked"
    ]


@dataclass(frozen=True)
class Line:
    code: str
    kind: str
    amount: Decimal
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PayslipFact:
    worker: str
    year: int
    month: int
    gross: Decimal
    deductions: Decimal
    net: Decimal
    employer_cost: Decimal
    lines: tuple[Line, ...]
    # The part of the month worked (A4): days worked and days in the month.
    days: int = 0
    days_in_month: int = 0
    minimum_wage: Decimal = ZERO
    floor_excluded: frozenset[str] = frozenset()

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"


def _sum(lines: Iterable[Line], kind: str) -> Decimal:
    return sum((line.amount for line in lines if line.kind == kind), ZERO)


def check_lines_sum(payslip: PayslipFact) -> list[Violation]:
    """Lines sum to the stored gross, deductions, employer cost; net = gross −
    deductions."""
    found = {
        "gross": (_sum(payslip.lines, EARNING), payslip.gross),
        "deductions": (_sum(payslip.lines, DEDUCTION), payslip.deductions),
        "employer_cost": (_sum(payslip.lines, EMPLOYER), payslip.employer_cost),
        "net": (payslip.gross - payslip.deductions, payslip.net),
    }
    return [
        Violation(
            LINES_SUM,
            payslip.worker,
            payslip.period,
            f"{name}: lines give {lines_total}, payslip holds {stored}",
        )
        for name, (lines_total, stored) in found.items()
        if lines_total != stored
    ]


def check_net(payslip: PayslipFact) -> list[Violation]:
    if payslip.net >= ZERO:
        return []
    return [
        Violation(
            NO_NEGATIVE_NET,
            payslip.worker,
            payslip.period,
            f"net {payslip.net} (gross {payslip.gross}, "
            f"deductions {payslip.deductions})",
        )
    ]


# Lines that are not the month's pay for the monthly floor: the year-end
# bonus and the yearly floor's top-up (A5 counts the month's gross).
NOT_MONTH_PAY = frozenset({"bonus", "yearly_floor_top_up"})


def check_monthly_floor(payslip: PayslipFact) -> list[Violation]:
    """A5: gross without special allowances (corrections included: a recovery
    never takes it below the floor, A11) ≥ minimum wage × days ÷ days."""
    if not payslip.days or not payslip.minimum_wage:
        return []
    counted = sum(
        (
            line.amount
            for line in payslip.lines
            if line.kind == EARNING
            and line.code not in payslip.floor_excluded
            and line.code not in NOT_MONTH_PAY
            and not (
                line.code == "adjustment"
                and line.params.get("item") in payslip.floor_excluded
            )
        ),
        ZERO,
    )
    floor = round_cents(payslip.minimum_wage * payslip.days / payslip.days_in_month)
    if counted >= floor:
        return []
    return [
        Violation(
            MONTHLY_FLOOR,
            payslip.worker,
            payslip.period,
            f"gross counted for the floor {counted} < floor {floor} "
            f"({payslip.minimum_wage} × {payslip.days}/{payslip.days_in_month})",
        )
    ]
