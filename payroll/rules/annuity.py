"""The secretaries' enterprise annuity (企业年金), DOMAIN A8 and Part B 5.

Pure rules over the plan terms (a dated table row), the member's base and
dates. National rules, 《企业年金办法》 (人社部、财政部令第36号, in force
2018-02-01): employer contributions ≤ 8% and employer + members ≤ 12% of the
members' total wages; 「企业当期缴费计入职工企业年金个人账户的最高额不得
超过平均额的5倍」; the member's own part is vested from the start, the
employer part within at most 8 years (「完全归属于职工个人的期限最长不超过
8年」) and in full at once on the listed events. Tax, 财税〔2013〕103号: the
member's part is deductible up to 4% of the base, the base capped at 3× the
city's previous-year average monthly wage.

DOMAIN A8 counts vesting years from the start of membership (the first of
the month after appointment); the national text speaks of years of work at
the employer, which for a secretary in office is the longer or equal period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from itertools import pairwise

from core.decimals import CENT, ZERO, check_fraction, round_cents, sum_amounts
from core.rules import full_years_between
from payroll.rules.contributions import average_monthly_gross
from payroll.rules.lines import DEDUCTION, EMPLOYER, PayLine

ANNUITY_MEMBER = "ANNUITY_MEMBER"
ANNUITY_EMPLOYER = "ANNUITY_EMPLOYER"

# 《企业年金办法》: 完全归属于职工个人的期限最长不超过8年.
MAX_FULL_VESTING_YEARS = 8

CAP_EMPLOYER = "employer_cap"
CAP_TOTAL = "total_cap"
CAP_CREDIT_RATIO = "credit_ratio"

EMPLOYER_CAP_MESSAGE = (
    "单位缴费合计 {employer_total} 元，超过成员工资总额 {wages_total} 元的 "
    "{percent}%（上限 {cap} 元）。"
)
TOTAL_CAP_MESSAGE = (
    "单位和个人缴费合计 {total} 元，超过成员工资总额 {wages_total} 元的 "
    "{percent}%（上限 {cap} 元）。"
)
LEGAL_EMPLOYER_RATE_MESSAGE = "单位缴费比例 {rate}% 超过法定上限 {cap}%（{version}）。"
LEGAL_TOTAL_RATE_MESSAGE = (
    "单位和个人缴费比例合计 {rate}% 超过法定上限 {cap}%（{version}）。"
)
LEGAL_CAP_RAISED_MESSAGE = (
    "方案的{name} {value} 高于法定上限 {cap}（{version}），方案不能提高法定上限。"
)
CREDIT_RATIO_MESSAGE = (
    "成员 {member} 的单位缴费 {employer} 元，超过人均单位缴费 {average} 元的 "
    "{ratio} 倍（上限 {cap} 元）。"
)


class VestingEvent(StrEnum):
    """Events on which the employer part vests at once (《企业年金办法》).

    ``LEFT_WITHOUT_OWN_FAULT`` covers the employer ending the contract
    without the member's fault, the member ending it for the employer's
    breach, and a contract not renewed for the employer's reasons.
    """

    RETIREMENT = "retirement"
    DEATH = "death"
    TOTAL_INCAPACITY = "total_incapacity"
    LEFT_WITHOUT_OWN_FAULT = "left_without_own_fault"
    PLAN_TERMINATION = "plan_termination"


STATUTORY_VESTING_EVENTS: frozenset[str] = frozenset(VestingEvent)


@dataclass(frozen=True)
class AnnuityPlanTerms:
    """The plan's terms (DOMAIN A8; demo values in brackets).

    - ``employer_rate`` (0.08) and ``member_rate`` (0.04) of the base;
    - ``employer_cap_rate`` (0.08) and ``total_cap_rate`` (0.12) of the
      members' total wages;
    - ``max_credit_ratio`` (5): no member's employer credit above this many
      times the average;
    - ``vesting_schedule``: ``(full years of membership, vested fraction)``
      steps, ascending; demo ``((1, 0.125), (2, 0.25), …, (8, 1))`` — under
      one year nothing is vested;
    - ``immediate_vesting_events``: at least the statutory
      :class:`VestingEvent` values; a plan may add its own
      (「企业年金方案约定的其他情形」).
    """

    employer_rate: Decimal
    member_rate: Decimal
    employer_cap_rate: Decimal
    total_cap_rate: Decimal
    max_credit_ratio: Decimal
    vesting_schedule: tuple[tuple[int, Decimal], ...]
    immediate_vesting_events: frozenset[str] = STATUTORY_VESTING_EVENTS
    version: str = ""

    def __post_init__(self) -> None:
        for name in ("employer_rate", "member_rate", "employer_cap_rate"):
            check_fraction(name, getattr(self, name))
        check_fraction("total_cap_rate", self.total_cap_rate)
        if self.max_credit_ratio < 1:
            raise ValueError("max_credit_ratio must be at least 1")
        schedule = self.vesting_schedule
        if not schedule:
            raise ValueError("the vesting schedule needs at least one step")
        if any(years < 0 for years, _ in schedule):
            raise ValueError("vesting years must not be negative")
        if any(a[0] >= b[0] for a, b in pairwise(schedule)):
            raise ValueError("vesting years must be strictly increasing")
        if any(not ZERO <= fraction <= 1 for _, fraction in schedule):
            raise ValueError("vested fractions must be within [0, 1]")
        if any(a[1] > b[1] for a, b in pairwise(schedule)):
            raise ValueError("vested fractions must not decrease")
        fully_vested = [years for years, fraction in schedule if fraction == 1]
        if not fully_vested or fully_vested[0] > MAX_FULL_VESTING_YEARS:
            raise ValueError(
                f"the employer part must vest in full within "
                f"{MAX_FULL_VESTING_YEARS} years (《企业年金办法》)"
            )
        missing = STATUTORY_VESTING_EVENTS - self.immediate_vesting_events
        if missing:
            raise ValueError(
                f"statutory immediate-vesting events missing: {sorted(missing)}"
            )


@dataclass(frozen=True)
class LegalCaps:
    """The caps of national law (《企业年金办法》 art. 15, 17; DOMAIN A8), a
    dated table of their own that no plan version can raise: employer ≤ 8%
    and employer + members ≤ 12% of the members' total wages of the plan
    year; no member's employer credit above 5× the average."""

    employer_rate: Decimal
    total_rate: Decimal
    max_credit_ratio: Decimal
    version: str = ""


