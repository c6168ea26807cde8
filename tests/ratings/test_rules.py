"""Pure rating rules: no database."""

from datetime import date

from ratings.rules import (
    Star,
    add_years,
    default_valid_until,
    effective_from,
    grade_in_force,
    star_valid_on,
)


def test_default_valid_until_is_two_full_years():
    assert default_valid_until(date(2024, 3, 15)) == date(2026, 3, 14)
    assert default_valid_until(date(2024, 2, 29)) == date(2026, 2, 27)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_star_valid_on_edges():
    """Rated mid-month: in force from the 1st of the next month, valid two
    years from its date."""
    rating = Star(date(2024, 3, 15), 3, date(2026, 3, 14))
    assert star_valid_on([rating], date(2024, 3, 15)) is None
    assert star_valid_on([rating], date(2024, 3, 31)) is None
    assert star_valid_on([rating], date(2024, 4, 1)) == rating
    assert star_valid_on([rating], date(2026, 3, 14)) == rating
    assert star_valid_on([rating], date(2026, 3, 15)) is None


def test_rating_dated_the_first_takes_effect_that_day():
    rating = Star(date(2024, 3, 1), 3, date(2026, 2, 28))
    assert star_valid_on([rating], date(2024, 2, 29)) is None
    assert star_valid_on([rating], date(2024, 3, 1)) == rating


def test_effective_from():
    assert effective_from(date(2026, 11, 15)) == date(2026, 12, 1)
    assert effective_from(date(2026, 11, 1)) == date(2026, 11, 1)
    assert effective_from(date(2026, 12, 31)) == date(2027, 1, 1)


def test_later_rating_replaces_earlier_from_the_month_after_its_date():
    first = Star(date(2024, 1, 1), 5, date(2025, 12, 31))
    second = Star(date(2025, 1, 15), 2, date(2027, 1, 14))
    assert star_valid_on([second, first], date(2025, 1, 31)) == first
    assert star_valid_on([second, first], date(2025, 6, 1)) == second
    assert star_valid_on([second, first], date(2024, 6, 1)) == first


def test_grade_of_a_year_sets_the_next_years_months_only():
    grades = {2023: "excellent", 2025: "fail"}
    assert grade_in_force(grades, 2023) is None
    assert grade_in_force(grades, 2024) == (2023, "excellent")
    assert grade_in_force(grades, 2025) == (2023, "excellent")
    assert grade_in_force(grades, 2026) == (2025, "fail")
    assert grade_in_force(grades, 2027) == (2025, "fail")
