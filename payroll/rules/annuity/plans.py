"""A plan's terms and the legal limits they must keep (《企业年金办法》), the
vesting events, and the tax limits of the member's part.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from core.decimals import ZERO, check_fraction

# 《企业年金办法》: 完全归属于职工个人的期限最长不超过8年.
MAX_FULL_VESTING_YEARS = 8


LEGAL_EMPLOYER_RATE_MESSAGE = "单位缴费比例 {rate}% 超过法定上限 {cap}%（{version}）。"
LEGAL_TOTAL_RATE_MESSAGE = (
    "单位和个人缴费比例合计 {rate}% 超过法定上限 {cap}%（{version}）。"
)
LEGAL_CAP_RAISED_MESSAGE = (
    "方案的{name} {value} 高于法定上限 {cap}（{version}），方案不能提高法定上限。"
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


def _percent(rate: Decimal) -> str:
    return format((rate * 100).normalize(), "f")