def plan_legal_violations(terms: AnnuityPlanTerms, legal: LegalCaps) -> list[str]:
    """Why a plan version's terms break the legal caps (empty when they
    don't): its rates above them, or its own caps set higher. Employer 9%
    against 8% → 「单位缴费比例 9% 超过法定上限 8%（…）。」"""
    version = legal.version
    problems: list[str] = []
    if terms.employer_rate > legal.employer_rate:
        problems.append(
            LEGAL_EMPLOYER_RATE_MESSAGE.format(
                rate=_percent(terms.employer_rate),
                cap=_percent(legal.employer_rate),
                version=version,
            )
        )
    if terms.employer_rate + terms.member_rate > legal.total_rate:
        problems.append(
            LEGAL_TOTAL_RATE_MESSAGE.format(
                rate=_percent(terms.employer_rate + terms.member_rate),
                cap=_percent(legal.total_rate),
                version=version,
            )
        )
    for name, value, cap in (
        ("单位缴费上限", terms.employer_cap_rate, legal.employer_rate),
        ("缴费合计上限", terms.total_cap_rate, legal.total_rate),
        ("单位缴费分配倍数上限", terms.max_credit_ratio, legal.max_credit_ratio),
    ):
        if value > cap:
            problems.append(
                LEGAL_CAP_RAISED_MESSAGE.format(
                    name=name,
                    value=format(value.normalize(), "f"),
                    cap=format(cap.normalize(), "f"),
                    version=version,
                )
            )
    return problems


@dataclass(frozen=True)
class AnnuityTaxLimits:
    """Deductibility of the member part (财税〔2013〕103号; demo in brackets).

    ``deductible_rate`` (0.04) of the member's base, the base capped at
    ``base_cap_multiple`` (3) × ``city_average_monthly_wage`` (11,000).
    """

    deductible_rate: Decimal
    base_cap_multiple: Decimal
    city_average_monthly_wage: Decimal
    version: str = ""


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


