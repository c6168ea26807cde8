"""The whole-payslip rule: lines, totals, year-to-date and the yearly floor."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.rules import contributions, tax
from payroll.rules.floor import yearly_floor
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER, PayLine
from payroll.rules.payslip import (
    PayslipInput,
    PayslipTerms,
    PriorTotals,
    compute_payslip,
)
from payroll.rules.scale import Scale

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
        table=tax.TaxTable.from_rows(
            [("36000", "0.03", "0"), ("144000", "0.10", "2520"), ("300000", "0.20", "16920"),
             ("420000", "0.25", "31920"), ("660000", "0.30", "52920"),
             ("960000", "0.35", "85920"), (None, "0.45", "181920")]
        ),
        monthly_standard_deduction=Decimal("5000"),
    ),
)  # fmt: skip
SCALE = Scale(
    code="demo",
    standard_pay={n: Decimal(4800 + 200 * (n - 1)) for n in range(1, 19)},
    post_allowance={
        "principal": Decimal("600"),
        "deputy": Decimal("300"),
        "staff": Decimal("0"),
    },
    one_shoulder_supplement=Decimal("300"),
    basic_ratio=Decimal("0.7"),
    performance_ratio=Decimal("0.3"),
    grade_coefficients={"pass": Decimal("1.0")},
    star_allowances={},
    minimum_wage=Decimal("2490"),
    city_average_wage=Decimal("132000"),
)


def earning(amount: str, code: str = "basic") -> PayLine:
    return PayLine(code=code, kind=EARNING, amount=Decimal(amount), rule="test")


def test_payslip_totals_and_tax_of_a_plain_month():
    result = compute_payslip(
        PayslipInput(
            worker_id=1, year=2026, month=1,
            earnings=(earning("14000.00"), earning("6000.00", "performance")),
            social_insurance_base=Decimal("20000"), housing_fund_base=Decimal("20000"),
            months_employed=1,
        ),
        TERMS,
    )  # fmt: skip

    codes = {line.code: line.amount for line in result.lines}
    assert result.gross == Decimal("20000.00")
    assert codes["SI_PENSION"] == Decimal("1600.00")
    assert codes["HOUSING_FUND"] == Decimal("2400.00")
    # 20,000 − 5,000 − (1,600 + 400 + 100 + 2,400) = 10,500 × 3% = 315.00
    assert codes["IIT"] == Decimal("315.00")
    assert result.deductions == Decimal("4815.00")
    assert result.net == Decimal("15185.00")
    assert result.ytd.tax_withheld == Decimal("315.00")
    assert result.ytd.months_paid == 1


def test_december_tops_up_to_the_yearly_floor_of_the_months_paid():
    prior = PriorTotals(floor_total=Decimal("70000.00"), months_paid=11)
    result = compute_payslip(
        PayslipInput(
            worker_id=1, year=2026, month=12, earnings=(earning("4800.00"),),
            social_insurance_base=Decimal("4879"), housing_fund_base=Decimal("4879"),
            months_employed=12, prior=prior, yearly_floor_post="staff",
            yearly_floor_scale=SCALE,
        ),
        TERMS,
    )  # fmt: skip

    top_up = next(line for line in result.lines if line.code == "yearly_floor_top_up")
    employer = sum(line.amount for line in result.lines if line.kind == EMPLOYER)
    floor = yearly_floor("staff", SCALE)
    assert floor == Decimal("105600.00")
    assert top_up.amount == floor - (
        Decimal("70000.00") + Decimal("4800.00") + employer
    )
    assert result.ytd.floor_total == floor


def test_no_top_up_when_the_floor_is_met():
    prior = PriorTotals(floor_total=Decimal("200000.00"), months_paid=11)
    result = compute_payslip(
        PayslipInput(
            worker_id=1, year=2026, month=12, earnings=(earning("9000.00"),),
            social_insurance_base=Decimal("9000"), housing_fund_base=Decimal("9000"),
            months_employed=12, prior=prior, yearly_floor_post="principal",
            yearly_floor_scale=SCALE,
        ),
        TERMS,
    )  # fmt: skip

    assert "yearly_floor_top_up" not in {line.code for line in result.lines}


money = st.decimals(min_value=Decimal("0"), max_value=Decimal("60000"), places=2)


@settings(max_examples=200, deadline=None)
@given(
    basic=money, performance=money, base=st.decimals(min_value=Decimal("4879"), max_value=Decimal("24396"), places=2),
    prior_income=money, prior_withheld=st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2),
    month=st.integers(min_value=2, max_value=12),
)  # fmt: skip
def test_lines_always_sum_exactly_to_the_totals(
    basic, performance, base, prior_income, prior_withheld, month
):
    result = compute_payslip(
        PayslipInput(
            worker_id=1, year=2026, month=month,
            earnings=(earning(str(basic)), earning(str(performance), "performance")),
            social_insurance_base=base, housing_fund_base=base, months_employed=month,
            prior=PriorTotals(income=prior_income, tax_withheld=prior_withheld),
        ),
        TERMS,
    )  # fmt: skip

    def total(kind):
        return sum(
            (line.amount for line in result.lines if line.kind == kind), Decimal("0.00")
        )

    assert result.gross == total(EARNING)
    assert result.deductions == total(DEDUCTION)
    assert result.employer_cost == total(EMPLOYER)
    assert result.net == result.gross - result.deductions
    assert all(
        line.amount == line.amount.quantize(Decimal("0.01")) for line in result.lines
    )
    assert all(line.amount >= 0 for line in result.lines)
    assert result.ytd.tax_withheld >= prior_withheld
