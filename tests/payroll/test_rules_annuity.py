import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.rules import full_years_between
from payroll.rules.annuity import (
    ANNUITY_EMPLOYER,
    ANNUITY_MEMBER,
    CAP_CREDIT_RATIO,
    CAP_EMPLOYER,
    CAP_TOTAL,
    AnnuityPlanTerms,
    AnnuityTaxLimits,
    MemberPeriod,
    VestingEvent,
    annuity_base,
    check_caps,
    deductible_member_contribution,
    forfeit_on_leaving,
    membership_start,
    monthly_contributions,
    vested_employer_amount,
    vested_fraction,
)
from payroll.rules.lines import DEDUCTION, EMPLOYER

D = Decimal

DEMO_SCHEDULE = tuple((years, D("0.125") * years) for years in range(1, 9))
TERMS = AnnuityPlanTerms(
    employer_rate=D("0.08"),
    member_rate=D("0.04"),
    employer_cap_rate=D("0.08"),
    total_cap_rate=D("0.12"),
    max_credit_ratio=D("5"),
    vesting_schedule=DEMO_SCHEDULE,
    version="WX-ANNUITY-2026",
)
LIMITS = AnnuityTaxLimits(
    deductible_rate=D("0.04"),
    base_cap_multiple=D("3"),
    city_average_monthly_wage=D("11000"),
)

cents = st.integers(min_value=0, max_value=10_000_000).map(lambda n: D(n).scaleb(-2))


def period(member, wages, employer, own):
    return MemberPeriod(
        member=member,
        wages=D(wages),
        employer_contribution=D(employer),
        member_contribution=D(own),
    )


@pytest.mark.parametrize(
    ("appointed_on", "expected"),
    [
        (date(2026, 3, 15), date(2026, 4, 1)),
        (date(2026, 3, 1), date(2026, 4, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2026, 1, 31), date(2026, 2, 1)),
    ],
)
def test_membership_starts_the_month_after_appointment(appointed_on, expected):
    assert membership_start(appointed_on) == expected


def test_annuity_base_is_previous_year_average():
    assert annuity_base([D("8000.00")] * 12) == D("8000.00")
    assert annuity_base([D("7000.00"), D("8000.00")]) == D("7500.00")


@pytest.mark.parametrize(
    ("base", "employer", "member", "deductible"),
    [
        ("8000.00", "640.00", "320.00", "320.00"),
        ("20000.00", "1600.00", "800.00", "800.00"),
        ("33000.00", "2640.00", "1320.00", "1320.00"),
        # above 3 × 11,000: only 4% × 33,000 is deductible
        ("40000.00", "3200.00", "1600.00", "1320.00"),
        # half up: 6,543.21 × 4% = 261.7284; × 8% = 523.4568
        ("6543.21", "523.46", "261.73", "261.73"),
    ],
)
def test_monthly_contributions(base, employer, member, deductible):
    result = monthly_contributions(D(base), TERMS, LIMITS)
    assert result.employer.amount == D(employer)
    assert result.member.amount == D(member)
    assert result.deductible == D(deductible)
    assert result.member.params["deductible"] == deductible


def test_monthly_contribution_lines_kinds_and_params():
    result = monthly_contributions(D("8000.00"), TERMS, LIMITS)
    member, employer = result.lines
    assert (member.code, member.kind, member.rule) == (
        ANNUITY_MEMBER,
        DEDUCTION,
        "A8.annuity.member",
    )
    assert (employer.code, employer.kind, employer.rule) == (
        ANNUITY_EMPLOYER,
        EMPLOYER,
        "A8.annuity.employer",
    )
    assert member.version == "WX-ANNUITY-2026"
    assert employer.params == {"base": "8000.00", "rate": "0.08", "amount": "640.00"}
    assert member.params["deductible_base_cap"] == "33000"


def test_deductible_part_uses_the_contribution_when_smaller():
    # a plan with a 2% member rate: the whole contribution is deductible
    assert deductible_member_contribution(D("160.00"), D("8000.00"), LIMITS) == D(
        "160.00"
    )


def test_deductible_part_is_capped_by_the_base_cap():
    assert deductible_member_contribution(D("2000.00"), D("50000.00"), LIMITS) == D(
        "1320.00"
    )


def test_caps_hold_for_demo_rates():
    members = [
        period("张三", "50000.00", "4000.00", "2000.00"),
        period("李四", "50000.00", "4000.00", "2000.00"),
    ]
    assert check_caps(members, TERMS) == []


def test_caps_of_no_members_hold():
    assert check_caps([], TERMS) == []


def test_employer_cap_exceeded_by_one_fen():
    members = [period("张三", "100000.00", "8000.01", "0.00")]
    [violation] = check_caps(members, TERMS)
    assert violation.code == CAP_EMPLOYER
    assert violation.message == (
        "单位缴费合计 8000.01 元，超过成员工资总额 100000.00 元的 8%（上限 8000.00 元）。"
    )


