import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payroll.rules.lines import DEDUCTION
from payroll.rules.tax import (
    IIT,
    IIT_BONUS,
    TaxBracket,
    TaxTable,
    WithholdingTerms,
    YearToDate,
    annual_bonus_tax,
    cumulative_standard_deduction,
    months_employed,
    progressive_tax,
    withhold_monthly_tax,
)

D = Decimal
ZERO = D("0.00")

# 预扣率表一 (居民个人工资、薪金所得预扣预缴适用), DOMAIN 7.3.
ANNUAL_TABLE = TaxTable.from_rows(
    [
        ("36000", "0.03", "0"),
        ("144000", "0.10", "2520"),
        ("300000", "0.20", "16920"),
        ("420000", "0.25", "31920"),
        ("660000", "0.30", "52920"),
        ("960000", "0.35", "85920"),
        (None, "0.45", "181920"),
    ],
    version="IIT-annual-2019",
)
# 按月换算后的综合所得税率表, for the one-off bonus, DOMAIN 7.3.
MONTHLY_TABLE = TaxTable.from_rows(
    [
        ("3000", "0.03", "0"),
        ("12000", "0.10", "210"),
        ("25000", "0.20", "1410"),
        ("35000", "0.25", "2660"),
        ("55000", "0.30", "4410"),
        ("80000", "0.35", "7160"),
        (None, "0.45", "15160"),
    ],
    version="IIT-monthly-2019",
)
TERMS = WithholdingTerms(
    table=ANNUAL_TABLE, monthly_standard_deduction=D("5000"), version="IIT-2019"
)

cents = st.integers(min_value=0, max_value=5_000_000).map(lambda n: D(n).scaleb(-2))


def ytd(
    *,
    income,
    months,
    special="0",
    additional="0",
    other="0",
    exempt="0",
    withheld="0",
):
    return YearToDate(
        income=D(income),
        tax_exempt_income=D(exempt),
        months_employed=months,
        special_deductions=D(special),
        special_additional_deductions=D(additional),
        other_deductions=D(other),
        tax_withheld=D(withheld),
    )


def run_year(months, *, flag=False):
    """Withhold month by month; ``months`` holds dicts of each month's own amounts.

    Returns the IIT lines in order.
    """
    lines = []
    current = None
    for number, month in enumerate(months, start=1):
        amounts = {
            "income": month["income"],
            "special_deductions": month.get("special", ZERO),
            "special_additional_deductions": month.get("additional", ZERO),
            "other_deductions": month.get("other", ZERO),
        }
        if current is None:
            current = YearToDate(
                tax_exempt_income=ZERO,
                months_employed=number,
                tax_withheld=ZERO,
                income=amounts["income"],
                special_deductions=amounts["special_deductions"],
                special_additional_deductions=amounts["special_additional_deductions"],
                other_deductions=amounts["other_deductions"],
            )
        else:
            current = current.next_month(
                withheld=lines[-1].amount, months_employed=number, **amounts
            )
        lines.append(
            withhold_monthly_tax(current, TERMS, full_year_deduction_from_january=flag)
        )
    return lines


DOMAIN_MONTH = {"income": D("20000.00"), "special": D("4500.00")}


def test_domain_worked_example_month_by_month():
    lines = run_year([DOMAIN_MONTH] * 12)
    assert [line.amount for line in lines] == [
        D("315.00"),
        D("315.00"),
        D("315.00"),
        D("735.00"),
        *[D("1050.00")] * 8,
    ]
    assert sum(line.amount for line in lines) == D("10080.00")