@dataclass(frozen=True)
class MemberPeriod:
    """A member's figures over the checked period (a month or a plan year).

    ``member`` is the name or number shown in messages; ``wages`` the
    member's total wages (工资总额) of the period.
    """

    member: str
    wages: Decimal
    employer_contribution: Decimal
    member_contribution: Decimal


@dataclass(frozen=True)
class CapViolation:
    """A broken cap: ``code`` is one of ``CAP_*``, ``message`` in Chinese."""

    code: str
    message: str
    params: Mapping[str, str]


def _percent(rate: Decimal) -> str:
    return format((rate * 100).normalize(), "f")


def _cap_shown(cap: Decimal) -> str:
    # Cut down to the fen: a fen amount exceeds the exact cap exactly when it
    # exceeds this figure, so the message never shows a total equal to its cap.
    return str(cap.quantize(CENT, rounding=ROUND_FLOOR))


def plan_year_projection(
    year_to_date: MemberPeriod,
    *,
    full_time_month_wages: Decimal,
    months_remaining: int,
) -> MemberPeriod:
    """A member's plan year as far as it is certain (DOMAIN A8: the caps are
    yearly). ``year_to_date`` holds the year's wages and contributions up to
    and including the month computed; the wages of the ``months_remaining``
    months of the year still to come are counted at this month's full-time
    pay, their contributions not at all. So a month whose contributions run
    ahead of its pay (a base that holds last December's floor top-up) still
    computes, and December measures the whole year exactly.

    January: wages 9,000.00, employer 840.00, 11 months to come → wages
    108,000.00, employer 840.00.
    """
    return MemberPeriod(
        member=year_to_date.member,
        wages=year_to_date.wages + full_time_month_wages * months_remaining,
        employer_contribution=year_to_date.employer_contribution,
        member_contribution=year_to_date.member_contribution,
    )


def check_caps(
    members: Sequence[MemberPeriod],
    terms: AnnuityPlanTerms,
    legal: LegalCaps | None = None,
) -> list[CapViolation]:
    """The plan caps over a set of members (《企业年金办法》; DOMAIN A8).

    1. Σ employer ≤ employer cap rate (8%) × Σ wages;
    2. Σ (employer + member) ≤ total cap rate (12%) × Σ wages;
    3. each member's employer credit ≤ max ratio (5) × the average credit.

    Each cap is the plan's or the legal one (``legal``), whichever is lower.

    Returns the violations, empty when all caps hold. Example: wages
    100,000.00 with employer 8,000.01 → 「单位缴费合计 8000.01 元，超过成员
    工资总额 100000.00 元的 8%（上限 8000.00 元）。」
    """
    if not members:
        return []
    wages_total = sum_amounts(m.wages for m in members)
    employer_total = sum_amounts(m.employer_contribution for m in members)
    member_total = sum_amounts(m.member_contribution for m in members)
    total = employer_total + member_total
    violations: list[CapViolation] = []
    employer_rate = terms.employer_cap_rate
    total_rate = terms.total_cap_rate
    ratio = terms.max_credit_ratio
    if legal is not None:
        employer_rate = min(employer_rate, legal.employer_rate)
        total_rate = min(total_rate, legal.total_rate)
        ratio = min(ratio, legal.max_credit_ratio)

    employer_cap = wages_total * employer_rate
    if employer_total > employer_cap:
        params = {
            "employer_total": str(employer_total),
            "wages_total": str(wages_total),
            "percent": _percent(employer_rate),
            "cap": _cap_shown(employer_cap),
        }
        violations.append(
            CapViolation(CAP_EMPLOYER, EMPLOYER_CAP_MESSAGE.format(**params), params)
        )

    total_cap = wages_total * total_rate
    if total > total_cap:
        params = {
            "total": str(total),
            "wages_total": str(wages_total),
            "percent": _percent(total_rate),
            "cap": _cap_shown(total_cap),
        }
        violations.append(
            CapViolation(CAP_TOTAL, TOTAL_CAP_MESSAGE.format(**params), params)
        )

    average = employer_total / len(members)
    credit_cap = average * ratio
    for m in members:
        if m.employer_contribution > credit_cap:
            params = {
                "member": m.member,
                "employer": str(m.employer_contribution),
                "average": str(round_cents(average)),
                "ratio": format(ratio.normalize(), "f"),
                "cap": _cap_shown(credit_cap),
            }
            violations.append(
                CapViolation(
                    CAP_CREDIT_RATIO, CREDIT_RATIO_MESSAGE.format(**params), params
                )
            )
    return violations


