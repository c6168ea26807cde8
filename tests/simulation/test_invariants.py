"""The invariants of the city simulation are pure: each is tested on the
numbers of a case it must catch and one it must let pass."""

from datetime import date
from decimal import Decimal as D

import pytest

from payroll.rules.tax import TaxTable
from simulation import invariants as inv

YEARLY = TaxTable.from_rows(
    [
        (D("36000"), D("0.03"), D("0")),
        (D("144000"), D("0.10"), D("2520")),
        (D("300000"), D("0.20"), D("16920")),
        (None, D("0.45"), D("181920")),
    ],
    version="test",
)


def payslip(lines, **kwargs):
    values = {
        "worker": "王芳 #1",
        "year": 2026,
        "month": 3,
        "gross": D("6000.00"),
        "deductions": D("1000.00"),
        "net": D("5000.00"),
        "employer_cost": D("2000.00"),
        "lines": tuple(lines),
        "days": 31,
        "days_in_month": 31,
        "minimum_wage": D("2490.00"),
        "floor_excluded": frozenset({"star_allowance"}),
    }
    values.update(kwargs)
    return inv.PayslipFact(**values)


GOOD_LINES = (
    inv.Line("basic", "earning", D("4200.00")),
    inv.Line("performance", "earning", D("1800.00")),
    inv.Line("SI_PENSION", "deduction", D("1000.00")),
    inv.Line("SI_PENSION_EMPLOYER", "employer", D("2000.00")),
)


def test_lines_sum_holds_and_names_the_wrong_total():
    assert inv.check_lines_sum(payslip(GOOD_LINES)) == []

    found = inv.check_lines_sum(payslip(GOOD_LINES, net=D("5000.01")))

    assert [v.detail for v in found] == [
        "net: lines give 5000.00, payslip holds 5000.01"
    ]
    assert found[0].period == "2026-03"


def test_negative_net_is_a_violation():
    assert inv.check_net(payslip(GOOD_LINES)) == []
    found = inv.check_net(payslip(GOOD_LINES, net=D("-464.58")))
    assert found[0].invariant == inv.NO_NEGATIVE_NET
    assert "-464.58" in found[0].detail


def test_monthly_floor_counts_a_recovery_but_not_star_allowance_or_bonus():
    lines = (
        inv.Line("basic", "earning", D("4200.00")),
        inv.Line("adjustment", "earning", D("-1800.00"), {"item": "performance"}),
        inv.Line("star_allowance", "earning", D("600.00")),
        inv.Line("bonus", "earning", D("6000.00")),
    )
    found = inv.check_monthly_floor(payslip(lines))
    # 4,200 − 1,800 = 2,400 < 2,490; the star allowance and bonus would hide it.
    assert [v.detail for v in found] == [
        "gross counted for the floor 2400.00 < floor 2490.00 (2490.00 × 31/31)"
    ]


def test_monthly_floor_violation_has_the_figures():
    lines = (
        inv.Line("basic", "earning", D("2000.00")),
        inv.Line("star_allowance", "earning", D("600.00")),
    )
    found = inv.check_monthly_floor(payslip(lines))
    assert len(found) == 1
    assert "2000.00 < floor 2490.00" in found[0].detail
    # A part month: 10 of 31 days → floor 803.23.
    part = payslip((inv.Line("basic", "earning", D("803.23")),), days=10)
    assert inv.check_monthly_floor(part) == []


def year(**kwargs):
    values = {
        "worker": "王芳 #1",
        "year": 2026,
        "last_month": 12,
        "left_in_year": False,
        "joined_on": date(2020, 1, 1),
        "left_on": None,
        "post": "staff",
        "income": D("120000.00"),
        "tax_exempt_income": D("0"),
        "special_deductions": D("12000.00"),
        "special_additional_deductions": D("0"),
        "other_deductions": D("0"),
        "floor_total": D("150000.00"),
        "withheld": D("1080.00"),
        "yearly_top_up": D("0"),
    }
    values.update(kwargs)
    return inv.WorkerYear(**values)


def test_annual_tax_identity_from_the_years_totals():
    # 120,000 − 60,000 − 12,000 = 48,000 → 48,000 × 10% − 2,520 = 2,280.00
    assert inv.expected_annual_tax(year(), YEARLY, D("5000")) == (
        D("48000.00"),
        D("2280.00"),
    )
    assert inv.check_annual_tax(year(withheld=D("2280.00")), YEARLY, D("5000")) == []
    found = inv.check_annual_tax(year(withheld=D("2250.00")), YEARLY, D("5000"))
    assert "withheld 2250.00, yearly tax 2280.00" in found[0].detail
    assert found[0].detail.endswith("difference -30.00")


def test_annual_tax_allows_the_december_credit_and_skips_leavers():
    # Withheld 300 more than the year's tax, all of it a credit in December.
    credit = year(withheld=D("2580.00"), credit=D("300.00"))
    assert inv.check_annual_tax(credit, YEARLY, D("5000")) == []
    left = year(withheld=D("0"), left_in_year=True, left_on=date(2026, 6, 30))
    assert inv.check_annual_tax(left, YEARLY, D("5000")) == []
    # A worker who joined in April has 9 months of 5,000.
    joiner = year(joined_on=date(2026, 4, 10), withheld=D("0"))
    taxable, _tax = inv.expected_annual_tax(joiner, YEARLY, D("5000"))
    assert taxable == D("120000.00") - D("45000") - D("12000.00")


