"""A whole payslip from its parts (DOMAIN A4, A7, A8): pure, no Django.

The month's earnings (``earnings.month_earnings``) and any adjustment lines
come in ready; this adds the bonus, the employee's and the employer's social
insurance and housing fund, the annuity lines, and income tax by cumulative
withholding over the year-to-date figures of earlier months.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from core.decimals import ZERO, round_cents, sum_amounts
from payroll.rules import contributions, tax
from payroll.rules.floor import yearly_floor_top_up
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER, PayLine
from payroll.rules.scale import Scale

BONUS = "bonus"
YTD_FIELDS = (
    "floor_total",
    "income",
    "tax_exempt_income",
    "special_deductions",
    "special_additional_deductions",
    "other_deductions",
    "tax_withheld",
)


@dataclass(frozen=True)
class PriorTotals:
    """Year-to-date figures after a month, stored on its payslip; the next
    month of the same year starts from them."""

    income: Decimal = ZERO
    floor_total: Decimal = ZERO  # gross + employer social insurance and housing fund
    tax_exempt_income: Decimal = ZERO
    special_deductions: Decimal = ZERO
    special_additional_deductions: Decimal = ZERO
    other_deductions: Decimal = ZERO
    tax_withheld: Decimal = ZERO

    months_paid: int = 0  # payslips of the year at this employer, this one included

    @classmethod
    def from_dict(cls, data: dict[str, str] | None) -> PriorTotals:
        if not data:
            return cls()
        return cls(
            **{name: Decimal(data.get(name, "0.00")) for name in YTD_FIELDS},
            months_paid=int(data.get("months_paid", 0)),
        )

    def to_dict(self) -> dict[str, str]:
        values = {name: str(getattr(self, name)) for name in YTD_FIELDS}
        values["months_paid"] = str(self.months_paid)
        return values


@dataclass(frozen=True)
class PayslipTerms:
    """The dated tables a cycle reads, as plain data."""

    social_insurance: contributions.SocialInsuranceRates
    housing_fund: contributions.HousingFundRates
    withholding: tax.WithholdingTerms
    bonus_table: tax.TaxTable | None = None


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
    # December: the yearly floor check (A5) for this post and scale.
    yearly_floor_post: str | None = None
    yearly_floor_scale: Scale | None = None


@dataclass(frozen=True)
class PayslipResult:
    lines: tuple[PayLine, ...]
    gross: Decimal
    deductions: Decimal
    net: Decimal
    employer_cost: Decimal
    ytd: PriorTotals


def bonus_line(amount: Decimal, *, merged: bool) -> PayLine:
    return PayLine(
        code=BONUS,
        kind=EARNING,
        amount=round_cents(amount),
        rule="A7.bonus",
        params={"amount": str(amount), "merged": str(merged)},
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
    worker merged it); special deductions = the employee's social insurance
    and housing fund; other deductions = the deductible annuity part;
    special additional deductions = the declared monthly total × months
    employed. A separately taxed bonus gets its own tax line (A7).
    """
    lines: list[PayLine] = [*inp.earnings, *inp.adjustments]
    bonus = None
    if inp.bonus is not None and inp.bonus > ZERO:
        bonus = bonus_line(inp.bonus, merged=inp.bonus_merged)
        lines.append(bonus)
    employee, employer, special = contribution_lines(
        inp.social_insurance_base,
        terms.social_insurance,
        inp.housing_fund_base,
        terms.housing_fund,
    )
    month_pay = sum_amounts(line.amount for line in lines)
    month_floor = month_pay + sum_amounts(line.amount for line in employer)
    top_up = None
    if inp.yearly_floor_scale is not None and inp.yearly_floor_post is not None:
        top_up = yearly_floor_top_up(
            post=inp.yearly_floor_post,
            year_total=inp.prior.floor_total + month_floor,
            scale=inp.yearly_floor_scale,
            # The floor of the months this system paid: a city that starts
            # mid-year compares only what it paid (documented in docs/payroll.md).
            months=min(inp.prior.months_paid + 1, 12),
        )
        if top_up is not None:
            lines.append(top_up)
            month_floor += top_up.amount
    lines.extend(employee)
    lines.extend(line for line in inp.annuity if line.kind == DEDUCTION)

    month_income = sum_amounts(
        line.amount for line in (*inp.earnings, *inp.adjustments)
    )
    if bonus is not None and inp.bonus_merged:
        month_income += bonus.amount
    if top_up is not None:
        month_income += top_up.amount
    ytd = tax.YearToDate(
        income=inp.prior.income + month_income,
        tax_exempt_income=inp.prior.tax_exempt_income,
        months_employed=inp.months_employed,
        special_deductions=inp.prior.special_deductions + special,
        special_additional_deductions=inp.special_additional_monthly
        * inp.months_employed,
        other_deductions=inp.prior.other_deductions + inp.annuity_deductible,
        tax_withheld=inp.prior.tax_withheld,
    )
    iit = tax.withhold_monthly_tax(
        ytd,
        terms.withholding,
        full_year_deduction_from_january=inp.full_year_deduction_from_january,
    )
    lines.append(iit)
    if bonus is not None and not inp.bonus_merged:
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
    after = PriorTotals(
        income=ytd.income,
        floor_total=inp.prior.floor_total + month_floor,
        months_paid=inp.prior.months_paid + 1,
        tax_exempt_income=ytd.tax_exempt_income,
        special_deductions=ytd.special_deductions,
        special_additional_deductions=ytd.special_additional_deductions,
        other_deductions=ytd.other_deductions,
        tax_withheld=ytd.tax_withheld + iit.amount,
    )
    return PayslipResult(
        lines=tuple(lines),
        gross=gross,
        deductions=deductions,
        net=gross - deductions,
        employer_cost=totals[EMPLOYER],
        ytd=after,
    )
