"""The yearly pay floor (DOMAIN A5, the Nanjing pattern). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from core.decimals import round_cents
from payroll.rules.lines import EARNING, PayLine
from payroll.rules.scale import Scale

YEARLY_FLOOR_TOP_UP = "yearly_floor_top_up"


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def days_employed_in_year(
    joined_on: date, left_on: date | None, year: int
) -> tuple[int, int]:
    """Calendar days employed in ``year``, the join and leave days included,
    and the days of the year: joined 2026-12-31 → (1, 365); left 2026-03-10
    after an earlier year → (69, 365); not employed → (0, 365)."""
    total = days_in_year(year)
    start = max(joined_on, date(year, 1, 1))
    end = min(left_on, date(year, 12, 31)) if left_on else date(year, 12, 31)
    if end < start:
        return 0, total
    return (end - start).days + 1, total


def floor_share(post: str, scale: Scale) -> Decimal:
    """100% of the city average for a principal, 80% for everyone else."""
    if post == scale.principal_post:
        return scale.floor_principal_ratio
    return scale.floor_other_ratio


def yearly_floor(
    post: str, scale: Scale, *, days: int | None = None, days_in_year: int = 365
) -> Decimal:
    """A principal's floor is 100% of last year's city average wage, everyone
    else's 80%: 132,000.00 → 132,000.00 / 105,600.00. For a part year the
    floor is prorated by the calendar days employed ÷ the days of the year,
    rounded once: a staff member employed 1 of 365 days → 105,600 × 1 / 365
    = 289.32."""
    full = scale.city_average_wage * floor_share(post, scale)
    if days is None or days >= days_in_year:
        return round_cents(full)
    return round_cents(full * days / days_in_year)


def yearly_floor_top_up(
    *,
    post: str,
    year_total: Decimal,
    scale: Scale,
    days: int | None = None,
    days_in_year: int = 365,
    holds: Mapping[str, str] | None = None,
) -> PayLine | None:
    """The top-up line when ``year_total`` (the year's gross plus the
    employer's social insurance and housing fund, with any opening figure
    from an earlier system) is below the floor of the days employed; None
    when the floor is met. The line says how the floor was reached: the
    reference average, the share, the days, and what the year's total holds
    (``holds``: gross, employer contributions, opening figure)."""
    floor = yearly_floor(post, scale, days=days, days_in_year=days_in_year)
    if year_total >= floor:
        return None
    return PayLine(
        code=YEARLY_FLOOR_TOP_UP,
        kind=EARNING,
        amount=floor - year_total,
        rule="A5.yearly_floor",
        version=scale.code,
        params={
            **(holds or {}),
            "post": post,
            "floor": str(floor),
            "year_total": str(year_total),
            "city_average_wage": str(scale.city_average_wage),
            "share": str(floor_share(post, scale)),
            "days": str(days if days is not None else days_in_year),
            "days_in_year": str(days_in_year),
        },
    )