def test_total_cap_exceeded_by_one_fen():
    members = [period("张三", "100000.00", "8000.00", "4000.01")]
    [violation] = check_caps(members, TERMS)
    assert violation.code == CAP_TOTAL
    assert violation.message == (
        "单位和个人缴费合计 12000.01 元，超过成员工资总额 100000.00 元的 12%"
        "（上限 12000.00 元）。"
    )


def test_credit_ratio_cap_names_the_member():
    members = [period("王书记", "100000.00", "600.00", "0.00")] + [
        period(f"成员{n}", "100000.00", "10.00", "0.00") for n in range(5)
    ]
    [violation] = check_caps(members, TERMS)
    assert violation.code == CAP_CREDIT_RATIO
    # average 650 ÷ 6 = 108.33…; cap 541.66…
    assert violation.message == (
        "成员 王书记 的单位缴费 600.00 元，超过人均单位缴费 108.33 元的 5 倍"
        "（上限 541.66 元）。"
    )
    assert violation.params["member"] == "王书记"


def test_all_three_caps_can_fail_together():
    members = [period("甲", "1000.00", "1000.00", "100.00")] + [
        period(f"乙{n}", "1000.00", "1.00", "0.00") for n in range(5)
    ]
    codes = [v.code for v in check_caps(members, TERMS)]
    assert codes == [CAP_EMPLOYER, CAP_TOTAL, CAP_CREDIT_RATIO]


@pytest.mark.parametrize(
    ("on", "years"),
    [
        (date(2022, 3, 31), 0),
        (date(2022, 4, 1), 0),
        (date(2023, 3, 31), 0),
        (date(2023, 4, 1), 1),
        (date(2025, 5, 15), 3),
        (date(2030, 4, 1), 8),
    ],
)
def test_full_years_of_membership(on, years):
    assert full_years_between(date(2022, 4, 1), on) == years


@pytest.mark.parametrize(
    ("years", "fraction"),
    [
        (0, "0"),
        (1, "0.125"),
        (2, "0.250"),
        (3, "0.375"),
        (7, "0.875"),
        (8, "1.000"),
        (12, "1.000"),
    ],
)
def test_demo_vesting_schedule(years, fraction):
    assert vested_fraction(years, TERMS) == D(fraction)


@pytest.mark.parametrize(
    ("on", "vested", "unvested"),
    [
        (date(2023, 3, 31), "0.00", "10000.00"),
        (date(2023, 4, 1), "1250.00", "8750.00"),
        (date(2025, 5, 15), "3750.00", "6250.00"),
        (date(2030, 4, 1), "10000.00", "0.00"),
    ],
)
def test_vested_employer_amount_by_schedule(on, vested, unvested):
    result = vested_employer_amount(
        D("10000.00"), membership_started_on=date(2022, 4, 1), on=on, terms=TERMS
    )
    assert result.vested == D(vested)
    assert result.unvested == D(unvested)
    assert result.event == ""


@pytest.mark.parametrize("event", list(VestingEvent))
def test_immediate_vesting_events_vest_everything(event):
    result = vested_employer_amount(
        D("10000.00"),
        membership_started_on=date(2025, 4, 1),
        on=date(2025, 9, 30),
        terms=TERMS,
        events=[event],
    )
    assert result.vested == D("10000.00")
    assert result.unvested == D("0.00")
    assert result.event == event.value
    assert result.params["event"] == event.value


def test_unknown_event_does_not_vest_early():
    result = vested_employer_amount(
        D("10000.00"),
        membership_started_on=date(2022, 4, 1),
        on=date(2025, 5, 15),
        terms=TERMS,
        events=["dismissed_for_cause"],
    )
    assert result.vested == D("3750.00")


def test_plan_defined_event_vests_everything():
    terms = AnnuityPlanTerms(
        employer_rate=D("0.08"),
        member_rate=D("0.04"),
        employer_cap_rate=D("0.08"),
        total_cap_rate=D("0.12"),
        max_credit_ratio=D("5"),
        vesting_schedule=DEMO_SCHEDULE,
        immediate_vesting_events=frozenset(
            {*VestingEvent, "transfer_to_civil_service"}
        ),
    )
    result = vested_employer_amount(
        D("10000.00"),
        membership_started_on=date(2025, 4, 1),
        on=date(2025, 9, 30),
        terms=terms,
        events=["transfer_to_civil_service"],
    )
    assert result.vested == D("10000.00")


def test_vesting_rounds_half_up_and_keeps_the_balance():
    result = vested_employer_amount(
        D("1000.01"),
        membership_started_on=date(2022, 4, 1),
        on=date(2023, 4, 1),
        terms=TERMS,
    )
    assert result.vested == D("125.00")  # 125.00125
    assert result.unvested == D("875.01")


