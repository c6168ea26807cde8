"""The yearly pay floor (DOMAIN A5, the Nanjing pattern). Pure."""

from __future__ import annotations

from decimal import Decimal

from core.decimals import round_cents
from payroll.rules.lines import EARNING, PayLine
from payroll.rules.scale import Scale

YEARLY_FLOOR_TOP_UP = "yearly_floor_top_up"


def yearly_floor(post: str, scale: Scale, months: int = 12) -> Decimal:
    """A principal's floor is 100% of last year's city average wage, everyone
    else's 80%: 132,000.00 → 132,000.00 / 105,600.00. A worker employed for
    only part of the year has the floor of those months: 6 months of a
    principal → 66,000.00."""
    ratio = (
        scale.floor_principal_ratio
        if post == scale.principal_post
        else scale.floor_other_ratio
    )
    return round_cents(scale.city_average_wage * ratio * months / 12)


def yearly_floor_top_up(
    *, post: str, year_total: Decimal, scale: Scale, months: int = 12
) -> PayLine | None:
    """The December top-up line when ``year_total`` (the year's gross plus the
    employer's social insurance and housing fund, computed by the payroll
    cycle) is below the yearly floor of the ``months`` employed; None when
    the floor is met."""
    floor = yearly_floor(post, scale, months)
    if year_total >= floor:
        return None
    return PayLine(
        code=YEARLY_FLOOR_TOP_UP,
        kind=EARNING,
        amount=floor - year_total,
        rule="A5.yearly_floor",
        version=scale.code,
        params={
            "post": post,
            "floor": str(floor),
            "year_total": str(year_total),
            "city_average_wage": str(scale.city_average_wage),
            "months": str(months),
        },
    )
