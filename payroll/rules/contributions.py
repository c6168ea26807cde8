"""Social insurance and housing fund (DOMAIN A7, Part B 7.1–7.2).

Pure rules: every rate, floor and cap is a dated table row that a selector
turns into the frozen dataclasses below. Nothing here reads settings, the
clock or the database.

Worked example (DOMAIN 7.3): a worker whose contribution base is 20,000.00
pays pension 1,600.00, medical 400.00, unemployment 100.00 and housing fund
2,400.00, so the special deductions (专项扣除) of the month are 4,500.00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.decimals import check_fraction, round_cents, sum_amounts
from payroll.rules.lines import DEDUCTION, EMPLOYER, PayLine
from payroll.rules.scale import Scale

SI_PENSION = "SI_PENSION"
SI_MEDICAL = "SI_MEDICAL"
SI_UNEMPLOYMENT = "SI_UNEMPLOYMENT"
SI_PENSION_EMPLOYER = "SI_PENSION_EMPLOYER"
SI_MEDICAL_EMPLOYER = "SI_MEDICAL_EMPLOYER"
SI_UNEMPLOYMENT_EMPLOYER = "SI_UNEMPLOYMENT_EMPLOYER"
SI_WORK_INJURY_EMPLOYER = "SI_WORK_INJURY_EMPLOYER"
HOUSING_FUND = "HOUSING_FUND"
HOUSING_FUND_EMPLOYER = "HOUSING_FUND_EMPLOYER"

# Employee lines that make up 专项扣除 for the income tax (DOMAIN A7, 7.3).
SPECIAL_DEDUCTION_CODES = frozenset(
    {SI_PENSION, SI_MEDICAL, SI_UNEMPLOYMENT, HOUSING_FUND}
)

BASE_FROM_AVERAGE = "previous_year_average"
BASE_FROM_FIRST_FULL_MONTH = "first_full_month_standard_pay"


@dataclass(frozen=True)
class SocialInsuranceRates:
    """Social insurance rates as fractions (DOMAIN A7; demo values in brackets).

    Employee: pension (0.08), medical (0.02), unemployment (0.005).
    Employer: pension (0.16), medical (0.07, maternity folded in),
    unemployment (0.005), work injury (0.002).
    """

    employee_pension: Decimal
    employee_medical: Decimal
    employee_unemployment: Decimal
    employer_pension: Decimal
    employer_medical: Decimal
    employer_unemployment: Decimal
    employer_work_injury: Decimal
    version: str = ""

    def __post_init__(self) -> None:
        for name in (
            "employee_pension",
            "employee_medical",
            "employee_unemployment",
            "employer_pension",
            "employer_medical",
            "employer_unemployment",
            "employer_work_injury",
        ):
            check_fraction(name, getattr(self, name))


@dataclass(frozen=True)
class HousingFundRates:
    """Housing fund (住房公积金) rates as fractions (DOMAIN A7: 0.12 and 0.12).

    Part B 7.2: employer and employee pay the same rate within 5%–12%; the
    rate is stored per employer, so it is data, not checked here.
    """

    employee_rate: Decimal
    employer_rate: Decimal
    version: str = ""

    def __post_init__(self) -> None:
        check_fraction("employee_rate", self.employee_rate)
        check_fraction("employer_rate", self.employer_rate)


@dataclass(frozen=True)
class ContributionBaseLimits:
    """The closed interval a contribution base is clamped to.

    Social insurance (DOMAIN A7, Jiangsu demo): ``floor=4879``,
    ``ceiling=24396``. For the housing fund use :meth:`for_housing_fund`.
    """

    floor: Decimal
    ceiling: Decimal
    version: str = ""

    def __post_init__(self) -> None:
        if self.floor < 0 or self.ceiling < self.floor:
            raise ValueError(
                f"base limits need 0 <= floor <= ceiling, got "
                f"[{self.floor}, {self.ceiling}]"
            )

    @classmethod
    def for_housing_fund(
        cls,
        *,
        minimum_wage: Decimal,
        city_average_monthly_wage: Decimal,
        cap_multiple: Decimal,
        version: str = "",
    ) -> ContributionBaseLimits:
        """Housing fund base limits (DOMAIN A7, Part B 7.2).

        Floored at the local minimum wage, capped at ``cap_multiple`` × the
        city's previous-year average monthly wage. Demo: minimum wage 2,490,
        city average 132,000 ÷ 12 = 11,000, multiple 3 → [2,490, 33,000].
        """
        return cls(
            floor=round_cents(minimum_wage),
            ceiling=round_cents(city_average_monthly_wage * cap_multiple),
            version=version,
        )


@dataclass(frozen=True)
class BaseProposal:
    """A proposed yearly contribution base and how it was found.

    ``source`` is :data:`BASE_FROM_AVERAGE` or
    :data:`BASE_FROM_FIRST_FULL_MONTH`; ``unclamped`` is the figure before the
    clamp, so staff can see when a floor or a ceiling applied.
    """

    base: Decimal
    unclamped: Decimal
    source: str
    params: Mapping[str, str]


def base_reference_year(*, year: int, month: int, start_month: int) -> int:
    """The calendar year whose pay sets the contribution base used in a month.

    DOMAIN A7: the base is set once a year for the social-insurance year
    that starts in ``start_month`` (July in Jiangsu, passed in) and runs to
    the month before in the next year, from the average of the previous
    calendar year. With July: 2026-07 → 2025; 2027-06 → 2025; 2026-06 → 2024.
    """
    if not 1 <= month <= 12 or not 1 <= start_month <= 12:
        raise ValueError(f"months must be 1–12, got {month} and {start_month}")
    starts_in = year if month >= start_month else year - 1
    return starts_in - 1


def average_monthly_gross(full_month_grosses: Sequence[Decimal]) -> Decimal:
    """Average monthly gross of the previous calendar year, to the fen.

    Only months worked in full are passed in: a part month would understate
    the average. ``[10000.00, 10000.01, 10000.01]`` → 30,000.02 ÷ 3 =
    10,000.00666… → ``10000.01`` (half up).
    """
    if not full_month_grosses:
        raise ValueError("no full month to average")
    return round_cents(sum_amounts(full_month_grosses) / len(full_month_grosses))


def clamp_base(amount: Decimal, limits: ContributionBaseLimits) -> Decimal:
    """Clamp a contribution base to ``[limits.floor, limits.ceiling]``, to the fen.

    DOMAIN A7, Jiangsu demo limits [4,879, 24,396]: 3,000 → 4,879.00;
    30,000 → 24,396.00; 10,000 → 10,000.00.
    """
    return round_cents(min(max(amount, limits.floor), limits.ceiling))


def within_limits(amount: Decimal, limits: ContributionBaseLimits) -> bool:
    """Whether a base typed or imported by staff lies within the limits in
    force (DOMAIN A7: one outside is refused, with the limits in the
    message): [4,879, 24,396] → 3,000 no, 4,879 yes, 40,000 no."""
    return limits.floor <= amount <= limits.ceiling


def propose_base(
    full_month_grosses: Sequence[Decimal],
    limits: ContributionBaseLimits,
    *,
    first_full_month_standard_pay: Decimal | None = None,
) -> BaseProposal:
    """Propose a worker's contribution base for the coming contribution year.

    DOMAIN A7: the average monthly gross of the previous calendar year,
    clamped to the limits. A worker with no full month in the previous year
    gets the standard monthly pay of the first full month (S(n) + post
    allowance + 一肩挑), clamped. The same rule proposes the housing fund
    base with :meth:`ContributionBaseLimits.for_housing_fund`.

    Example: twelve months of 20,000.00 → 20,000.00; a worker who joined in
    January this year (no full month last year) with S(n) + allowance 4,800
    → 4,879.00 (the Jiangsu floor). Staff may correct the proposal.
    """
    if full_month_grosses:
        unclamped = average_monthly_gross(full_month_grosses)
        source = BASE_FROM_AVERAGE
        params = {
            "months": str(len(full_month_grosses)),
            "total_gross": str(sum_amounts(full_month_grosses)),
        }
    elif first_full_month_standard_pay is not None:
        unclamped = round_cents(first_full_month_standard_pay)
        source = BASE_FROM_FIRST_FULL_MONTH
        params = {"standard_pay": str(unclamped)}
    else:
        raise ValueError(
            "no full month in the previous year and no standard pay of the "
            "first full month"
        )
    base = clamp_base(unclamped, limits)
    params |= {
        "source": source,
        "average": str(unclamped),
        "floor": str(limits.floor),
        "ceiling": str(limits.ceiling),
        "base": str(base),
    }
    return BaseProposal(base=base, unclamped=unclamped, source=source, params=params)


def _line(
    code: str, kind: str, base: Decimal, rate: Decimal, rule: str, version: str
) -> PayLine:
    if base < 0:
        raise ValueError(f"contribution base must not be negative, got {base}")
    amount = round_cents(base * rate)
    return PayLine(
        code=code,
        kind=kind,
        amount=amount,
        rule=rule,
        version=version,
        params={"base": str(base), "rate": str(rate), "amount": str(amount)},
    )


def social_insurance_employee_lines(
    base: Decimal, rates: SocialInsuranceRates
) -> tuple[PayLine, ...]:
    """The worker's social insurance deductions for one month (DOMAIN A7, 7.1).

    Each line is base × rate, rounded to the fen half up. Base 20,000.00 at
    8% / 2% / 0.5% → pension 1,600.00, medical 400.00, unemployment 100.00.
    Base 4,881.00 × 0.5% = 24.405 → 24.41.
    """
    return (
        _line(
            SI_PENSION,
            DEDUCTION,
            base,
            rates.employee_pension,
            "A7.si.pension",
            rates.version,
        ),
        _line(
            SI_MEDICAL,
            DEDUCTION,
            base,
            rates.employee_medical,
            "A7.si.medical",
            rates.version,
        ),
        _line(
            SI_UNEMPLOYMENT,
            DEDUCTION,
            base,
            rates.employee_unemployment,
            "A7.si.unemployment",
            rates.version,
        ),
    )


def social_insurance_employer_lines(
    base: Decimal, rates: SocialInsuranceRates
) -> tuple[PayLine, ...]:
    """The employer's social insurance for one month (DOMAIN A7).

    Base 20,000.00 at 16% / 7% / 0.5% / 0.2% → pension 3,200.00, medical
    1,400.00, unemployment 100.00, work injury 40.00.
    """
    return (
        _line(
            SI_PENSION_EMPLOYER,
            EMPLOYER,
            base,
            rates.employer_pension,
            "A7.si.pension.employer",
            rates.version,
        ),
        _line(
            SI_MEDICAL_EMPLOYER,
            EMPLOYER,
            base,
            rates.employer_medical,
            "A7.si.medical.employer",
            rates.version,
        ),
        _line(
            SI_UNEMPLOYMENT_EMPLOYER,
            EMPLOYER,
            base,
            rates.employer_unemployment,
            "A7.si.unemployment.employer",
            rates.version,
        ),
        _line(
            SI_WORK_INJURY_EMPLOYER,
            EMPLOYER,
            base,
            rates.employer_work_injury,
            "A7.si.work_injury.employer",
            rates.version,
        ),
    )


def housing_fund_employee_line(base: Decimal, rates: HousingFundRates) -> PayLine:
    """The worker's housing fund deduction (DOMAIN A7, 7.2).

    Base 20,000.00 × 12% → 2,400.00. The base is already floored and capped
    (see :meth:`ContributionBaseLimits.for_housing_fund`).
    """
    return _line(
        HOUSING_FUND,
        DEDUCTION,
        base,
        rates.employee_rate,
        "A7.housing_fund",
        rates.version,
    )


def housing_fund_employer_line(base: Decimal, rates: HousingFundRates) -> PayLine:
    """The employer's housing fund contribution (DOMAIN A7): 20,000.00 × 12% → 2,400.00."""
    return _line(
        HOUSING_FUND_EMPLOYER,
        EMPLOYER,
        base,
        rates.employer_rate,
        "A7.housing_fund.employer",
        rates.version,
    )


