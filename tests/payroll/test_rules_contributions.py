import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll.rules.contributions import (
    BASE_FROM_AVERAGE,
    BASE_FROM_FIRST_FULL_MONTH,
    HOUSING_FUND,
    HOUSING_FUND_EMPLOYER,
    SI_MEDICAL,
    SI_MEDICAL_EMPLOYER,
    SI_PENSION,
    SI_PENSION_EMPLOYER,
    SI_UNEMPLOYMENT,
    SI_UNEMPLOYMENT_EMPLOYER,
    SI_WORK_INJURY_EMPLOYER,
    ContributionBaseLimits,
    HousingFundRates,
    SocialInsuranceRates,
    average_monthly_gross,
    base_reference_year,
    clamp_base,
    employee_contribution_lines,
    employer_contribution_lines,
    housing_fund_employee_line,
    housing_fund_employer_line,
    propose_base,
    social_insurance_employee_lines,
    social_insurance_employer_lines,
    special_deductions,
)
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER, PayLine

D = Decimal

SI_RATES = SocialInsuranceRates(
    employee_pension=D("0.08"),
    employee_medical=D("0.02"),
    employee_unemployment=D("0.005"),
    employer_pension=D("0.16"),
    employer_medical=D("0.07"),
    employer_unemployment=D("0.005"),
    employer_work_injury=D("0.002"),
    version="JS-2025-07",
)
HF_RATES = HousingFundRates(
    employee_rate=D("0.12"), employer_rate=D("0.12"), version="WX-HF-2025"
)
SI_LIMITS = ContributionBaseLimits(floor=D("4879"), ceiling=D("24396"))
HF_LIMITS = ContributionBaseLimits.for_housing_fund(
    minimum_wage=D("2490"),
    city_average_monthly_wage=D("11000"),
    cap_multiple=D("3"),
)

cents = st.integers(min_value=0, max_value=10_000_000).map(lambda n: D(n).scaleb(-2))


def amounts(lines):
    return {line.code: line.amount for line in lines}


@pytest.mark.parametrize(
    ("average", "expected"),
    [
        ("3000", "4879.00"),
        ("4878.99", "4879.00"),
        ("4879", "4879.00"),
        ("4879.01", "4879.01"),
        ("10000", "10000.00"),
        ("24395.99", "24395.99"),
        ("24396", "24396.00"),
        ("24396.01", "24396.00"),
        ("30000", "24396.00"),
    ],
)
def test_clamp_base_stays_within_jiangsu_limits(average, expected):
    assert clamp_base(D(average), SI_LIMITS) == D(expected)


def test_housing_fund_limits_are_minimum_wage_and_three_city_averages():
    assert HF_LIMITS.floor == D("2490.00")
    assert HF_LIMITS.ceiling == D("33000.00")


@pytest.mark.parametrize(
    ("average", "expected"),
    [("2000", "2490.00"), ("20000", "20000.00"), ("40000", "33000.00")],
)
def test_housing_fund_base_is_floored_and_capped(average, expected):
    assert clamp_base(D(average), HF_LIMITS) == D(expected)


def test_base_limits_reject_inverted_interval():
    with pytest.raises(ValueError, match="floor <= ceiling"):
        ContributionBaseLimits(floor=D("5000"), ceiling=D("4000"))


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 7, 2025),
        (2026, 12, 2025),
        (2027, 1, 2025),
        (2027, 6, 2025),
        (2026, 6, 2024),
    ],
)
def test_base_reference_year_follows_the_july_contribution_year(year, month, expected):
    assert base_reference_year(year=year, month=month, start_month=7) == expected


def test_base_reference_year_with_a_january_contribution_year():
    assert base_reference_year(year=2026, month=1, start_month=1) == 2025
    assert base_reference_year(year=2026, month=12, start_month=1) == 2025


def test_average_monthly_gross_rounds_half_up():
    grosses = [D("10000.00"), D("10000.01"), D("10000.01")]
    assert average_monthly_gross(grosses) == D("10000.01")


def test_average_monthly_gross_needs_a_month():
    with pytest.raises(ValueError, match="no full month"):
        average_monthly_gross([])


def test_propose_base_from_previous_year_average():
    proposal = propose_base([D("20000.00")] * 12, SI_LIMITS)
    assert proposal.base == D("20000.00")
    assert proposal.source == BASE_FROM_AVERAGE
    assert proposal.params["months"] == "12"
    assert proposal.params["total_gross"] == "240000.00"


def test_propose_base_averages_only_the_months_given():
    proposal = propose_base([D("6000.00"), D("7000.00"), D("8000.00")], SI_LIMITS)
    assert proposal.base == D("7000.00")


def test_propose_base_clamps_a_high_average_and_keeps_the_unclamped_figure():
    proposal = propose_base([D("30000.00")] * 12, SI_LIMITS)
    assert proposal.base == D("24396.00")
    assert proposal.unclamped == D("30000.00")
    assert proposal.params["ceiling"] == "24396"


def test_propose_base_falls_back_to_first_full_month_standard_pay():
    """A worker with no full month last year: S(n) + allowances, clamped."""
    proposal = propose_base([], SI_LIMITS, first_full_month_standard_pay=D("4800"))
    assert proposal.base == D("4879.00")
    assert proposal.unclamped == D("4800.00")
    assert proposal.source == BASE_FROM_FIRST_FULL_MONTH


def test_propose_base_fallback_above_floor_is_kept():
    # level 7 principal: 4,800 + 200 × 6 = 6,000, + 600 post allowance
    proposal = propose_base([], SI_LIMITS, first_full_month_standard_pay=D("6600"))
    assert proposal.base == D("6600.00")


def test_propose_base_without_any_input_is_refused():
    with pytest.raises(ValueError, match="no full month"):
        propose_base([], SI_LIMITS)


