"""The pure rule of special additional deductions (DOMAIN Part B 7.3)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll.rules.deductions import (
    CATEGORIES,
    HOUSING_LOAN_INTEREST,
    HOUSING_RENT,
    DeductionError,
    category_totals,
    claim_monthly_amount,
)

D = Decimal


@pytest.mark.parametrize(
    ("standard", "units", "share", "cap", "expected"),
    [
        ("2000.00", 1, "1", None, "2000.00"),  # one child, in full
        ("2000.00", 2, "0.5", None, "2000.00"),  # two children, half each parent
        ("3000.00", 1, "0.5", "1500.00", "1500.00"),  # elderly support, shared
        ("1100.00", 1, "1", None, "1100.00"),  # rent in a tier-2 city
        ("400.00", 1, "1", None, "400.00"),  # a degree course
    ],
)
def test_claim_amounts_match_the_policy_examples(standard, units, share, cap, expected):
    amount = claim_monthly_amount(
        standard=D(standard),
        units=units,
        share=D(share),
        cap=D(cap) if cap else None,
    )
    assert amount == D(expected)


@pytest.mark.parametrize(
    ("units", "share", "cap", "code"),
    [(0, "1", None, "units"), (1, "0", None, "share"), (1, "1.5", None, "share"),
     (1, "1", "1500.00", "cap")],
)  # fmt: skip
def test_claims_outside_the_rules_are_refused(units, share, cap, code):
    with pytest.raises(DeductionError) as error:
        claim_monthly_amount(
            standard=D("3000.00"),
            units=units,
            share=D(share),
            cap=D(cap) if cap else None,
        )
    assert error.value.code == code


money = st.decimals(min_value=0, max_value=100000, places=2)


@given(standard=money, units=st.integers(1, 9))
def test_two_halves_make_the_whole_to_the_fen(standard, units):
    half = claim_monthly_amount(standard=standard, units=units, share=D("0.5"))
    whole = claim_monthly_amount(standard=standard, units=units, share=D(1))
    assert whole == standard * units
    assert abs(half * 2 - whole) <= D("0.01")
    assert half >= 0


@given(
    claims=st.lists(
        st.tuples(st.sampled_from(CATEGORIES[:3] + CATEGORIES[5:]), money),
        max_size=8,
    )
)
def test_totals_are_the_sums_of_each_category(claims):
    totals = category_totals(claims)
    assert sum(totals.values()) == sum((amount for _c, amount in claims), D(0))
    for category in CATEGORIES:
        assert totals[category] == sum(
            (amount for c, amount in claims if c == category), D(0)
        )


def test_rent_and_mortgage_in_one_year_are_refused():
    with pytest.raises(DeductionError):
        category_totals([(HOUSING_LOAN_INTEREST, D(1000)), (HOUSING_RENT, D(1100))])