@pytest.mark.parametrize(
    ("month", "taxable", "rate", "quick", "cumulative_tax", "previous", "withheld"),
    [
        (1, "10500.00", "0.03", "0", "315.00", "0.00", "315.00"),
        (2, "21000.00", "0.03", "0", "630.00", "315.00", "315.00"),
        (3, "31500.00", "0.03", "0", "945.00", "630.00", "315.00"),
        (4, "42000.00", "0.10", "2520", "1680.00", "945.00", "735.00"),
        (5, "52500.00", "0.10", "2520", "2730.00", "1680.00", "1050.00"),
        (12, "126000.00", "0.10", "2520", "10080.00", "9030.00", "1050.00"),
    ],
)
def test_domain_worked_example_params(
    month, taxable, rate, quick, cumulative_tax, previous, withheld
):
    line = run_year([DOMAIN_MONTH] * month)[-1]
    assert line.code == IIT
    assert line.kind == DEDUCTION
    assert line.rule == "A7.iit.cumulative"
    assert line.version == "IIT-2019"
    assert line.amount == D(withheld)
    assert line.params["taxable_income"] == taxable
    assert line.params["rate"] == rate
    assert line.params["quick_deduction"] == quick
    assert line.params["cumulative_tax"] == cumulative_tax
    assert line.params["previously_withheld"] == previous
    assert line.params["credit"] == "0.00"
    assert line.params["cumulative_standard_deduction"] == str(5000 * month)


@pytest.mark.parametrize(
    ("taxable", "rate", "expected"),
    [
        ("36000.00", "0.03", "1080.00"),
        ("36000.01", "0.10", "1080.00"),
        ("144000.00", "0.10", "11880.00"),
        ("144000.01", "0.20", "11880.00"),
        ("300000.00", "0.20", "43080.00"),
        ("300000.01", "0.25", "43080.00"),
        ("420000.00", "0.25", "73080.00"),
        ("420000.01", "0.30", "73080.00"),
        ("660000.00", "0.30", "145080.00"),
        ("660000.01", "0.35", "145080.00"),
        ("960000.00", "0.35", "250080.00"),
        ("960000.01", "0.45", "250080.00"),
        ("1000000.00", "0.45", "268080.00"),
    ],
)
def test_every_bracket_edge_of_the_annual_table(taxable, rate, expected):
    """At each edge and one fen above it, the rate changes and the tax stays continuous."""
    assert progressive_tax(D(taxable), ANNUAL_TABLE) == D(expected)
    # through the cumulative method: one month, 5,000 standard deduction
    line = withhold_monthly_tax(ytd(income=D(taxable) + 5000, months=1), TERMS)
    assert line.amount == D(expected)
    assert line.params["rate"] == rate
    assert line.params["taxable_income"] == taxable


def test_progressive_tax_of_nothing_is_zero():
    assert progressive_tax(D("0"), ANNUAL_TABLE) == ZERO
    assert progressive_tax(D("-100"), ANNUAL_TABLE) == ZERO


def test_standard_deduction_counts_months_employed_not_payslips():
    """Joined in April, first paid in June for three months: 3 × 5,000."""
    months = months_employed(year=2026, month=6, joined_on=date(2026, 4, 10))
    assert months == 3
    line = withhold_monthly_tax(ytd(income="30000.00", months=months), TERMS)
    assert line.params["cumulative_standard_deduction"] == "15000"
    assert line.params["taxable_income"] == "15000.00"
    assert line.amount == D("450.00")


@pytest.mark.parametrize(
    ("joined_on", "month", "from_january", "expected"),
    [
        (date(2026, 4, 10), 6, False, 3),
        (date(2026, 4, 30), 4, False, 1),
        (date(2026, 1, 1), 12, False, 12),
        (date(2019, 7, 1), 5, False, 5),
        (date(2026, 7, 1), 9, True, 9),  # 公告2020年第13号: first job of the year
    ],
)
def test_months_employed(joined_on, month, from_january, expected):
    assert (
        months_employed(
            year=2026,
            month=month,
            joined_on=joined_on,
            counts_from_january=from_january,
        )
        == expected
    )


def test_months_employed_refuses_a_month_before_joining():
    with pytest.raises(ValueError, match="after"):
        months_employed(year=2026, month=3, joined_on=date(2026, 4, 1))


