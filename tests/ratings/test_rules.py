"""Pure rating rules: no database."""

from datetime import date

from ratings.rules import (
    Star,
    add_years,
    default_valid_until,
    grade_in_force,
    star_valid_on,
)


def test_default_valid_until_is_two_full_years():
    assert default_valid_until(date(2024, 3, 15)) == date(2026, 3, 14)
    assert default_valid_until(date(2024, 2, 29)) == date(2026, 2, 27)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_star_valid_on_edges():
    rating = Star(date(2024, 3, 15), 3, date(2026, 3, 14))
    assert star_valid_on([rating], date(2024, 3, 14)) is None
    assert star_valid_on([rating], date(2024, 3, 15)) == rating
    assert star_valid_on([rating], date(2026, 3, 14)) == rating
    assert star_valid_on([rating], date(2026, 3, 15)) is None


def test_later_rating_replaces_earlier():
    first = Star(date(2024, 1, 1), 5, date(2025, 12, 31))
    second = Star(date(2025, 1, 1), 2, date(2026, 12, 31))
    assert star_valid_on([second, first], date(2025, 6, 1)) == second
    assert star_valid_on([second, first], date(2024, 6, 1)) == first


def test_grade_in_force_is_latest_up_to_the_year():
    grades = {2023: "excellent", 2025: "fail"}
    assert grade_in_force(grades, 2022) is None
    assert grade_in_force(grades, 2024) == (2023, "excellent")
    assert grade_in_force(grades, 2025) == (2025, "fail")
    assert grade_in_force(grades, 2026) == (2025, "fail")