def employee_contribution_lines(
    *,
    social_insurance_base: Decimal,
    social_insurance_rates: SocialInsuranceRates,
    housing_fund_base: Decimal,
    housing_fund_rates: HousingFundRates,
) -> tuple[PayLine, ...]:
    """All employee deduction lines of the month: social insurance then housing fund."""
    return (
        *social_insurance_employee_lines(social_insurance_base, social_insurance_rates),
        housing_fund_employee_line(housing_fund_base, housing_fund_rates),
    )


def employer_contribution_lines(
    *,
    social_insurance_base: Decimal,
    social_insurance_rates: SocialInsuranceRates,
    housing_fund_base: Decimal,
    housing_fund_rates: HousingFundRates,
) -> tuple[PayLine, ...]:
    """All employer lines of the month: social insurance then housing fund."""
    return (
        *social_insurance_employer_lines(social_insurance_base, social_insurance_rates),
        housing_fund_employer_line(housing_fund_base, housing_fund_rates),
    )


def special_deductions(lines: Iterable[PayLine]) -> Decimal:
    """专项扣除 of the month: the employee social insurance and housing fund lines.

    DOMAIN 7.3: 1,600 + 400 + 100 + 2,400 = 4,500.00. Other lines are ignored,
    so a whole payslip can be passed in.
    """
    return sum_amounts(
        line.amount
        for line in lines
        if line.kind == DEDUCTION and line.code in SPECIAL_DEDUCTION_CODES
    )


def standard_monthly_pay(
    scale: Scale, post: str, level: int, one_shoulder: bool
) -> Decimal:
    """S(n) + post allowance (+ 一肩挑): the base of a worker with no full
    month in the previous year (DOMAIN A7)."""
    pay = scale.standard_pay[level] + scale.post_allowance.get(post, Decimal("0"))
    if one_shoulder:
        pay += scale.one_shoulder_supplement
    return pay
