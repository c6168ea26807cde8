"""The fund's facts, checked: each fund year's closing, and the amount
available of every open fund year after each month.
"""

from __future__ import annotations

from datetime import date

from core.decimals import ZERO
from core.money import decimal_of
from funding.models import FundYear
from funding.selectors import fund_year_figures_many, policy_on
from simulation import invariants as inv


def _check_fund_years() -> list[inv.Violation]:
    fund_years = list(FundYear.objects.select_related("community").order_by("pk"))
    figures = fund_year_figures_many(fund_years)
    by_key = {(fy.community_id, fy.year): fy for fy in fund_years}
    found = []
    for fy in fund_years:
        following = by_key.get((fy.community_id, fy.year + 1))
        closed = fy.status == FundYear.Status.CLOSED
        fact = inv.FundYearFact(
            label=f"{fy.community.name} #{fy.community_id}",
            year=fy.year,
            carried_in=fy.carried_in,
            allocation=decimal_of(fy.allocation),
            spent=figures[fy.pk].spent,
            closed=closed,
            carried_out=fy.carried_out or ZERO,
            carry_over_allowed=policy_on(date(fy.year + 1, 1, 1))
            .as_rule()
            .carry_over_allowed
            if closed
            else True,
            next_carried_in=following.carried_in if following else None,
        )
        found += inv.check_fund_year(fact)
    return found


def fund_available_now(period: str) -> list[inv.Violation]:
    """Available = allocation + carried in − committed − spent, taken before
    any clamping, for every open fund year (checked after each month)."""
    fund_years = list(
        FundYear.objects.filter(status=FundYear.Status.OPEN).select_related("community")
    )
    found = []
    figures = fund_year_figures_many(fund_years)
    for fy in fund_years:
        f = figures[fy.pk]
        raw = f.allocation + f.carried_in - f.committed - f.spent
        found += inv.check_available(
            f"{fy.community.name} #{fy.community_id} {fy.year}", period, raw
        )
    return found