@pytest.mark.parametrize(
    ("joined", "left", "post", "expected"),
    [
        (date(2020, 1, 1), None, "principal", D("132000.00")),
        (date(2020, 1, 1), None, "staff", D("105600.00")),
        # One day (31 December): 105,600 × 1 / 365 = 289.32
        (date(2026, 12, 31), None, "staff", D("289.32")),
        # 1 January to 30 June: 181 days of 365
        (date(2020, 1, 1), date(2026, 6, 30), "principal", D("65457.53")),
    ],
)
def test_yearly_floor_is_prorated_by_days_employed(joined, left, post, expected):
    floor = inv.yearly_floor(
        post=post,
        year=2026,
        joined_on=joined,
        left_on=left,
        average_wage=D("132000"),
        principal_ratio=D("1.0"),
        other_ratio=D("0.8"),
    )
    assert floor == expected


def test_yearly_floor_shortfall_and_top_up_beyond_the_floor():
    assert inv.check_yearly_floor(year(), D("105600.00")) == []
    short = inv.check_yearly_floor(year(floor_total=D("100000.00")), D("105600.00"))
    assert "year total 100000.00 < floor 105600.00" in short[0].detail
    # The case: a worker who joined on 31 December got 6,912.83.
    over = year(
        joined_on=date(2026, 12, 31),
        floor_total=D("8800.00"),
        yearly_top_up=D("6912.83"),
    )
    found = inv.check_yearly_floor(over, D("289.32"))
    assert "top-up 6912.83" in found[0].detail
    assert "employed 1 days" in found[0].detail
    # An unfinished year is not checked.
    assert inv.check_yearly_floor(year(last_month=6, floor_total=D("1")), D("9")) == []


def facts(**kwargs):
    values = {
        "worker": "王芳 #1",
        "year": 2027,
        "post": "staff",
        "post_lowest": 1,
        "post_highest": 12,
        "level_before": 3,
        "level_after": 4,
        "started_on": date(2017, 6, 1),
        "education_years": 3,
        "certificate_levels": 0,
        "failed_years": 0,
        "early_promotions": 0,
    }
    values.update(kwargs)
    return inv.LevelFacts(**values)


def test_a3_formula_recomputed_each_january():
    # 9 full years to 31 Dec 2026 + 3 → 1 + 4 = 5
    assert inv.a3_level(facts()) == 5
    assert inv.check_level(facts(level_after=5)) == []
    found = inv.check_level(facts(level_after=4))
    assert found[0].detail.startswith("level 4, A3 gives 5")


def test_a3_fail_years_certificates_and_the_post_range():
    assert inv.a3_level(facts(failed_years=1)) == 4  # (8 + 3) // 3 = 3
    assert inv.a3_level(facts(certificate_levels=2)) == 7
    assert inv.a3_level(facts(early_promotions=1)) == 6
    assert inv.a3_level(facts(post_highest=4)) == 4
    # The formula never lowers a level.
    assert inv.a3_level(facts(level_before=9)) == 9


def test_annuity_identities():
    good = inv.AnnuityFacts(
        member_lines=D("400.00"),
        employer_lines=D("800.00"),
        member_contributions=D("400.00"),
        employer_contributions=D("800.00"),
        returns_credited=D("12.00"),
        entries_total=D("1212.00"),
        forfeits_total=D("0"),
        reversals_total=D("0"),
        accounts={"account 王芳 #1": (D("1212.00"), D("1212.00"))},
    )
    assert inv.check_annuity(good) == []
    bad = inv.AnnuityFacts(
        member_lines=D("400.00"),
        employer_lines=D("800.00"),
        member_contributions=D("400.00"),
        employer_contributions=D("700.00"),
        returns_credited=D("12.00"),
        entries_total=D("1112.00"),
        forfeits_total=D("5.00"),
        reversals_total=D("0"),
        accounts={"account 王芳 #1": (D("1112.00"), D("1111.00"))},
        negative_parts=[("企业账户 #2", "employer", D("-0.01"))],
    )
    names = [v.invariant for v in inv.check_annuity(bad)]
    assert names == [
        inv.ANNUITY_CONTRIBUTIONS,
        inv.ANNUITY_BALANCES,
        inv.ANNUITY_BALANCES,
        inv.ANNUITY_TOTAL,
    ]


def test_fund_year_closing_and_next_opening():
    closed = inv.FundYearFact(
        label="五河社区 #1",
        year=2026,
        carried_in=D("10000.00"),
        allocation=D("200000.00"),
        spent=D("84000.00"),
        closed=True,
        carried_out=D("126000.00"),
        next_carried_in=D("126000.00"),
    )
    assert inv.check_fund_year(closed) == []
    wrong = inv.FundYearFact(**{**closed.__dict__, "next_carried_in": D("0.00")})
    assert "opens with 0.00" in inv.check_fund_year(wrong)[0].detail
    no_carry = inv.FundYearFact(**{**closed.__dict__, "carry_over_allowed": False})
    assert inv.check_fund_year(no_carry)[0].invariant == inv.FUND_CLOSING
    assert inv.check_available("五河社区 #1", "2026-03", D("-0.01"))[0].detail == (
        "available -0.01"
    )


def test_summary_names_every_invariant():
    counts = inv.summarise([inv.Violation(inv.LINES_SUM, "x", "2026-01", "")])
    assert counts[inv.LINES_SUM] == 1
    assert set(counts) == set(inv.ALL)
    assert sum(counts.values()) == 1


def test_a3_counts_service_through_31_december():
    # Started 1 January 2022: six full years of service by 31 December 2027.
    started = facts(year=2028, started_on=date(2022, 1, 1), education_years=3)
    assert inv.a3_level(started) == 1 + (6 + 3) // 3
