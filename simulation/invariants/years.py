"""The year of a worker: the annual tax reconciliation and the yearly floor,
recomputed from the rule book.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.decimals import ZERO, round_cents
from payroll.rules.tax import TaxTable, progressive_tax

from .violations import ANNUAL_TAX, YEARLY_FLOOR, Violation


@dataclass(frozen=True)
class WorkerYear:
    """A worker's year as the payroll stored it: the year-to-date totals after
    its last payslip, the tax lines withheld, and the days employed."""

    worker: str
    year: int
    last_month: int
    left_in_year: bool
    joined_on: date
    left_on: date | None
    post: str  # post on the last payslip
    # Year-to-date after the last payslip (PriorTotals).
    income: Decimal
    tax_exempt_income: Decimal
    special_deductions: Decimal
    special_additional_deductions: Decimal
    other_deductions: Decimal
    floor_total: Decimal
    withheld: Decimal  # the sum of the year's cumulative IIT lines
    yearly_top_up: Decimal
    # 留抵: what the last month could not give back (withheld 0.00 with
    # cumulative tax below what was withheld); settled by the annual return.
    credit: Decimal = ZERO
    counts_from_january: bool = False
    full_year_deduction_from_january: bool = False


def months_employed(joined_on: date, year: int, month: int, from_january: bool) -> int:
    """任职受雇月份数 (公告2018年第61号): from January, or from the joining month."""
    if from_january or joined_on.year < year:
        return month
    return month - joined_on.month + 1


def expected_annual_tax(
    totals: WorkerYear, table: TaxTable, monthly_standard_deduction: Decimal
) -> tuple[Decimal, Decimal]:
    """(taxable income, tax) of the year from its stored totals, by the
    yearly table (the comprehensive-income table of 汇算清缴)."""
    months = months_employed(
        totals.joined_on, totals.year, totals.last_month, totals.counts_from_january
    )
    standard = monthly_standard_deduction * (
        12 if totals.full_year_deduction_from_january else months
    )
    taxable = round_cents(
        max(
            totals.income
            - totals.tax_exempt_income
            - standard
            - totals.special_deductions
            - totals.special_additional_deductions
            - totals.other_deductions,
            ZERO,
        )
    )
    return taxable, progressive_tax(taxable, table)


def check_annual_tax(
    totals: WorkerYear, table: TaxTable, monthly_standard_deduction: Decimal
) -> list[Violation]:
    """The annual reconciliation identity: what the months withheld, less
    the credit left in December, equals the yearly table applied to the
    year's totals (a full year ends in December; a worker who left is
    settled by the annual return instead)."""
    if totals.left_in_year or totals.last_month != 12:
        return []
    taxable, expected = expected_annual_tax(totals, table, monthly_standard_deduction)
    if expected == totals.withheld - totals.credit:
        return []
    return [
        Violation(
            ANNUAL_TAX,
            totals.worker,
            str(totals.year),
            f"withheld {totals.withheld}, yearly tax {expected} on taxable "
            f"{taxable} (income {totals.income}, special "
            f"{totals.special_deductions}, additional "
            f"{totals.special_additional_deductions}, other "
            f"{totals.other_deductions}, credit {totals.credit}); difference "
            f"{totals.withheld - totals.credit - expected}",
        )
    ]


def days_employed(year: int, joined_on: date, left_on: date | None) -> int:
    start = max(joined_on, date(year, 1, 1))
    end = min(left_on or date(year, 12, 31), date(year, 12, 31))
    return max(0, (end - start).days + 1)


def days_in_year(year: int) -> int:
    return (date(year, 12, 31) - date(year, 1, 1)).days + 1


def yearly_floor(
    *,
    post: str,
    year: int,
    joined_on: date,
    left_on: date | None,
    average_wage: Decimal,
    principal_ratio: Decimal,
    other_ratio: Decimal,
    principal_post: str = "principal",
) -> Decimal:
    """A5: 100% (principal) or 80% of the city's average wage, × days
    employed ÷ days of the year."""
    ratio = principal_ratio if post == principal_post else other_ratio
    return round_cents(
        average_wage
        * ratio
        * days_employed(year, joined_on, left_on)
        / days_in_year(year)
    )


def check_yearly_floor(totals: WorkerYear, floor: Decimal) -> list[Violation]:
    """A complete year (December, or the leaving month) reaches the prorated
    floor, and a top-up never pays more than the shortfall."""
    complete = totals.last_month == 12 or totals.left_in_year
    if not complete:
        return []
    problems = []
    if totals.floor_total < floor:
        problems.append(f"year total {totals.floor_total} < floor {floor}")
    elif totals.yearly_top_up > ZERO and totals.floor_total > floor:
        problems.append(
            f"top-up {totals.yearly_top_up} takes the year to "
            f"{totals.floor_total}, above the floor {floor}"
        )
    return [
        Violation(
            YEARLY_FLOOR,
            totals.worker,
            str(totals.year),
            f"{problem} (post {totals.post}, employed "
            f"{days_employed(totals.year, totals.joined_on, totals.left_on)} days)",
        )
        for problem in problems
    ]
