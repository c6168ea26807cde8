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


def star_valid_on(ratings: Iterable[Star], day: date) -> Star | None:
    """The rating in force on ``day``: the latest one given on or before it,
    if it has not expired. A later rating replaces an earlier one even when the
    earlier one would still be valid (DOMAIN A4 "unless replaced").
    """
    latest: Star | None = None
    for rating in ratings:
        if rating.rated_on <= day and (
            latest is None or rating.rated_on >= latest.rated_on
        ):
            latest = rating
    if latest is None or day > latest.valid_until:
        return None
    return latest


def grade_in_force(grades: dict[int, str], year: int) -> tuple[int, str] | None:
    """The last annual grade known for a month of ``year``: the grade of that
    year once assessed, else the latest earlier one (DOMAIN A3/A4).
    """
    years = [y for y in grades if y <= year]
    if not years:
        return None
    last = max(years)
    return last, grades[last]