def vested_fraction(
    years: int, schedule: Sequence[tuple[int, Decimal]] | AnnuityPlanTerms
) -> Decimal:
    """The vested fraction after ``years`` full years of membership.

    The fraction of the last step whose years are ≤ ``years``; 0 before the
    first step. Demo schedule: 0 → 0, 1 → 0.125, 7 → 0.875, 8 and more → 1.
    """
    if isinstance(schedule, AnnuityPlanTerms):
        schedule = schedule.vesting_schedule
    fraction = Decimal(0)
    for step_years, step_fraction in schedule:
        if step_years <= years:
            fraction = step_fraction
    return fraction


@dataclass(frozen=True)
class Vesting:
    """The split of an employer balance at a date.

    ``vested + unvested == balance`` exactly; ``event`` is the immediate
    vesting event applied, or ``""``.
    """

    years: int
    fraction: Decimal
    vested: Decimal
    unvested: Decimal
    event: str
    params: Mapping[str, str]


def vested_employer_amount(
    employer_balance: Decimal,
    *,
    membership_started_on: date,
    on: date,
    terms: AnnuityPlanTerms,
    events: Iterable[str] = (),
) -> Vesting:
    """How much of the employer part (with its returns) is vested on ``on``.

    DOMAIN A8, 《企业年金办法》: the schedule by full years of
    membership, or everything at once if one of ``events`` is an immediate
    vesting event of the plan. The member's own part always vests at once
    and is not passed here.

    Employer balance 10,000.00, member since 2022-04-01: on 2025-05-15
    (3 full years) → vested 3,750.00, unvested 6,250.00; on retirement →
    vested 10,000.00.
    """
    years = full_years_between(membership_started_on, on)
    immediate = sorted(str(e) for e in set(events) & terms.immediate_vesting_events)
    fraction = Decimal(1) if immediate else vested_fraction(years, terms)
    vested = round_cents(employer_balance * fraction)
    unvested = employer_balance - vested
    event = immediate[0] if immediate else ""
    return Vesting(
        years=years,
        fraction=fraction,
        vested=vested,
        unvested=unvested,
        event=event,
        params={
            "balance": str(employer_balance),
            "membership_started_on": membership_started_on.isoformat(),
            "on": on.isoformat(),
            "years": str(years),
            "fraction": str(fraction),
            "event": event,
            "vested": str(vested),
            "unvested": str(unvested),
        },
    )


@dataclass(frozen=True)
class Forfeiture:
    """What happens to the employer part when a member leaves.

    ``kept`` stays in the member's account; ``to_common_account`` leaves the
    member's employer sub-account and goes to the plan's common account
    (企业账户). They sum to the balance.
    """

    kept: Decimal
    to_common_account: Decimal
    vesting: Vesting


def forfeit_on_leaving(
    employer_balance: Decimal,
    *,
    membership_started_on: date,
    left_on: date,
    terms: AnnuityPlanTerms,
    events: Iterable[str] = (),
) -> Forfeiture:
    """Forfeit the unvested employer part on leaving (DOMAIN A8, Part B 5).

    Leaving after 3 full years with an employer balance of 10,000.00 keeps
    3,750.00 and moves 6,250.00 to the common account; leaving without own
    fault (``VestingEvent.LEFT_WITHOUT_OWN_FAULT``) keeps all 10,000.00.
    """
    vesting = vested_employer_amount(
        employer_balance,
        membership_started_on=membership_started_on,
        on=left_on,
        terms=terms,
        events=events,
    )
    return Forfeiture(
        kept=vesting.vested, to_common_account=vesting.unvested, vesting=vesting
    )
