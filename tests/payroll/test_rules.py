"""Pure pay rules (DOMAIN A2–A6): no database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.rules import full_years_between
from payroll.rules.earnings import (
    MonthInput,
    days_worked,
    month_earnings,
    prorate,
)
from payroll.rules.floor import yearly_floor, yearly_floor_top_up
from payroll.rules.indexation import NegativeGrowthError, index_amount, index_table
from payroll.rules.lines import EARNING, PayLine, gross, lines_from_rows
from payroll.rules.placement import place
from payroll.rules.progression import change_post
from tests.payroll.scales import POSTS, demo_scale

D = Decimal
SCALE = demo_scale()


def month(**kwargs) -> MonthInput:
    values = {
        "worker_id": 1,
        "year": 2026,
        "month": 3,
        "post": "staff",
        "level": 7,
        "days_worked": 31,
        "days_in_month": 31,
    }
    values.update(kwargs)
    return MonthInput(**values)


def amounts(lines) -> dict[str, Decimal]:
    return {line.code: line.amount for line in lines}


# --- A2 placement -----------------------------------------------------------


def _place(post="staff", started=date(2017, 3, 1), on=date(2024, 3, 1), **kw):
    return place(
        post=POSTS[post],
        started_on=started,
        placed_on=on,
        education=kw.get("education", "bachelor"),
        certificates=kw.get("certificates", ["intermediate"]),
        education_years=SCALE.education_years,
        certificate_levels=SCALE.certificate_levels,
    )


def test_place_matches_policy_example():
    placement = _place()
    # 7 full years + bachelor 3 = 10 → 3 levels; 社工师 +2; staff lowest 1
    assert placement.level == 6
    assert placement.service_years == 7
    assert placement.education_years == 3
    assert placement.certificate_levels == 2


def test_place_counts_only_full_years():
    assert _place(on=date(2024, 2, 29)).service_years == 6
    assert full_years_between(date(2015, 3, 1), date(2024, 3, 1)) == 9
    assert full_years_between(date(2024, 3, 1), date(2015, 3, 1)) == 0


@pytest.mark.parametrize(
    ("education", "expected_years"),
    [("below_bachelor", 0), ("bachelor", 3), ("master", 5), ("doctor", 7)],
)
def test_place_education_years(education, expected_years):
    placement = _place(education=education, certificates=[])
    assert placement.education_years == expected_years
    assert placement.level == 1 + (7 + expected_years) // 3


def test_place_only_highest_certificate_counts():
    placement = _place(certificates=["assistant", "senior", "intermediate"])
    assert placement.certificate == "senior"
    assert placement.certificate_levels == 3
    assert placement.level == 1 + 10 // 3 + 3


def test_place_caps_at_post_highest():
    placement = _place(
        post="deputy",
        started=date(1990, 1, 1),
        education="doctor",
        certificates=["senior"],
    )
    assert placement.level == 15
    assert placement.uncapped_level > 15


def test_place_starts_at_post_lowest():
    placement = _place(
        post="principal", started=date(2024, 1, 1), education="", certificates=[]
    )
    assert placement.level == 7


@given(
    post=st.sampled_from(sorted(POSTS)),
    started=st.dates(min_value=date(1970, 1, 1), max_value=date(2030, 1, 1)),
    education=st.sampled_from(["", "below_bachelor", "bachelor", "master", "doctor"]),
    certificates=st.lists(st.sampled_from(["assistant", "intermediate", "senior"])),
)
def test_place_never_leaves_post_range(post, started, education, certificates):
    placement = place(
        post=POSTS[post],
        started_on=started,
        placed_on=date(2026, 1, 1),
        education=education,
        certificates=certificates,
        education_years=SCALE.education_years,
        certificate_levels=SCALE.certificate_levels,
    )
    assert POSTS[post].lowest <= placement.level <= POSTS[post].highest


# --- A3 progression ---------------------------------------------------------


# The formula recomputed each 1 January: tests/payroll/test_rules_years.py.


def test_change_post_clamps():
    assert change_post(2, POSTS["deputy"]) == 4
    assert change_post(14, POSTS["staff"]) == 12
    assert change_post(8, POSTS["deputy"]) == 8


# --- A4 monthly pay ---------------------------------------------------------


def test_earnings_policy_example_level_7_pass():
    lines = month_earnings(month(), SCALE)
    assert amounts(lines) == {"basic": D("4200.00"), "performance": D("1800.00")}
    assert gross(lines) == D("6000.00")
    assert lines[0].rule == "A4.basic"
    assert lines[0].version == "2026"
    assert lines[0].params["standard"] == "6000"


@pytest.mark.parametrize(
    ("grade", "performance"),
    [
        ("excellent", "2160.00"),
        ("pass", "1800.00"),
        ("basic_pass", "1440.00"),
        ("fail", "0.00"),
        (None, "1800.00"),
    ],
)
def test_earnings_grade_coefficient(grade, performance):
    lines = month_earnings(month(grade=grade, grade_year=2025), SCALE)
    assert amounts(lines)["performance"] == D(performance)


def test_earnings_no_grade_is_paid_as_pass():
    line = month_earnings(month(), SCALE)[1]
    assert line.params["grade"] == "pass"
    assert line.params["graded"] == "0"


def test_earnings_principal_one_shoulder_and_stars():
    lines = month_earnings(
        month(post="principal", level=10, one_shoulder=True, stars=4), SCALE
    )
    assert amounts(lines) == {
        "basic": D("4620.00"),
        "performance": D("1980.00"),
        "post_allowance": D("600.00"),
        "one_shoulder": D("300.00"),
        "star_allowance": D("400.00"),
    }


@pytest.mark.parametrize(
    ("stars", "allowance"),
    [(1, "0.00"), (2, "100.00"), (3, "200.00"), (4, "400.00"), (5, "600.00")],
)
def test_earnings_star_allowance(stars, allowance):
    assert amounts(month_earnings(month(stars=stars), SCALE))["star_allowance"] == D(
        allowance
    )


def test_earnings_no_valid_star_no_allowance():
    assert "star_allowance" not in amounts(month_earnings(month(), SCALE))


def test_days_worked_join_and_leave_days_included():
    assert days_worked(date(2026, 3, 10), None, 2026, 3) == (22, 31)
    assert days_worked(date(2020, 1, 1), date(2026, 3, 10), 2026, 3) == (10, 31)
    assert days_worked(date(2026, 3, 10), date(2026, 3, 10), 2026, 3) == (1, 31)
    assert days_worked(date(2026, 3, 1), None, 2026, 3) == (31, 31)
    assert days_worked(date(2020, 1, 1), date(2026, 3, 31), 2026, 3) == (31, 31)
    assert days_worked(date(2026, 4, 1), None, 2026, 3) == (0, 31)
    assert days_worked(date(2020, 1, 1), None, 2024, 2) == (29, 29)


def test_earnings_prorated_first_day_is_full_month():
    days, total = days_worked(date(2026, 3, 1), None, 2026, 3)
    lines = month_earnings(month(days_worked=days, days_in_month=total), SCALE)
    assert gross(lines) == D("6000.00")


def test_earnings_prorated_each_line_rounded():
    # joined on the 31st: one day of 31
    lines = month_earnings(month(days_worked=1, days_in_month=31, stars=2), SCALE)
    assert amounts(lines) == {
        "basic": D("135.48"),  # 4200 / 31 = 135.4838…
        "performance": D("58.06"),  # 1800 / 31 = 58.0645…
        "star_allowance": D("3.23"),  # 100 / 31 = 3.2258…
    }
    assert gross(lines) == D("196.77")


def test_prorate_rounds_half_up_to_the_fen():
    assert prorate(D("0.125"), 1, 1) == D("0.13")
    assert prorate(D("10.00"), 1, 8) == D("1.25")
    assert prorate(D("0.05"), 1, 2) == D("0.03")  # 0.025 → 0.03, not 0.02


def test_earnings_no_days_no_lines():
    assert month_earnings(month(days_worked=0), SCALE) == ()


# --- A5 floor ---------------------------------------------------------------


def test_floor_top_up_when_gross_below_minimum_wage():
    low = demo_scale(standard_pay={1: D("3000.00")})
    lines = month_earnings(month(level=1, grade="fail"), low)
    assert amounts(lines)["basic"] == D("2100.00")
    top_up = lines[-1]
    assert top_up.code == "floor_top_up"
    assert top_up.amount == D("390.00")
    assert gross(lines) == D("2490.00")


def test_floor_is_prorated():
    low = demo_scale(standard_pay={1: D("3000.00")})
    lines = month_earnings(
        month(level=1, grade="fail", days_worked=10, days_in_month=31), low
    )
    assert gross(lines) == D("803.23")  # 2490 × 10 / 31


def test_floor_no_top_up_when_met():
    assert "floor_top_up" not in amounts(month_earnings(month(level=1), SCALE))


def test_floor_excludes_special_allowances():
    low = demo_scale(
        standard_pay={1: D("3000.00")},
        floor_excluded_codes=frozenset({"star_allowance"}),
    )
    lines = month_earnings(month(level=1, grade="fail", stars=5), low)
    assert amounts(lines)["floor_top_up"] == D("390.00")


def test_yearly_floor_principal_and_others():
    assert yearly_floor("principal", SCALE) == D("132000.00")
    assert yearly_floor("staff", SCALE) == D("105600.00")
    line = yearly_floor_top_up(post="staff", year_total=D("100000.00"), scale=SCALE)
    assert line.amount == D("5600.00")
    assert (
        yearly_floor_top_up(post="staff", year_total=D("105600"), scale=SCALE) is None
    )


# --- A6 indexation ----------------------------------------------------------


def test_index_amount_policy_example():
    assert index_amount(D("4800.00"), D("0.04")) == D("4992.00")
    assert index_amount(D("600.00"), D("0.04")) == D("624.00")
    assert index_amount(D("5000.00"), D("0.0410")) == D("5205.00")  # 5205.0


def test_index_amount_rounds_half_up_to_the_yuan():
    assert index_amount(D("4812.50"), D("0")) == D("4813.00")
    assert index_amount(D("5012.00"), D("0.0001")) == D("5013.00")  # 5012.5012


def test_index_refuses_negative_growth():
    with pytest.raises(NegativeGrowthError):
        index_amount(D("100"), D("-0.01"))


money = st.decimals(
    min_value=D("0.00"), max_value=D("100000.00"), places=2, allow_nan=False
)
rates = st.decimals(min_value=D("0"), max_value=D("0.2"), places=4, allow_nan=False)


@given(amount=money, rate=rates)
def test_indexation_never_lowers_an_amount(amount, rate):
    assert index_amount(amount, rate) >= amount


@given(table=st.dictionaries(st.integers(1, 18), money), rate=rates)
def test_index_table_keeps_keys(table, rate):
    assert index_table(table, rate).keys() == table.keys()


# --- properties -------------------------------------------------------------

inputs = st.builds(
    MonthInput,
    worker_id=st.just(1),
    year=st.just(2026),
    month=st.just(3),
    post=st.sampled_from(sorted(POSTS)),
    level=st.integers(1, 18),
    days_worked=st.integers(0, 31),
    days_in_month=st.just(31),
    one_shoulder=st.booleans(),
    grade=st.sampled_from([None, "excellent", "pass", "basic_pass", "fail"]),
    grade_year=st.just(2025),
    stars=st.sampled_from([None, 1, 2, 3, 4, 5]),
)


@given(inp=inputs)
def test_lines_sum_exactly_to_gross_and_are_never_negative(inp):
    lines = month_earnings(inp, SCALE)
    total = D("0.00")
    for line in lines:
        assert line.amount >= 0
        assert line.amount == line.amount.quantize(D("0.01"))
        total += line.amount
    assert gross(lines) == total


@given(inp=inputs, extra=st.integers(0, 4))
def test_more_stars_never_pay_less(inp, extra):
    stars = inp.stars or 1
    more = min(5, stars + extra)
    fewer_pay = gross(month_earnings(replace(inp, stars=stars), SCALE))
    more_pay = gross(month_earnings(replace(inp, stars=more), SCALE))
    assert more_pay >= fewer_pay


@given(inp=inputs)
def test_gross_reaches_prorated_minimum_wage(inp):
    low = demo_scale(standard_pay={n: D("1000.00") for n in range(1, 19)})
    lines = month_earnings(inp, low)
    if inp.days_worked:
        assert gross(lines) >= prorate(low.minimum_wage, inp.days_worked, 31)


def test_days_worked_leave_on_first_day_is_one_day():
    assert days_worked(date(2020, 1, 1), date(2026, 3, 1), 2026, 3) == (1, 31)
    lines = month_earnings(month(days_worked=1, days_in_month=31), SCALE)
    assert amounts(lines)["basic"] == D("135.48")


def test_one_shoulder_supplement_prorated_too():
    lines = month_earnings(
        month(
            post="principal",
            level=7,
            one_shoulder=True,
            days_worked=15,
            days_in_month=30,
        ),
        SCALE,
    )
    assert amounts(lines)["one_shoulder"] == D("150.00")
    assert amounts(lines)["post_allowance"] == D("300.00")


@given(
    amount=st.decimals(
        min_value=Decimal("-99999.99"),
        max_value=Decimal("99999.99"),
        places=2,
        allow_nan=False,
    ),
    params=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)
def test_a_pay_line_survives_its_stored_row(amount, params):
    line = PayLine("basic", EARNING, amount, "A4.basic", "2026", params)
    stored = json.loads(json.dumps(line.to_row()))
    assert stored[:3] == ["basic", EARNING, str(amount)]
    assert PayLine.from_row(stored) == line
    assert lines_from_rows([stored, stored]) == (line, line)