def test_late_declared_deduction_withholds_zero_and_carries_a_credit():
    """Cumulative tax below what was withheld: 0.00 this month, credit used up later."""
    month = {"income": D("20000.00"), "special": D("4500.00")}
    months = [
        month,
        month,
        # 30,000 of special additional deductions declared in March for the year
        {**month, "additional": D("30000.00")},
        month,
        month,
    ]
    lines = run_year(months)
    assert [line.amount for line in lines] == [
        D("315.00"),
        D("315.00"),
        D("0.00"),  # 31,500 − 30,000 = 1,500 → 45.00 − 630.00 < 0
        D("0.00"),  # 12,000 → 360.00 − 630.00 < 0
        D("45.00"),  # 22,500 → 675.00 − 630.00
    ]
    assert lines[2].params["cumulative_tax"] == "45.00"
    assert lines[2].params["credit"] == "585.00"
    assert lines[3].params["credit"] == "270.00"
    assert lines[4].params["credit"] == "0.00"


def test_announcement_2020_19_flag_gives_60000_from_january():
    """Previous year all here with income ≤ 60,000: no tax until income passes 60,000."""
    months = [{"income": D("8000.00")}] * 9
    lines = run_year(months, flag=True)
    assert [line.amount for line in lines] == [
        *[D("0.00")] * 7,  # cumulative 56,000 ≤ 60,000
        D("120.00"),  # 64,000 − 60,000 = 4,000 × 3%
        D("240.00"),  # 12,000 × 3% = 360 − 120
    ]
    assert lines[0].params["cumulative_standard_deduction"] == "60000"
    assert lines[0].params["full_year_deduction_from_january"] == "True"


def test_without_the_2020_19_flag_the_same_worker_pays_from_january():
    lines = run_year([{"income": D("8000.00")}])
    assert lines[0].amount == D("90.00")


def test_cumulative_standard_deduction():
    assert cumulative_standard_deduction(TERMS, 3, full_year_from_january=False) == D(
        "15000"
    )
    assert cumulative_standard_deduction(TERMS, 3, full_year_from_january=True) == D(
        "60000"
    )


def test_all_deductions_and_exempt_income_reduce_taxable_income():
    line = withhold_monthly_tax(
        ytd(
            income="30000.00",
            months=1,
            exempt="1000.00",
            special="4500.00",
            additional="3000.00",
            other="320.00",
        ),
        TERMS,
    )
    # 30,000 − 1,000 − 5,000 − 4,500 − 3,000 − 320 = 16,180
    assert line.params["taxable_income"] == "16180.00"
    assert line.amount == D("485.40")


def test_tax_relief_reduces_the_month():
    current = YearToDate(
        income=D("20000.00"),
        tax_exempt_income=ZERO,
        months_employed=1,
        special_deductions=D("4500.00"),
        special_additional_deductions=ZERO,
        other_deductions=ZERO,
        tax_withheld=ZERO,
        tax_relief=D("15.00"),
    )
    assert withhold_monthly_tax(current, TERMS).amount == D("300.00")


def test_income_below_deductions_withholds_zero():
    line = withhold_monthly_tax(ytd(income="3000.00", months=1, special="300"), TERMS)
    assert line.amount == ZERO
    assert line.params["taxable_income"] == "0.00"


@pytest.mark.parametrize(
    ("bonus", "expected", "rate"),
    [
        ("36000.00", "1080.00", "0.03"),
        ("36000.01", "3390.00", "0.10"),
        ("36001.00", "3390.10", "0.10"),
        ("144000.00", "14190.00", "0.10"),
        ("144001.00", "27390.20", "0.20"),
        ("300000.00", "58590.00", "0.20"),
        ("300001.00", "72340.25", "0.25"),
        ("420000.00", "102340.00", "0.25"),
        ("420001.00", "121590.30", "0.30"),
        ("660000.00", "193590.00", "0.30"),
        ("660001.00", "223840.35", "0.35"),
        ("960000.00", "328840.00", "0.35"),
        ("960001.00", "416840.45", "0.45"),
        ("0.00", "0.00", "0.03"),
    ],
)
def test_annual_bonus_is_taxed_on_the_monthly_table(bonus, expected, rate):
    line = annual_bonus_tax(D(bonus), MONTHLY_TABLE)
    assert line is not None
    assert line.code == IIT_BONUS
    assert line.kind == DEDUCTION
    assert line.amount == D(expected)
    assert line.params["rate"] == rate