def test_propose_housing_fund_base_uses_its_own_limits():
    assert propose_base([D("2000.00")] * 12, HF_LIMITS).base == D("2490.00")
    assert propose_base([D("50000.00")] * 12, HF_LIMITS).base == D("33000.00")


def test_social_insurance_employee_lines_match_domain_example():
    lines = social_insurance_employee_lines(D("20000.00"), SI_RATES)
    assert amounts(lines) == {
        SI_PENSION: D("1600.00"),
        SI_MEDICAL: D("400.00"),
        SI_UNEMPLOYMENT: D("100.00"),
    }
    assert {line.kind for line in lines} == {DEDUCTION}
    assert lines[0].params == {
        "base": "20000.00",
        "rate": "0.08",
        "amount": "1600.00",
    }
    assert lines[0].rule == "A7.si.pension"
    assert lines[0].version == "JS-2025-07"


def test_social_insurance_employer_lines_match_demo_rates():
    lines = social_insurance_employer_lines(D("20000.00"), SI_RATES)
    assert amounts(lines) == {
        SI_PENSION_EMPLOYER: D("3200.00"),
        SI_MEDICAL_EMPLOYER: D("1400.00"),
        SI_UNEMPLOYMENT_EMPLOYER: D("100.00"),
        SI_WORK_INJURY_EMPLOYER: D("40.00"),
    }
    assert {line.kind for line in lines} == {EMPLOYER}


def test_contribution_lines_round_half_up_to_the_fen():
    """4,881 × 0.5% = 24.405: half up gives 24.41 where banker's would give 24.40."""
    lines = social_insurance_employee_lines(D("4881.00"), SI_RATES)
    assert amounts(lines)[SI_UNEMPLOYMENT] == D("24.41")


def test_floor_base_lines():
    employee = amounts(social_insurance_employee_lines(D("4879.00"), SI_RATES))
    employer = amounts(social_insurance_employer_lines(D("4879.00"), SI_RATES))
    assert employee == {
        SI_PENSION: D("390.32"),
        SI_MEDICAL: D("97.58"),
        SI_UNEMPLOYMENT: D("24.40"),  # 24.395
    }
    assert employer == {
        SI_PENSION_EMPLOYER: D("780.64"),
        SI_MEDICAL_EMPLOYER: D("341.53"),
        SI_UNEMPLOYMENT_EMPLOYER: D("24.40"),
        SI_WORK_INJURY_EMPLOYER: D("9.76"),  # 9.758
    }


def test_housing_fund_lines():
    employee = housing_fund_employee_line(D("20000.00"), HF_RATES)
    employer = housing_fund_employer_line(D("20000.00"), HF_RATES)
    assert (employee.code, employee.kind, employee.amount) == (
        HOUSING_FUND,
        DEDUCTION,
        D("2400.00"),
    )
    assert (employer.code, employer.kind, employer.amount) == (
        HOUSING_FUND_EMPLOYER,
        EMPLOYER,
        D("2400.00"),
    )


def test_special_deductions_of_domain_example_are_4500():
    lines = employee_contribution_lines(
        social_insurance_base=D("20000.00"),
        social_insurance_rates=SI_RATES,
        housing_fund_base=D("20000.00"),
        housing_fund_rates=HF_RATES,
    )
    payslip = [
        PayLine("BASIC", EARNING, D("20000.00"), "A4.basic"),
        *lines,
        PayLine("ANNUITY_MEMBER", DEDUCTION, D("320.00"), "A8.member"),
    ]
    assert special_deductions(payslip) == D("4500.00")


def test_employer_contribution_lines_cover_si_and_housing_fund():
    lines = employer_contribution_lines(
        social_insurance_base=D("20000.00"),
        social_insurance_rates=SI_RATES,
        housing_fund_base=D("20000.00"),
        housing_fund_rates=HF_RATES,
    )
    assert sum(line.amount for line in lines) == D("7140.00")


def test_negative_base_is_refused():
    with pytest.raises(ValueError, match="negative"):
        housing_fund_employee_line(D("-1.00"), HF_RATES)


def test_rate_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match="employee_rate"):
        HousingFundRates(employee_rate=D("12"), employer_rate=D("0.12"))


@given(average=cents)
def test_clamped_base_is_within_bounds_and_in_fen(average):
    base = clamp_base(average, SI_LIMITS)
    assert SI_LIMITS.floor <= base <= SI_LIMITS.ceiling
    assert base.as_tuple().exponent == -2


@given(grosses=st.lists(cents, max_size=12), fallback=cents)
def test_proposed_base_is_within_bounds(grosses, fallback):
    proposal = propose_base(grosses, SI_LIMITS, first_full_month_standard_pay=fallback)
    assert SI_LIMITS.floor <= proposal.base <= SI_LIMITS.ceiling
    assert proposal.base.as_tuple().exponent == -2


@given(base=cents)
def test_contribution_lines_are_non_negative_and_in_fen(base):
    lines = (
        *employee_contribution_lines(
            social_insurance_base=base,
            social_insurance_rates=SI_RATES,
            housing_fund_base=base,
            housing_fund_rates=HF_RATES,
        ),
        *employer_contribution_lines(
            social_insurance_base=base,
            social_insurance_rates=SI_RATES,
            housing_fund_base=base,
            housing_fund_rates=HF_RATES,
        ),
    )
    for line in lines:
        assert line.amount >= 0
        assert line.amount.as_tuple().exponent == -2


def test_rule_module_imports_no_framework():
    """The rule stays pure: importing it loads no django, djmoney or celery."""
    code = (
        "import sys, payroll.rules.contributions\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in {'django', 'djmoney', 'celery'})\n"
        "sys.exit(', '.join(bad) or None)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
