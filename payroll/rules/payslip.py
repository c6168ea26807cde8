"""A whole payslip from its parts (DOMAIN A4, A7, A8): pure, no Django.

The month's earnings (``earnings.month_earnings``) and any adjustment lines
come in ready; this adds the bonus, the employee's and the employer's social
insurance and housing fund, the annuity lines, and income tax by cumulative
withholding over the year-to-date figures of earlier months (or the opening
figures imported for a mid-year start, DOMAIN A7). A recovery never takes the
payslip's net below zero nor its gross below the monthly floor: the rest is
carried to the next months (DOMAIN A11).
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from core.decimals import ZERO, round_cents, sum_amounts
from payroll.rules import contributions, tax
from payroll.rules.floor import YEARLY_FLOOR_TOP_UP, yearly_floor_top_up
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER, PayLine
from payroll.rules.scale import Scale

BONUS = "bonus"
RECOVERY = "recovery"
RECOVERY_DEFERRED = "recovery_deferred"
ADJUSTMENT = "adjustment"  # a correction of a locked month (cycles.corrections)
# Lines that are not the month's pay for the monthly floor (A5): the
# year-end bonus and the yearly floor's top-up.
NOT_MONTH_PAY = frozenset({BONUS, YEARLY_FLOOR_TOP_UP})
YTD_FIELDS = (
    "floor_total",
    "income",
    "tax_exempt_income",
    "special_deductions",
    "special_additional_deductions",
    "other_deductions",
    "tax_withheld",
    "year_gross",
    "opening_floor_total",
    "opening_special_additional",
    "to_recover",
)
COUNT_FIELDS = ("months_paid", "opening_months")
# Rounds of the recovery limit: each round closes at least 55% of the gap
# (the top tax rate is 45%), so a few rounds reach the fen.
RECOVERY_ROUNDS = 40


@dataclass(frozen=True)
class PriorTotals:
    """Year-to-date figures after a month, stored on its payslip; the next
    month of the same year starts from them.

    A mid-year start begins from the opening figures of an earlier system
    (:meth:`from_opening`): ``opening_months`` and
    ``opening_special_additional`` say what they already cover, so the
    declared special additional deductions are added only for later months.
    ``to_recover`` is what is still to recover from earlier corrections.
    """

    income: Decimal = ZERO
    floor_total: Decimal = ZERO  # gross + employer social insurance and housing fund
    tax_exempt_income: Decimal = ZERO
    special_deductions: Decimal = ZERO
    special_additional_deductions: Decimal = ZERO
    other_deductions: Decimal = ZERO
    tax_withheld: Decimal = ZERO
    year_gross: Decimal = ZERO  # gross paid by this system in the year
    opening_floor_total: Decimal = ZERO
    opening_special_additional: Decimal = ZERO
    to_recover: Decimal = ZERO

    months_paid: int = 0  # payslips of the year at this employer, this one included
    opening_months: int = 0  # months employed that the opening figures cover

    @classmethod
    def from_dict(cls, data: dict[str, str] | None) -> PriorTotals:
        if not data:
            return cls()
        amounts = {name: Decimal(data.get(name, "0.00")) for name in YTD_FIELDS}
        counts = {name: int(data.get(name, 0)) for name in COUNT_FIELDS}
        # mypy checks each unpacked dict against every field, amounts and
        # counts alike; the names in YTD_FIELDS / COUNT_FIELDS keep them apart.
        return cls(**amounts, **counts)  # type: ignore[arg-type]

    @classmethod
    def from_opening(
        cls,
        *,
        income: Decimal,
        tax_exempt_income: Decimal,
        special_deductions: Decimal,
        special_additional_deductions: Decimal,
        other_deductions: Decimal,
        tax_withheld: Decimal,
        months_employed: int,
        floor_total: Decimal,
    ) -> PriorTotals:
        """The year-to-date figures imported for a mid-year start (DOMAIN A7),
        as of the month before the first cycle."""
        return cls(
            income=income,
            floor_total=floor_total,
            tax_exempt_income=tax_exempt_income,
            special_deductions=special_deductions,
            special_additional_deductions=special_additional_deductions,
            other_deductions=other_deductions,
            tax_withheld=tax_withheld,
            opening_floor_total=floor_total,
            opening_special_additional=special_additional_deductions,
            opening_months=months_employed,
        )

    def to_dict(self) -> dict[str, str]:
        values = {name: str(getattr(self, name)) for name in YTD_FIELDS}
        values.update({name: str(getattr(self, name)) for name in COUNT_FIELDS})
        return values


def months_employed_after_opening(
    *, opening_months: int, opening_month: int, month: int
) -> int:
    """任职受雇月份数 after opening figures: the months they cover plus the
    months since. Opening as of October covering 10 months → 11 in November."""
    return opening_months + (month - opening_month)


@dataclass(frozen=True)
class PayslipTerms:
    """The dated tables a cycle reads, as plain data."""

    social_insurance: contributions.SocialInsuranceRates
    housing_fund: contributions.HousingFundRates
    withholding: tax.WithholdingTerms
    bonus_table: tax.TaxTable | None = None
    # The last day a year-end bonus may be taxed on its own (DOMAIN A7; a
    # dated setting, demo 2027-12-31); None: no end.
    bonus_separate_until: date | None = None


@dataclass(frozen=True)
class PayslipInput:
    worker_id: int
    year: int
    month: int
    earnings: tuple[PayLine, ...]
    social_insurance_base: Decimal
    housing_fund_base: Decimal
    months_employed: int
    prior: PriorTotals = field(default_factory=PriorTotals)
    special_additional_monthly: Decimal = ZERO
    full_year_deduction_from_january: bool = False
    adjustments: tuple[PayLine, ...] = ()
    bonus: Decimal | None = None
    bonus_merged: bool = False
    annuity: tuple[PayLine, ...] = ()
    annuity_deductible: Decimal = ZERO
    # December (or the leaving month): the yearly floor check (A5) for this
    # post and scale, over the calendar days employed in the year.
    yearly_floor_post: str | None = None
    yearly_floor_scale: Scale | None = None
    yearly_floor_days: int | None = None
    days_in_year: int = 365
    # A11: the gross a recovery may not go below (the month's minimum wage,
    # prorated) and what is still to recover from earlier months.
    gross_floor: Decimal = ZERO
    recovery_carried: Decimal = ZERO
    # The special allowances the monthly floor leaves out (the scale's
    # ``floor_excluded_codes``), and so does the recovery limit.
    floor_excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PayslipResult:
    lines: tuple[PayLine, ...]
    gross: Decimal
    deductions: Decimal
    net: Decimal
    employer_cost: Decimal
    ytd: PriorTotals


def bonus_line(
    amount: Decimal, *, merged: bool, separate_until: date | None
) -> PayLine:
    return PayLine(
        code=BONUS,
        kind=EARNING,
        amount=round_cents(amount),
        rule="A7.bonus",
        params={
            "amount": str(amount),
            "merged": str(merged),
            "separate_until": separate_until.isoformat() if separate_until else "",
        },
    )


def bonus_regime_ended(year: int, month: int, until: date | None) -> bool:
    """A bonus paid after the separate-taxation regime's end date is merged
    into the cumulative calculation (DOMAIN A7): with the end 2027-12-31, a
    bonus paid in 2027-12 is taxed on its own, one paid in 2028-01 merged."""
    if until is None:
        return False
    return date(year, month, calendar.monthrange(year, month)[1]) > until


def recovery_line(code: str, amount: Decimal, *, still: Decimal) -> PayLine:
    return PayLine(
        code=code,
        kind=EARNING,
        amount=amount,
        rule="A11.recovery",
        params={"amount": str(amount), "still_to_recover": str(still)},
    )


@functools.lru_cache(maxsize=8192)
def contribution_lines(
    si_base: Decimal,
    si_rates: contributions.SocialInsuranceRates,
    hf_base: Decimal,
    hf_rates: contributions.HousingFundRates,
) -> tuple[tuple[PayLine, ...], tuple[PayLine, ...], Decimal]:
    """(employee lines, employer lines, 专项扣除) for a pair of bases.

    Memoised: the lines depend only on the bases and the rates, and most
    workers of a city share a few bases (the floor, a level's standard pay),
    so a cycle computes each distinct pair once.
    """
    employee = contributions.employee_contribution_lines(
        social_insurance_base=si_base,
        social_insurance_rates=si_rates,
        housing_fund_base=hf_base,
        housing_fund_rates=hf_rates,
    )
    employer = contributions.employer_contribution_lines(
        social_insurance_base=si_base,
        social_insurance_rates=si_rates,
        housing_fund_base=hf_base,
        housing_fund_rates=hf_rates,
    )
    return (
        employee,
        employer,
        contributions.special_deductions(employee),
    )


def compute_payslip(inp: PayslipInput, terms: PayslipTerms) -> PayslipResult:
    """Every line of one worker-month, and the year-to-date after it.

    Taxable income of the month = earnings + adjustments (+ the bonus when the
    worker merged it or its regime has ended); special deductions = the
    employee's social insurance and housing fund; other deductions = the
    deductible annuity part; special additional deductions = the opening
    figure + the declared monthly total × the months employed since.

    Recoveries (DOMAIN A11): what is still to recover from earlier months
    comes in as a ``recovery`` line; when the month's negative corrections and
    that recovery would take the gross below ``gross_floor`` or the net below
    zero, a ``recovery_deferred`` line gives back what cannot be taken now,
    and that amount is still to recover (``ytd.to_recover``).
    """
    merged = inp.bonus_merged or bonus_regime_ended(
        inp.year, inp.month, terms.bonus_separate_until
    )
    adjustment_total = sum_amounts(line.amount for line in inp.adjustments)
    recoverable = inp.recovery_carried + max(ZERO, -adjustment_total)
    result = _compute(inp, terms, merged=merged, deferred=ZERO)
    deferred = ZERO
    for _round in range(RECOVERY_ROUNDS):
        counted = floor_gross(result.lines, inp.floor_excluded)
        shortfall = max(inp.gross_floor - counted, -result.net, ZERO)
        if shortfall == ZERO or deferred >= recoverable:
            break
        deferred = min(deferred + shortfall, recoverable)
        result = _compute(inp, terms, merged=merged, deferred=deferred)
    return result


def floor_gross(lines: tuple[PayLine, ...], excluded: frozenset[str]) -> Decimal:
    """The month's gross as the monthly floor counts it (A5), which a
    recovery may not take below the floor (A11): earnings and corrections,
    without special allowances (nor their corrections), the year-end bonus
    or the yearly floor's top-up. (December's top-up repays the year, not the
    month: counting it let a recovery take a month's pay below the floor.)"""
    return sum_amounts(
        line.amount
        for line in lines
        if line.kind == EARNING
        and line.code not in NOT_MONTH_PAY
        and line.code not in excluded
        and not (line.code == ADJUSTMENT and line.params.get("item") in excluded)
    )


def _compute(
    inp: PayslipInput, terms: PayslipTerms, *, merged: bool, deferred: Decimal
) -> PayslipResult:
    recovery: list[PayLine] = []
    if inp.recovery_carried > ZERO:
        recovery.append(recovery_line(RECOVERY, -inp.recovery_carried, still=deferred))
    if deferred > ZERO:
        recovery.append(recovery_line(RECOVERY_DEFERRED, deferred, still=deferred))
    lines: list[PayLine] = [*inp.earnings, *inp.adjustments, *recovery]
    bonus = None
    if inp.bonus is not None and inp.bonus > ZERO:
        bonus = bonus_line(
            inp.bonus, merged=merged, separate_until=terms.bonus_separate_until
        )
        lines.append(bonus)
    employee, employer, special = contribution_lines(
        inp.social_insurance_base,
        terms.social_insurance,
        inp.housing_fund_base,
        terms.housing_fund,
    )
    month_pay = sum_amounts(line.amount for line in lines)
    employer_contributions = sum_amounts(line.amount for line in employer)
    month_floor = month_pay + employer_contributions
    top_up = None
    if inp.yearly_floor_scale is not None and inp.yearly_floor_post is not None:
        year_total = inp.prior.floor_total + month_floor
        year_gross = inp.prior.year_gross + month_pay
        top_up = yearly_floor_top_up(
            post=inp.yearly_floor_post,
            year_total=year_total,
            scale=inp.yearly_floor_scale,
            days=inp.yearly_floor_days,
            days_in_year=inp.days_in_year,
            holds={
                "gross": str(year_gross),
                "employer_contributions": str(
                    year_total - year_gross - inp.prior.opening_floor_total
                ),
                "opening": str(inp.prior.opening_floor_total),
            },
        )
        if top_up is not None:
            lines.append(top_up)
            month_floor += top_up.amount
            month_pay += top_up.amount
    lines.extend(employee)
    lines.extend(line for line in inp.annuity if line.kind == DEDUCTION)

    month_income = sum_amounts(
        line.amount for line in (*inp.earnings, *inp.adjustments, *recovery)
    )
    if bonus is not None and merged:
        month_income += bonus.amount
    if top_up is not None:
        month_income += top_up.amount
    special_additional = inp.prior.opening_special_additional + (
        inp.special_additional_monthly
        * (inp.months_employed - inp.prior.opening_months)
    )
    ytd = tax.YearToDate(
        income=inp.prior.income + month_income,
        tax_exempt_income=inp.prior.tax_exempt_income,
        months_employed=inp.months_employed,
        special_deductions=inp.prior.special_deductions + special,
        special_additional_deductions=special_additional,
        other_deductions=inp.prior.other_deductions + inp.annuity_deductible,
        tax_withheld=inp.prior.tax_withheld,
    )
    iit = tax.withhold_monthly_tax(
        ytd,
        terms.withholding,
        full_year_deduction_from_january=inp.full_year_deduction_from_january,
    )
    lines.append(iit)
    if bonus is not None and not merged:
        if terms.bonus_table is None:
            raise ValueError("a separately taxed bonus needs the monthly tax table")
        bonus_tax = tax.annual_bonus_tax(bonus.amount, terms.bonus_table)
        if bonus_tax is not None:
            lines.append(bonus_tax)

    lines.extend(employer)
    lines.extend(line for line in inp.annuity if line.kind == EMPLOYER)

    totals = {EARNING: ZERO, DEDUCTION: ZERO, EMPLOYER: ZERO}
    for line in lines:
        totals[line.kind] += line.amount
    gross, deductions = totals[EARNING], totals[DEDUCTION]
    after = replace(
        inp.prior,
        income=ytd.income,
        floor_total=inp.prior.floor_total + month_floor,
        year_gross=inp.prior.year_gross + month_pay,
        months_paid=inp.prior.months_paid + 1,
        tax_exempt_income=ytd.tax_exempt_income,
        special_deductions=ytd.special_deductions,
        special_additional_deductions=ytd.special_additional_deductions,
        other_deductions=ytd.other_deductions,
        tax_withheld=ytd.tax_withheld + iit.amount,
        to_recover=deferred,
    )
    return PayslipResult(
        lines=tuple(lines),
        gross=gross,
        deductions=deductions,
        net=gross - deductions,
        employer_cost=totals[EMPLOYER],
        ytd=after,
    )