def test_annual_bonus_cliff_params():
    line = annual_bonus_tax(D("36001.00"), MONTHLY_TABLE)
    assert line is not None
    assert line.params == {
        "bonus": "36001.00",
        "monthly_share": "3000.09",
        "rate": "0.10",
        "quick_deduction": "210",
        "taxable_income": "36001.00",
    }


def test_merged_bonus_is_taxed_with_wages():
    assert (
        annual_bonus_tax(
            D("36001.00"), MONTHLY_TABLE, merge_into_comprehensive_income=True
        )
        is None
    )
    # merged into December's cumulative income of the worked example instead
    months = [DOMAIN_MONTH] * 11 + [{**DOMAIN_MONTH, "income": D("56001.00")}]
    december = run_year(months)[-1]
    # 162,001 × 20% − 16,920 = 15,480.20; − 9,030 withheld = 6,450.20
    assert december.amount == D("6450.20")


def test_tax_table_must_end_open_and_increase():
    with pytest.raises(ValueError, match="open"):
        TaxTable((TaxBracket(D("100"), D("0.1"), D("0")),))
    with pytest.raises(ValueError, match="increasing"):
        TaxTable.from_rows(
            [("100", "0.1", "0"), ("100", "0.2", "10"), (None, "0.3", "20")]
        )


def test_year_to_date_refuses_zero_months():
    with pytest.raises(ValueError, match="months_employed"):
        ytd(income="1", months=0)


month_amounts = st.fixed_dictionaries(
    {
        "income": cents,
        "special": cents,
        "additional": cents,
        "other": cents,
    }
)


@given(
    income=cents,
    months=st.integers(min_value=1, max_value=12),
    special=cents,
    additional=cents,
    withheld=cents,
    flag=st.booleans(),
)
def test_withholding_is_never_negative_and_in_fen(
    income, months, special, additional, withheld, flag
):
    line = withhold_monthly_tax(
        ytd(
            income=income,
            months=months,
            special=special,
            additional=additional,
            withheld=withheld,
        ),
        TERMS,
        full_year_deduction_from_january=flag,
    )
    assert line.amount >= 0
    assert line.amount.as_tuple().exponent == -2
    assert D(line.params["credit"]) >= 0


@settings(deadline=None)  # a whole year per example
@given(
    extras=st.lists(cents, min_size=1, max_size=12),
    deductions=st.lists(cents, min_size=12, max_size=12),
)
def test_total_withheld_equals_tax_on_cumulative_taxable_income(extras, deductions):
    """With non-negative monthly taxable increments, Σ withheld = tax(cumulative)."""
    months = [
        {"income": D("5000") + deduction + extra, "special": deduction}
        for extra, deduction in zip(extras, deductions, strict=False)
    ]
    lines = run_year(months)
    withheld = ZERO
    for line in lines:
        withheld += line.amount
        taxable = D(line.params["taxable_income"])
        assert withheld == progressive_tax(taxable, ANNUAL_TABLE)
        assert line.params["credit"] == "0.00"


@settings(deadline=None)  # a whole year per example
@given(months=st.lists(month_amounts, min_size=1, max_size=12))
def test_total_withheld_is_the_highest_cumulative_tax_so_far(months):
    """Any sequence, credits included: Σ withheld = max of the cumulative taxes."""
    lines = run_year(months)
    withheld = ZERO
    highest = ZERO
    for line in lines:
        withheld += line.amount
        highest = max(highest, D(line.params["cumulative_tax"]))
        assert withheld == highest
        assert line.amount.as_tuple().exponent == -2


@given(bonus=cents)
def test_bonus_tax_is_non_negative_and_in_fen(bonus):
    line = annual_bonus_tax(bonus, MONTHLY_TABLE)
    assert line is not None
    assert 0 <= line.amount <= bonus
    assert line.amount.as_tuple().exponent == -2


def test_rule_module_imports_no_framework():
    """The rule stays pure: importing it loads no django, djmoney or celery."""
    code = (
        "import sys, payroll.rules.tax\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in {'django', 'djmoney', 'celery'})\n"
        "sys.exit(', '.join(bad) or None)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
