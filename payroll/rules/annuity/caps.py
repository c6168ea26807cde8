"""The plan-year caps: employer ≤ 8%, employer + members ≤ 12% of the members'
wages, and no member credited more than five times the average; the
projection of a plan year and the violations found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from core.decimals import CENT, round_cents, sum_amounts

from .plans import AnnuityPlanTerms, LegalCaps, _percent

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


CREDIT_RATIO_MESSAGE = (
    "成员 {member} 的单位缴费 {employer} 元，超过人均单位缴费 {average} 元的 "
    "{ratio} 倍（上限 {cap} 元）。"
)


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
