"""What must hold for every month and worker after the city has run (issue 9).

Pure: plain values in (gathered by ``simulation.collect``), a list of
``Violation``s out. Each check recomputes its figure its own way (from the
rule book, DOMAIN A3-A11) rather than reading the figure the payroll stored,
so a payroll defect shows here as a violation with its numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.decimals import ZERO, round_cents
from core.rules import full_years_between
from payroll.rules.tax import TaxTable, progressive_tax

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


# --- cycles and payslips -----------------------------------------------------


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


# --- the year of a worker ----------------------------------------------------


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


# --- annuity -----------------------------------------------------------------


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


# --- levels (A3) -------------------------------------------------------------


@dataclass(frozen=True)
class LevelFacts:
    """What A3 reads for one worker on 1 January of ``year``."""

    worker: str
    year: int
    post: str
    post_lowest: int
    post_highest: int
    level_before: int  # in force on 31 December
    level_after: int  # in force on 1 January
    started_on: date
    education_years: int
    certificate_levels: int  # the highest certificate held on 31 December
    failed_years: int  # countable years graded 不合格 (known on 1 January)
    early_promotions: int  # early promotions earned up to 1 January
    years_per_level: int = 3


def a3_level(facts: LevelFacts) -> int:
    """A3: the higher of the current level and the A2 formula recomputed to
    31 December (不合格 years left out), plus early promotions; within the
    post's range."""
    # Service through 31 December inclusive: full years to 1 January.
    service = full_years_between(facts.started_on, date(facts.year, 1, 1))
    countable = max(0, service - facts.failed_years)
    formula = (
        facts.post_lowest
        + (countable + facts.education_years) // facts.years_per_level
        + facts.certificate_levels
        + facts.early_promotions
    )
    current = min(max(facts.level_before, facts.post_lowest), facts.post_highest)
    return min(facts.post_highest, max(current, formula))


def check_level(facts: LevelFacts) -> list[Violation]:
    expected = a3_level(facts)
    if facts.level_after == expected:
        return []
    return [
        Violation(
            LEVEL_FORMULA,
            facts.worker,
            f"{facts.year}-01-01",
            f"level {facts.level_after}, A3 gives {expected} (was "
            f"{facts.level_before}; {facts.post} {facts.post_lowest}–"
            f"{facts.post_highest}, started {facts.started_on}, education "
            f"+{facts.education_years}, certificate +{facts.certificate_levels}, "
            f"failed years {facts.failed_years}, early {facts.early_promotions})",
        )
    ]


# --- the fund (A9) -----------------------------------------------------------


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


def summarise(violations: Iterable[Violation]) -> dict[str, int]:
    """Violations per invariant, every invariant named (0 when it held)."""
    counts = dict.fromkeys(ALL, 0)
    for violation in violations:
        counts[violation.invariant] = counts.get(violation.invariant, 0) + 1
    return counts
