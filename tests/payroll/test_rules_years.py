"""Pure rules for a payroll run over years (DOMAIN A3-A11): no database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.rules import annuity, contributions, tax
from payroll.rules.annuity_returns import distribute_return
from payroll.rules.floor import (
    YEARLY_FLOOR_TOP_UP,
    days_employed_in_year,
    yearly_floor,
    yearly_floor_top_up,
)
from payroll.rules.lines import EARNING, PayLine
from payroll.rules.payslip import (
    BONUS,
    RECOVERY,
    RECOVERY_DEFERRED,
    PayslipInput,
    PayslipTerms,
    PriorTotals,
    compute_payslip,
    months_employed_after_opening,
)
from payroll.rules.progression import (
    ProgressionFacts,
    early_promotions_earned,
    recompute_level,
)
from payroll.rules.scale import PostRange, Scale

TABLE = tax.TaxTable.from_rows(
    [("36000", "0.03", "0"), ("144000", "0.10", "2520"), ("300000", "0.20", "16920"),
     ("420000", "0.25", "31920"), ("660000", "0.30", "52920"),
     ("960000", "0.35", "85920"), (None, "0.45", "181920")]
)  # fmt: skip
MONTHLY = tax.TaxTable.from_rows(
    [("3000", "0.03", "0"), ("12000", "0.10", "210"), ("25000", "0.20", "1410"),
     ("35000", "0.25", "2660"), ("55000", "0.30", "4410"),
     ("80000", "0.35", "7160"), (None, "0.45", "15160")]
)  # fmt: skip
TERMS = PayslipTerms(
    social_insurance=contributions.SocialInsuranceRates(
        employee_pension=Decimal("0.08"), employee_medical=Decimal("0.02"),
        employee_unemployment=Decimal("0.005"), employer_pension=Decimal("0.16"),
        employer_medical=Decimal("0.07"), employer_unemployment=Decimal("0.005"),
        employer_work_injury=Decimal("0.002"),
    ),
    housing_fund=contributions.HousingFundRates(
        employee_rate=Decimal("0.12"), employer_rate=Decimal("0.12")
    ),
    withholding=tax.WithholdingTerms(
        table=TABLE, monthly_standard_deduction=Decimal("5000")
    ),
    bonus_table=MONTHLY,
    bonus_separate_until=date(2027, 12, 31),
)  # fmt: skip
SCALE = Scale(
    code="demo",
    standard_pay={n: Decimal(6600 + 300 * (n - 1)) for n in range(1, 19)},
    post_allowance={"principal": Decimal("600"), "deputy": Decimal("300")},
    one_shoulder_supplement=Decimal("300"),
    basic_ratio=Decimal("0.7"),
    performance_ratio=Decimal("0.3"),
    grade_coefficients={"pass": Decimal("1.0")},
    star_allowances={},
    minimum_wage=Decimal("2490"),
    city_average_wage=Decimal("132000"),
)
STAFF = PostRange("staff", 1, 12)


def earning(amount: str, code: str = "basic") -> PayLine:
    return PayLine(code=code, kind=EARNING, amount=Decimal(amount), rule="test")


def payslip(**kwargs) -> PayslipInput:
    values = {
        "worker_id": 1,
        "year": 2026,
        "month": 1,
        "earnings": (earning("10000.00"),),
        "social_insurance_base": Decimal("10000.00"),
        "housing_fund_base": Decimal("10000.00"),
        "months_employed": 1,
    }
    values.update(kwargs)
    return PayslipInput(**values)


# --- the yearly floor (A5) ----------------------------------------------------


def test_days_employed_in_year_counts_join_and_leave_days():
    assert days_employed_in_year(date(2026, 12, 31), None, 2026) == (1, 365)
    assert days_employed_in_year(date(2020, 1, 1), date(2026, 3, 10), 2026) == (
        69,
        365,
    )
    assert days_employed_in_year(date(2020, 1, 1), None, 2028) == (366, 366)
    assert days_employed_in_year(date(2027, 1, 1), None, 2026) == (0, 365)


def test_yearly_floor_is_prorated_by_days():
    assert yearly_floor("principal", SCALE) == Decimal("132000.00")
    assert yearly_floor("staff", SCALE) == Decimal("105600.00")
    # 105,600 × 1 / 365 = 289.315… → 289.32
    assert yearly_floor("staff", SCALE, days=1, days_in_year=365) == Decimal("289.32")
    assert yearly_floor("principal", SCALE, days=181, days_in_year=365) == Decimal(
        "65457.53"
    )


def test_one_day_worker_gets_a_tiny_top_up_that_says_how():
    line = yearly_floor_top_up(
        post="staff",
        year_total=Decimal("250.00"),
        scale=SCALE,
        days=1,
        days_in_year=365,
        holds={"gross": "212.90", "employer": "37.10", "opening": "0.00"},
    )
    assert line is not None
    assert line.code == YEARLY_FLOOR_TOP_UP
    assert line.amount == Decimal("39.32")
    assert line.params["city_average_wage"] == "132000"
    assert line.params["share"] == "0.8000"
    assert line.params["days"] == "1"
    assert line.params["days_in_year"] == "365"
    assert line.params["floor"] == "289.32"
    assert line.params["year_total"] == "250.00"
    assert line.params["gross"] == "212.90"


def test_december_payslip_checks_the_floor_of_the_days_employed():
    result = compute_payslip(
        payslip(
            month=12,
            earnings=(earning("100.00"),),
            social_insurance_base=Decimal("0"),
            housing_fund_base=Decimal("0"),
            yearly_floor_post="staff",
            yearly_floor_scale=SCALE,
            yearly_floor_days=1,
            days_in_year=365,
        ),
        TERMS,
    )
    top_up = next(line for line in result.lines if line.code == YEARLY_FLOOR_TOP_UP)
    assert top_up.amount == Decimal("189.32")


# --- opening year-to-date figures and the cumulative tax (A7) ------------------


def opening_after(months: int, monthly: Decimal, special_additional: Decimal):
    """What an earlier system withheld over ``months`` full months."""
    prior = PriorTotals()
    for month in range(1, months + 1):
        prior = compute_payslip(
            payslip(
                month=month,
                months_employed=month,
                earnings=(earning(str(monthly)),),
                prior=prior,
                special_additional_monthly=special_additional,
            ),
            TERMS,
        ).ytd
    return prior


def test_months_employed_after_opening():
    assert (
        months_employed_after_opening(opening_months=10, opening_month=10, month=11)
        == 11
    )
    assert (
        months_employed_after_opening(opening_months=4, opening_month=10, month=12) == 6
    )


def test_mid_year_start_with_opening_figures_withholds_month_by_month():
    """A city that starts in November imports Jan-Oct: November and December
    withhold what a system running all year would have."""
    monthly, extra = Decimal("12000.00"), Decimal("1000.00")
    earlier = opening_after(10, monthly, extra)
    opening = PriorTotals.from_opening(
        income=earlier.income,
        tax_exempt_income=Decimal("0.00"),
        special_deductions=earlier.special_deductions,
        special_additional_deductions=earlier.special_additional_deductions,
        other_deductions=Decimal("0.00"),
        tax_withheld=earlier.tax_withheld,
        months_employed=10,
        floor_total=earlier.floor_total,
    )
    november = compute_payslip(
        payslip(
            month=11,
            months_employed=11,
            earnings=(earning(str(monthly)),),
            prior=opening,
            special_additional_monthly=extra,
        ),
        TERMS,
    )
    december = compute_payslip(
        payslip(
            month=12,
            months_employed=12,
            earnings=(earning(str(monthly)),),
            prior=november.ytd,
            special_additional_monthly=extra,
        ),
        TERMS,
    )
    # Bases 10,000 → 2,250 special deductions; 12,000 − 5,000 − 2,250 − 1,000
    # = 3,750 taxable a month; the year 45,000 × 10% − 2,520 = 1,980.00.
    assert november.ytd.income == Decimal("132000.00")
    assert november.ytd.special_additional_deductions == Decimal("11000.00")
    iit = {line.code: line.amount for line in november.lines}["IIT"]
    # November: 41,250 × 10% − 2,520 = 1,605.00, less what Jan–Oct withheld.
    assert iit == Decimal("1605.00") - earlier.tax_withheld
    assert december.ytd.tax_withheld == Decimal("1980.00")
    # Without opening figures November would withhold almost nothing.
    bare = compute_payslip(
        payslip(
            month=11,
            months_employed=11,
            earnings=(earning(str(monthly)),),
            special_additional_monthly=extra,
        ),
        TERMS,
    )
    assert {line.code: line.amount for line in bare.lines}["IIT"] == Decimal("0.00")


@settings(max_examples=60, deadline=None)
@given(
    monthly=st.lists(
        st.integers(min_value=7750, max_value=60000).map(Decimal),
        min_size=12,
        max_size=12,
    ),
    opening_months=st.integers(min_value=0, max_value=11),
)
def test_cumulative_tax_over_a_year_equals_the_yearly_table(monthly, opening_months):
    """The annual reconciliation identity, whatever month the system starts
    in: tax withheld over the year = the yearly table on the year's totals
    (for pay that never falls below the month's deductions: a month that does
    leaves a credit, settled in the annual reconciliation)."""
    prior = PriorTotals()
    for month in range(1, 13):
        if month == opening_months + 1 and opening_months:
            prior = PriorTotals.from_opening(
                income=prior.income,
                tax_exempt_income=prior.tax_exempt_income,
                special_deductions=prior.special_deductions,
                special_additional_deductions=prior.special_additional_deductions,
                other_deductions=prior.other_deductions,
                tax_withheld=prior.tax_withheld,
                months_employed=opening_months,
                floor_total=prior.floor_total,
            )
        prior = compute_payslip(
            payslip(
                month=month,
                months_employed=month,
                earnings=(earning(str(monthly[month - 1])),),
                prior=prior,
                special_additional_monthly=Decimal("500"),
            ),
            TERMS,
        ).ytd
    taxable = (
        prior.income
        - Decimal("60000")
        - prior.special_deductions
        - prior.special_additional_deductions
    )
    assert prior.special_additional_deductions == Decimal("6000")
    assert prior.tax_withheld == tax.progressive_tax(max(taxable, Decimal(0)), TABLE)


# --- the year-end bonus regime (A7) ---------------------------------------------


def codes(result) -> dict[str, Decimal]:
    return {line.code: line.amount for line in result.lines}


def test_bonus_within_the_regime_is_taxed_separately():
    result = compute_payslip(
        payslip(year=2027, month=12, months_employed=12, bonus=Decimal("36000")),
        TERMS,
    )
    assert codes(result)["IIT_BONUS"] == Decimal("1080.00")
    assert result.ytd.income == Decimal("10000.00")


def test_bonus_after_the_regime_ends_is_merged_into_cumulative_income():
    result = compute_payslip(
        payslip(year=2028, month=1, months_employed=1, bonus=Decimal("36000")),
        TERMS,
    )
    assert "IIT_BONUS" not in codes(result)
    assert result.ytd.income == Decimal("46000.00")
    bonus = next(line for line in result.lines if line.code == BONUS)
    assert bonus.params["merged"] == "True"
    assert bonus.params["separate_until"] == "2027-12-31"


# --- recoveries (A11) ------------------------------------------------------------


def test_recovery_larger_than_a_month_is_carried_never_below_the_floor():
    """A late 不合格 recovered at once would take 17,400 from a 6,600 month."""
    month = compute_payslip(
        payslip(
            earnings=(earning("6600.00"),),
            adjustments=(earning("-17400.00", "adjustment"),),
            social_insurance_base=Decimal("6600.00"),
            housing_fund_base=Decimal("6600.00"),
            gross_floor=Decimal("2490.00"),
        ),
        TERMS,
    )
    assert month.gross >= Decimal("2490.00")
    assert month.net >= 0
    deferred = codes(month)[RECOVERY_DEFERRED]
    assert month.gross == Decimal("6600.00") - Decimal("17400.00") + deferred
    assert month.ytd.to_recover == deferred
    # The next month recovers what it can of the rest.
    following = compute_payslip(
        payslip(
            month=2,
            months_employed=2,
            earnings=(earning("6600.00"),),
            social_insurance_base=Decimal("6600.00"),
            housing_fund_base=Decimal("6600.00"),
            gross_floor=Decimal("2490.00"),
            prior=month.ytd,
            recovery_carried=month.ytd.to_recover,
        ),
        TERMS,
    )
    assert codes(following)[RECOVERY] == -deferred
    assert following.gross >= Decimal("2490.00")
    assert following.net >= 0
    recovered = deferred - following.ytd.to_recover
    assert recovered > 0
    assert following.ytd.to_recover < deferred


def test_december_top_up_does_not_let_a_recovery_take_the_month_below_the_floor():
    """The simulation's 2027-12 case: 9,529.20 still to recover from a 4,804.80
    month whose yearly floor tops the year up by thousands. The top-up repays
    the year, not the month: the month's own gross stays at the floor and the
    rest is carried."""
    result = compute_payslip(
        payslip(
            month=12,
            months_employed=12,
            earnings=(earning("4804.80"), earning("0.00", "performance")),
            social_insurance_base=Decimal("10600.00"),
            housing_fund_base=Decimal("10600.00"),
            gross_floor=Decimal("2490.00"),
            recovery_carried=Decimal("9529.20"),
            yearly_floor_post="staff",
            yearly_floor_scale=SCALE,
            yearly_floor_days=365,
        ),
        TERMS,
    )
    lines = codes(result)
    assert lines[YEARLY_FLOOR_TOP_UP] > 0
    month_pay = lines["basic"] + lines[RECOVERY] + lines[RECOVERY_DEFERRED]
    assert month_pay >= Decimal("2490.00")
    assert result.ytd.to_recover == lines[RECOVERY_DEFERRED] > 0
    assert result.net >= 0


def test_a_special_allowance_does_not_count_for_the_recovery_limit():
    result = compute_payslip(
        payslip(
            earnings=(earning("2490.00"), earning("3000.00", "star_allowance")),
            adjustments=(earning("-2000.00", "adjustment"),),
            gross_floor=Decimal("2490.00"),
            floor_excluded=frozenset({"star_allowance"}),
        ),
        TERMS,
    )
    assert codes(result)[RECOVERY_DEFERRED] == Decimal("2000.00")
    assert result.ytd.to_recover == Decimal("2000.00")


def test_a_small_recovery_is_taken_at_once():
    result = compute_payslip(
        payslip(
            adjustments=(earning("-600.00", "adjustment"),),
            gross_floor=Decimal("2490.00"),
        ),
        TERMS,
    )
    assert RECOVERY_DEFERRED not in codes(result)
    assert result.gross == Decimal("9400.00")
    assert result.ytd.to_recover == Decimal("0.00")


@settings(max_examples=60, deadline=None)
@given(
    pay=st.integers(min_value=2490, max_value=20000).map(Decimal),
    recovery=st.integers(min_value=0, max_value=60000).map(Decimal),
    carried=st.integers(min_value=0, max_value=30000).map(Decimal),
)
def test_recovery_never_takes_net_below_zero_nor_gross_below_the_floor(
    pay, recovery, carried
):
    result = compute_payslip(
        payslip(
            earnings=(earning(str(pay)),),
            adjustments=(earning(str(-recovery), "adjustment"),) if recovery else (),
            social_insurance_base=Decimal("4879.00"),
            housing_fund_base=Decimal("2490.00"),
            gross_floor=Decimal("2490.00"),
            recovery_carried=carried,
        ),
        TERMS,
    )
    assert result.gross >= Decimal("2490.00")
    assert result.net >= 0
    # Nothing is lost: what is not recovered now is still to recover.
    taken = pay - result.gross
    assert taken + result.ytd.to_recover == recovery + carried


# --- the annuity caps (A8) ---------------------------------------------------------

LEGAL = annuity.LegalCaps(
    employer_rate=Decimal("0.08"),
    total_rate=Decimal("0.12"),
    max_credit_ratio=Decimal("5"),
    version="legal:2018-02-01",
)


def plan_terms(**changes) -> annuity.AnnuityPlanTerms:
    values = {
        "employer_rate": Decimal("0.08"),
        "member_rate": Decimal("0.04"),
        "employer_cap_rate": Decimal("0.08"),
        "total_cap_rate": Decimal("0.12"),
        "max_credit_ratio": Decimal("5"),
        "vesting_schedule": ((1, Decimal("0.125")), (8, Decimal("1"))),
    }
    values.update(changes)
    return annuity.AnnuityPlanTerms(**values)


def test_a_plan_within_the_legal_caps_passes():
    assert annuity.plan_legal_violations(plan_terms(), LEGAL) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"employer_rate": Decimal("0.09"), "member_rate": Decimal("0.03")},
        {"member_rate": Decimal("0.05")},
        {"employer_cap_rate": Decimal("0.10")},
        {"total_cap_rate": Decimal("0.15")},
        {"max_credit_ratio": Decimal("6")},
    ],
)
def test_a_plan_cannot_raise_the_legal_caps(changes):
    violations = annuity.plan_legal_violations(plan_terms(**changes), LEGAL)
    assert len(violations) == 1
    assert "法定" in violations[0]


def test_caps_checked_on_the_plan_year_not_the_month():
    """January of year two: a base that holds last December's top-up pays
    840.00 against 9,000.00 of January pay (8% would be 720.00): normal."""
    january = annuity.MemberPeriod(
        member="书记甲",
        wages=Decimal("9000.00"),
        employer_contribution=Decimal("840.00"),
        member_contribution=Decimal("420.00"),
    )
    assert annuity.check_caps([january], plan_terms(), LEGAL)
    year = annuity.plan_year_projection(
        january, full_time_month_wages=Decimal("9000.00"), months_remaining=11
    )
    assert year.wages == Decimal("108000.00")
    assert annuity.check_caps([year], plan_terms(), LEGAL) == []


def test_a_year_that_breaks_the_cap_is_reported_with_figures():
    december = annuity.MemberPeriod(
        member="书记甲",
        wages=Decimal("108000.00"),
        employer_contribution=Decimal("10080.00"),
        member_contribution=Decimal("5040.00"),
    )
    year = annuity.plan_year_projection(
        december, full_time_month_wages=Decimal("9000.00"), months_remaining=0
    )
    violations = annuity.check_caps([year], plan_terms(), LEGAL)
    assert violations[0].code == annuity.CAP_EMPLOYER
    assert "10080.00" in violations[0].message
    assert "8640.00" in violations[0].message


def test_legal_caps_apply_over_a_looser_plan_cap():
    period = annuity.MemberPeriod(
        "甲", Decimal("100000"), Decimal("9000"), Decimal("0")
    )
    loose = plan_terms(employer_rate=Decimal("0.08"))
    object.__setattr__(loose, "employer_cap_rate", Decimal("0.10"))
    assert annuity.check_caps([period], loose) == []
    assert annuity.check_caps([period], loose, LEGAL)[0].code == annuity.CAP_EMPLOYER


# --- returns (A8) ----------------------------------------------------------------


def test_returns_never_credit_the_common_account_a_negative_amount():
    balances = {"a": Decimal("0.01"), "b": Decimal("0.01"), "c": Decimal("0.01")}
    shares = distribute_return(
        {**balances, "common": Decimal("0")}, Decimal("0.02"), "common"
    )
    assert shares["common"] >= 0
    assert sum(shares.values()) == Decimal("0.02")


@settings(max_examples=100, deadline=None)
@given(
    balances=st.lists(
        st.integers(min_value=0, max_value=10**7).map(lambda n: Decimal(n) / 100),
        min_size=1,
        max_size=8,
    ),
    common=st.integers(min_value=0, max_value=10**6).map(lambda n: Decimal(n) / 100),
    total=st.integers(min_value=0, max_value=10**6).map(lambda n: Decimal(n) / 100),
)
def test_return_shares_are_exact_and_never_negative(balances, common, total):
    keyed: dict = dict(enumerate(balances))
    keyed["common"] = common
    shares = distribute_return(keyed, total, "common")
    assert sum(shares.values()) == total
    assert all(share >= 0 for share in shares.values())


# --- contribution bases (A7) -----------------------------------------------------


def test_base_within_limits():
    limits = contributions.ContributionBaseLimits(
        floor=Decimal("4879"), ceiling=Decimal("24396")
    )
    assert contributions.within_limits(Decimal("4879"), limits)
    assert contributions.within_limits(Decimal("24396"), limits)
    assert not contributions.within_limits(Decimal("3000"), limits)
    assert not contributions.within_limits(Decimal("40000"), limits)


# --- progression (A3) ------------------------------------------------------------


def facts(**changes) -> ProgressionFacts:
    values = {
        "level": 1,
        "post": STAFF,
        "started_on": date(2017, 3, 1),
        "education_years": 3,
        "certificate_levels": 0,
    }
    values.update(changes)
    return ProgressionFacts(**values)


def test_progression_recomputes_the_placement_formula():
    # Service 2017-03-01 → 2025-12-31: 8 full years; + bachelor 3 = 11 → +3.
    decision = recompute_level(facts(), effective_year=2026, grades={})
    assert decision.service_years == 8
    assert decision.formula_level == 4
    assert decision.new_level == 4


def test_a_fail_year_does_not_count_and_a_rerun_changes_nothing():
    grades = {2024: "fail"}
    first = recompute_level(facts(), effective_year=2026, grades=grades)
    assert first.countable_years == 7
    assert first.new_level == 4  # 1 + (7 + 3) // 3
    again = recompute_level(
        facts(level=first.new_level), effective_year=2026, grades=grades
    )
    assert again.new_level == first.new_level
    assert not again.moves


def test_progression_is_never_a_year_late():
    """A placement that left 2 years over reaches the next step after one
    more year, whatever was counted before."""
    worker = facts(started_on=date(2019, 1, 1), education_years=0)
    # 2019..2025 = 7 years → 1 + 2 = 3; 2026 → 8 → 3; 2027 → 9 → 4.
    assert recompute_level(worker, effective_year=2026, grades={}).new_level == 3
    assert recompute_level(worker, effective_year=2028, grades={}).new_level == 4


def test_certificate_and_override_and_early_promotions():
    grades = {2023: "excellent", 2024: "excellent", 2025: "pass"}
    decision = recompute_level(
        facts(level=5, certificate_levels=2, override_difference=1),
        effective_year=2026,
        grades=grades,
    )
    # 1 + 11 // 3 + 2 (certificate) + 1 (early, 2023–2024) + 1 (override)
    assert decision.early_promotions == 1
    assert decision.new_level == 8


def test_level_never_falls_and_never_passes_the_post():
    assert (
        recompute_level(facts(level=9), effective_year=2026, grades={}).new_level == 9
    )
    top = recompute_level(
        facts(certificate_levels=3, override_difference=9),
        effective_year=2026,
        grades={},
    )
    assert top.new_level == 12
    assert top.capped


def test_early_promotions_at_most_twice_and_never_reusing_a_year():
    grades = dict.fromkeys(range(2016, 2026), "excellent")
    pairs = early_promotions_earned(grades, before_year=2026, first_year=2016)
    assert pairs == ((2016, 2017), (2018, 2019))
    assert (
        early_promotions_earned(
            {2024: "excellent", 2025: "excellent"}, before_year=2025, first_year=2016
        )
        == ()
    )