def test_leaving_forfeits_the_unvested_part_to_the_common_account():
    result = forfeit_on_leaving(
        D("10000.00"),
        membership_started_on=date(2022, 4, 1),
        left_on=date(2025, 5, 15),
        terms=TERMS,
    )
    assert result.kept == D("3750.00")
    assert result.to_common_account == D("6250.00")
    assert result.vesting.years == 3


def test_leaving_without_own_fault_forfeits_nothing():
    result = forfeit_on_leaving(
        D("10000.00"),
        membership_started_on=date(2022, 4, 1),
        left_on=date(2025, 5, 15),
        terms=TERMS,
        events=[VestingEvent.LEFT_WITHOUT_OWN_FAULT],
    )
    assert result.kept == D("10000.00")
    assert result.to_common_account == D("0.00")


def test_leaving_within_the_first_year_forfeits_everything():
    result = forfeit_on_leaving(
        D("5120.00"),
        membership_started_on=date(2025, 4, 1),
        left_on=date(2026, 3, 31),
        terms=TERMS,
    )
    assert result.kept == D("0.00")
    assert result.to_common_account == D("5120.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"vesting_schedule": ((1, D("0.5")), (10, D("1")))}, "within 8 years"),
        ({"vesting_schedule": ((1, D("0.5")), (2, D("0.4")))}, "must not decrease"),
        ({"vesting_schedule": ((2, D("0.5")), (1, D("1")))}, "strictly increasing"),
        ({"vesting_schedule": ((1, D("1.5")),)}, r"within \[0, 1\]"),
        ({"vesting_schedule": ()}, "at least one step"),
        (
            {"immediate_vesting_events": frozenset({VestingEvent.DEATH})},
            "statutory",
        ),
        ({"employer_rate": D("8")}, "employer_rate"),
    ],
)
def test_invalid_plan_terms_are_refused(changes, message):
    fields = {
        "employer_rate": D("0.08"),
        "member_rate": D("0.04"),
        "employer_cap_rate": D("0.08"),
        "total_cap_rate": D("0.12"),
        "max_credit_ratio": D("5"),
        "vesting_schedule": DEMO_SCHEDULE,
    }
    with pytest.raises(ValueError, match=message):
        AnnuityPlanTerms(**(fields | changes))


@st.composite
def schedules(draw):
    """Valid schedules: increasing years, non-decreasing fractions, 1 by year 8."""
    years = sorted(draw(st.sets(st.integers(min_value=0, max_value=7), max_size=7)))
    fractions = sorted(
        draw(
            st.lists(
                st.integers(min_value=0, max_value=1000),
                min_size=len(years),
                max_size=len(years),
            )
        )
    )
    steps = [(y, D(f) / 1000) for y, f in zip(years, fractions, strict=True)]
    full_at = draw(st.integers(min_value=(years[-1] + 1) if years else 0, max_value=8))
    return (*steps, (full_at, D(1)))


@given(schedule=schedules(), years=st.integers(min_value=0, max_value=40))
def test_vested_fraction_is_monotone_and_within_bounds(schedule, years):
    fraction = vested_fraction(years, schedule)
    assert 0 <= fraction <= 1
    assert vested_fraction(years + 1, schedule) >= fraction
    if years >= 8:
        assert fraction == 1


@given(
    balance=cents,
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    days=st.integers(min_value=0, max_value=6000),
    events=st.lists(st.sampled_from([*VestingEvent, "other"]), max_size=2),
)
def test_vested_plus_unvested_is_the_balance(balance, start, days, events):
    result = vested_employer_amount(
        balance,
        membership_started_on=start,
        on=start + timedelta(days=days),
        terms=TERMS,
        events=events,
    )
    assert result.vested + result.unvested == balance
    assert result.vested >= 0
    assert result.unvested >= 0
    assert result.vested.as_tuple().exponent == -2
    assert result.unvested.as_tuple().exponent == -2


@given(contribution=cents, base=cents)
def test_deductible_part_never_exceeds_the_contribution(contribution, base):
    deductible = deductible_member_contribution(contribution, base, LIMITS)
    assert 0 <= deductible <= contribution
    assert deductible.as_tuple().exponent == -2


@given(base=cents)
def test_monthly_contributions_are_in_fen(base):
    result = monthly_contributions(base, TERMS, LIMITS)
    for line in result.lines:
        assert line.amount >= 0
        assert line.amount.as_tuple().exponent == -2
    assert result.deductible <= result.member.amount


def test_rule_module_imports_no_framework():
    """The rule stays pure: importing it loads no django, djmoney or celery."""
    code = (
        "import sys, payroll.rules.annuity\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in {'django', 'djmoney', 'celery'})\n"
        "sys.exit(', '.join(bad) or None)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
