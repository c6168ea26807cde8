"""Pure rules of annual grades and star ratings (DOMAIN A3, A4). No Django here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

EXCELLENT = "excellent"
PASS = "pass"
BASIC_PASS = "basic_pass"
FAIL = "fail"
GRADES = (EXCELLENT, PASS, BASIC_PASS, FAIL)

MIN_STARS = 1
MAX_STARS = 5


@dataclass(frozen=True)
class Star:
    """One star rating of a subject (a worker or a community)."""

    rated_on: date
    stars: int
    valid_until: date


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_valid_until(rated_on: date, years: int = 2) -> date:
    """A rating is valid for ``years`` from its date (DOMAIN A4: 2 years).

    Rated 2024-03-15 with 2 years -> valid until 2026-03-14 (the day before the
    anniversary, so two full years).
    """
    from datetime import timedelta

    return add_years(rated_on, years) - timedelta(days=1)


def effective_from(rated_on: date) -> date:
    """A rating takes effect on the first day of the month after its date, or
    on its date when that is the 1st (DOMAIN A4): rated 2026-11-15 → from
    2026-12-01; rated 2026-11-01 → from 2026-11-01; rated 2026-12-31 → from
    2027-01-01."""
    if rated_on.day == 1:
        return rated_on
    if rated_on.month == 12:
        return date(rated_on.year + 1, 1, 1)
    return date(rated_on.year, rated_on.month + 1, 1)


def star_valid_on(ratings: Iterable[Star], day: date) -> Star | None:
    """The rating in force on ``day``: the latest one that has taken effect
    on or before it (see :func:`effective_from`), if it has not expired. A
    later rating replaces an earlier one from the day it takes effect, even
    when the earlier one would still be valid (DOMAIN A4 "unless replaced").
    The validity still runs from the rating's date.
    """
    latest: Star | None = None
    for rating in ratings:
        if effective_from(rating.rated_on) <= day and (
            latest is None or rating.rated_on >= latest.rated_on
        ):
            latest = rating
    if latest is None or day > latest.valid_until:
        return None
    return latest


def grade_in_force(grades: dict[int, str], year: int) -> tuple[int, str] | None:
    """The last annual grade for the months of ``year``: the grade of an
    EARLIER year, the latest one known (DOMAIN A4). The grade of year Y sets
    the performance coefficient of year Y+1 and never re-prices the months of
    Y, however late it is recorded: {2025: 不合格} → None for 2025, (2025,
    不合格) for 2026 and, with no 2026 grade, for 2027.
    """
    years = [y for y in grades if y < year]
    if not years:
        return None
    last = max(years)
    return last, grades[last]
