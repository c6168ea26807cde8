from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.decimals import round_cents, round_yuan, sum_amounts
from core.rules import (
    CentreStandard,
    CitizenIdError,
    centre_meets_standard,
    centre_required_area,
    citizen_id_check_code,
    full_years_between,
    mask_account,
    mask_citizen_id,
    parse_citizen_id,
)

TODAY = date(2026, 11, 25)
# GB 11643-1999's own example number.
VALID_ID = "11010519491231002X"


def test_parse_citizen_id_derives_birth_date_and_gender():
    parsed = parse_citizen_id(VALID_ID, today=TODAY)

    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "F"  # 17th digit 2 is even


def test_parse_citizen_id_accepts_lowercase_x_and_spaces():
    assert parse_citizen_id(" 11010519491231002x ", today=TODAY).number == VALID_ID


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "checksum"),
        ("11010519491331002X", "birth_date"),  # month 13
        ("11010519490230002X", "birth_date"),  # 30 February
        ("1101051949123100", "length"),
        ("11010519491231A02X", "format"),
        ("110105203012310021", "birth_date"),  # born in the future
    ],
)
def test_parse_citizen_id_rejects_bad_numbers(number, code):
    with pytest.raises(CitizenIdError) as excinfo:
        parse_citizen_id(number, today=TODAY)

    assert excinfo.value.code == code


@given(
    st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_check_code_makes_any_number_valid(birth, sequence):
    first17 = f"320211{birth:%Y%m%d}{sequence:03d}"

    parsed = parse_citizen_id(first17 + citizen_id_check_code(first17), today=TODAY)

    assert parsed.birth_date == birth
    assert parsed.gender == ("M" if sequence % 2 else "F")


def test_masks_keep_only_what_identifies_nothing():
    assert mask_citizen_id(VALID_ID) == "110***********002X"
    assert mask_account("6222 0200 0000 1234 567") == "***************4567"
    assert mask_account("123") == "***"


@pytest.mark.parametrize(
    ("households", "area", "required", "meets"),
    [
        (1500, "600", "600", True),  # 450 by households, the 600 minimum rules
        (2500, "749.99", "750", False),
        (2500, "750", "750", True),
        (0, "600", "600", True),
    ],
)
def test_centre_standard_per_100_households_with_minimum(
    households, area, required, meets
):
    standard = CentreStandard(Decimal("30"), Decimal("600"))

    assert centre_required_area(households, standard) == Decimal(required)
    assert centre_meets_standard(households, Decimal(area), standard) is meets


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01")],
)
def test_round_cents_is_half_up(value, expected):
    assert round_cents(Decimal(value)) == Decimal(expected)


def test_round_yuan_and_sum_amounts():
    assert round_yuan(Decimal("4992.50")) == Decimal("4993")
    assert sum_amounts([Decimal("0.10")] * 3) == Decimal("0.30")
    assert sum_amounts([]) == Decimal("0.00")


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2020, 3, 1), date(2023, 2, 28), 2),
        (date(2020, 3, 1), date(2023, 3, 1), 3),
        (date(2023, 3, 1), date(2020, 3, 1), 0),
    ],
)
def test_full_years_between(start, end, years):
    assert full_years_between(start, end) == years
