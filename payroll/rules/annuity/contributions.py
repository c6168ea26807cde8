"""A member's month: when membership starts, the contribution base, the
member's and the employer's contributions and the member's deductible part
(财税〔2013〕103号).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.decimals import round_cents
from payroll.rules.contributions import average_monthly_gross
from payroll.rules.lines import DEDUCTION, EMPLOYER, PayLine

from .plans import AnnuityPlanTerms, AnnuityTaxLimits

ANNUITY_MEMBER = "ANNUITY_MEMBER"
ANNUITY_EMPLOYER = "ANNUITY_EMPLOYER"


def membership_start(appointed_on: date) -> date:
    """Membership starts on the first day of the month after appointment (A8).

    Appointed 2026-03-15 → 2026-04-01; appointed 2026-12-01 → 2027-01-01.
    """
    if appointed_on.month == 12:
        return date(appointed_on.year + 1, 1, 1)
    return date(appointed_on.year, appointed_on.month + 1, 1)


def annuity_base(previous_year_monthly_wages: Sequence[Decimal]) -> Decimal:
    """The contribution base: the average monthly wage of the previous year (A8).

    Not clamped. Twelve months of 8,000.00 → 8,000.00.
    """
    return average_monthly_gross(previous_year_monthly_wages)


def deductible_member_contribution(
    contribution: Decimal, base: Decimal, limits: AnnuityTaxLimits
) -> Decimal:
    """The tax-deductible part of the member contribution (财税〔2013〕103号).

    ``min(contribution, 4% × min(base, 3 × city average monthly wage))``; it
    goes into ``YearToDate.other_deductions``; any excess is taxed as wages.
    Base 8,000, contribution 320 → 320.00. Base 40,000, contribution 1,600,
    city average 11,000 → 4% × 33,000 = 1,320.00.
    """
    capped_base = min(base, limits.city_average_monthly_wage * limits.base_cap_multiple)
    return round_cents(min(contribution, capped_base * limits.deductible_rate))


@dataclass(frozen=True)
class AnnuityContribution:
    """One month's contributions of a member; ``deductible`` feeds the IIT."""

    member: PayLine
    employer: PayLine
    deductible: Decimal

    @property
    def lines(self) -> tuple[PayLine, PayLine]:
        return (self.member, self.employer)


def monthly_contributions(
    base: Decimal, terms: AnnuityPlanTerms, limits: AnnuityTaxLimits
) -> AnnuityContribution:
    """The member's monthly annuity contributions (DOMAIN A8).

    Employer part = base × employer rate (an employer line); member part =
    base × member rate, withheld from pay (a deduction line) whose
    tax-deductible portion is in ``params["deductible"]`` and
    ``.deductible``. Base 8,000.00 at 8% / 4% → employer 640.00, member
    320.00, deductible 320.00.
    """
    if base < 0:
        raise ValueError(f"annuity base must not be negative, got {base}")
    employer_amount = round_cents(base * terms.employer_rate)
    member_amount = round_cents(base * terms.member_rate)
    deductible = deductible_member_contribution(member_amount, base, limits)
    member = PayLine(
        code=ANNUITY_MEMBER,
        kind=DEDUCTION,
        amount=member_amount,
        rule="A8.annuity.member",
        version=terms.version,
        params={
            "base": str(base),
            "rate": str(terms.member_rate),
            "amount": str(member_amount),
            "deductible": str(deductible),
            "deductible_rate": str(limits.deductible_rate),
            "deductible_base_cap": str(
                limits.city_average_monthly_wage * limits.base_cap_multiple
            ),
        },
    )
    employer = PayLine(
        code=ANNUITY_EMPLOYER,
        kind=EMPLOYER,
        amount=employer_amount,
        rule="A8.annuity.employer",
        version=terms.version,
        params={
            "base": str(base),
            "rate": str(terms.employer_rate),
            "amount": str(employer_amount),
        },
    )
    return AnnuityContribution(member=member, employer=employer, deductible=deductible)
