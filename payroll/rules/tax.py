"""Individual income tax on wages (DOMAIN A7, Part B 7.3).

Cumulative withholding (累计预扣法) per 国家税务总局公告2018年第61号
(《个人所得税扣缴申报管理办法(试行)》)::

    累计预扣预缴应纳税所得额 = 累计收入 − 累计免税收入 − 累计减除费用
                               − 累计专项扣除 − 累计专项附加扣除
                               − 累计依法确定的其他扣除
    累计减除费用 = 5,000 × 当年截至本月在本单位的任职受雇月份数
    本期应预扣预缴税额 = (累计应纳税所得额 × 预扣率 − 速算扣除数)
                         − 累计减免税额 − 累计已预扣预缴税额

and the year-end one-off bonus taxed on its own (财政部 税务总局公告2023年第30号).

The bracket tables, the 5,000 monthly deduction and every other figure are
passed in; this module reads no settings, clock or database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise

from core.decimals import CENT, ZERO, round_cents
from payroll.rules.lines import DEDUCTION, PayLine

IIT = "IIT"
IIT_BONUS = "IIT_BONUS"
MONTHS_IN_YEAR = 12


@dataclass(frozen=True)
class TaxBracket:
    """One row of a progressive table.

    ``upper`` is the inclusive upper bound of the taxable amount (``None`` for
    the open top bracket); ``rate`` a fraction; ``quick_deduction`` the
    速算扣除数. Row 2 of 预扣率表一: ``TaxBracket(Decimal("144000"),
    Decimal("0.10"), Decimal("2520"))``.
    """

    upper: Decimal | None
    rate: Decimal
    quick_deduction: Decimal


@dataclass(frozen=True)
class TaxTable:
    """A progressive table, brackets ordered by ``upper``, the last one open.

    Two tables are used: 预扣率表一 (the yearly comprehensive-income table
    for cumulative withholding: 36,000 / 144,000 / 300,000 / 420,000 /
    660,000 / 960,000 / above, 3%–45%) and the monthly table used for the
    one-off bonus (3,000 / 12,000 / 25,000 / 35,000 / 55,000 / 80,000 /
    above). Both are dated rows in the database.
    """

    brackets: tuple[TaxBracket, ...]
    version: str = ""

    def __post_init__(self) -> None:
        if not self.brackets:
            raise ValueError("a tax table needs at least one bracket")
        if self.brackets[-1].upper is not None:
            raise ValueError("the last bracket must be open (upper=None)")
        uppers = [bracket.upper for bracket in self.brackets[:-1]]
        if any(upper is None for upper in uppers):
            raise ValueError("only the last bracket may be open")
        bounded = [upper for upper in uppers if upper is not None]
        if any(low >= high for low, high in pairwise(bounded)):
            raise ValueError("bracket upper bounds must be strictly increasing")

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[str | Decimal | None, str | Decimal, str | Decimal]],
        version: str = "",
    ) -> TaxTable:
        """Build a table from ``(upper, rate, quick_deduction)`` rows."""
        return cls(
            brackets=tuple(
                TaxBracket(
                    upper=None if upper is None else Decimal(upper),
                    rate=Decimal(rate),
                    quick_deduction=Decimal(quick_deduction),
                )
                for upper, rate, quick_deduction in rows
            ),
            version=version,
        )

    def bracket_for(self, amount: Decimal) -> TaxBracket:
        """The bracket of ``amount``: the first whose upper bound is ≥ it.

        Bounds are inclusive (「不超过36,000元的」): 36,000.00 is taxed at 3%,
        36,000.01 at 10%.
        """
        for bracket in self.brackets:
            if bracket.upper is None or amount <= bracket.upper:
                return bracket
        raise AssertionError("unreachable: the last bracket is open")


def progressive_tax(taxable: Decimal, table: TaxTable) -> Decimal:
    """``taxable × rate − quick deduction`` to the fen; 0.00 for taxable ≤ 0.

    预扣率表一: 42,000 → 42,000 × 10% − 2,520 = 1,680.00; 36,000 → 1,080.00.
    """
    if taxable <= 0:
        return ZERO
    bracket = table.bracket_for(taxable)
    return round_cents(taxable * bracket.rate - bracket.quick_deduction)


def months_employed(
    *,
    year: int,
    month: int,
    joined_on: date,
    counts_from_january: bool = False,
) -> int:
    """任职受雇月份数: months at this employer in ``year`` up to ``month``.

    公告2018年第61号 counts the months of employment, NOT the payslips: a
    worker who joined on 10 April and is first paid in June has 3 months
    (April, May, June), so 15,000 of standard deduction. A worker who joined
    in an earlier year counts from January. ``counts_from_january`` is
    公告2020年第13号: a first job in the year (e.g. a new graduate) may count
    from January; the caller decides that the worker qualifies.
    """
    if not 1 <= month <= MONTHS_IN_YEAR:
        raise ValueError(f"month must be 1–12, got {month}")
    if joined_on.year > year or (joined_on.year == year and joined_on.month > month):
        raise ValueError(f"joined on {joined_on}, after {year}-{month:02d}")
    if counts_from_january or joined_on.year < year:
        return month
    return month - joined_on.month + 1


@dataclass(frozen=True)
class YearToDate:
    """Cumulative figures of the tax year at this employer.

    Every amount INCLUDES the month being withheld, except ``tax_withheld``,
    which is what earlier months of the year actually withheld (a month that
    withheld 0.00 adds 0.00). ``months_employed`` comes from
    :func:`months_employed`, never from a payslip count.

    - ``income``: 累计收入 (gross wages, and a bonus merged into wages);
    - ``tax_exempt_income``: 累计免税收入;
    - ``special_deductions``: 累计专项扣除 (employee social insurance +
      housing fund, see ``contributions.special_deductions``);
    - ``special_additional_deductions``: 累计专项附加扣除 as declared;
    - ``other_deductions``: 累计依法确定的其他扣除 (e.g. the deductible part
      of the annuity member contribution, see ``annuity``);
    - ``tax_relief``: 累计减免税额 (usually 0).
    """

    income: Decimal
    tax_exempt_income: Decimal
    months_employed: int
    special_deductions: Decimal
    special_additional_deductions: Decimal
    other_deductions: Decimal
    tax_withheld: Decimal
    tax_relief: Decimal = ZERO

    def __post_init__(self) -> None:
        if not 1 <= self.months_employed <= MONTHS_IN_YEAR:
            raise ValueError(
                f"months_employed must be 1–12, got {self.months_employed}"
            )

    def next_month(
        self,
        *,
        withheld: Decimal,
        months_employed: int,
        income: Decimal,
        tax_exempt_income: Decimal = ZERO,
        special_deductions: Decimal = ZERO,
        special_additional_deductions: Decimal = ZERO,
        other_deductions: Decimal = ZERO,
        tax_relief: Decimal = ZERO,
    ) -> YearToDate:
        """The figures for the following month.

        ``withheld`` is what this month withheld (the IIT line's amount); the
        other keywords are the next month's own amounts, added on.
        """
        return YearToDate(
            income=self.income + income,
            tax_exempt_income=self.tax_exempt_income + tax_exempt_income,
            months_employed=months_employed,
            special_deductions=self.special_deductions + special_deductions,
            special_additional_deductions=(
                self.special_additional_deductions + special_additional_deductions
            ),
            other_deductions=self.other_deductions + other_deductions,
            tax_withheld=self.tax_withheld + withheld,
            tax_relief=self.tax_relief + tax_relief,
        )


@dataclass(frozen=True)
class WithholdingTerms:
    """The dated tax data: 预扣率表一 and the monthly standard deduction (5,000)."""

    table: TaxTable
    monthly_standard_deduction: Decimal
    version: str = ""


def cumulative_standard_deduction(
    terms: WithholdingTerms, months: int, *, full_year_from_january: bool
) -> Decimal:
    """累计减除费用.

    5,000 × months employed (公告2018年第61号); with the
    公告2020年第19号 flag the full year's 60,000 (12 × 5,000) applies from
    the first month: a worker who was with this withholding agent all of the
    previous year, had income there ≤ 60,000 and had tax withheld there. The
    caller decides that the worker qualifies and sets the flag for the year.
    """
    if full_year_from_january:
        return terms.monthly_standard_deduction * MONTHS_IN_YEAR
    return terms.monthly_standard_deduction * months


def withhold_monthly_tax(
    ytd: YearToDate,
    terms: WithholdingTerms,
    *,
    full_year_deduction_from_january: bool = False,
) -> PayLine:
    """The IIT to withhold this month by the cumulative method (公告2018年第61号).

    Returns a deduction :class:`PayLine` ``IIT`` whose amount is never
    negative. When cumulative tax − relief − tax already withheld is negative
    (e.g. special additional deductions declared late), the month withholds
    0.00 and the difference is a credit (留抵) shown in ``params["credit"]``:
    it is not refunded during the year but, because ``tax_withheld`` only
    grows by what was withheld, it is used up automatically by the following
    months; what is left is settled in the annual reconciliation (汇算清缴).

    Worked example (DOMAIN 7.3): income 20,000 a month, special deductions
    4,500, standard 5,000 → taxable 10,500 a month. Month 1: 10,500 × 3% =
    315.00; months 2, 3: 315.00; month 4: 42,000 × 10% − 2,520 = 1,680 − 945
    = 735.00; month 5: 52,500 × 10% − 2,520 = 2,730 − 1,680 = 1,050.00; the
    year totals 126,000 × 10% − 2,520 = 10,080.00.
    """
    deduction = cumulative_standard_deduction(
        terms,
        ytd.months_employed,
        full_year_from_january=full_year_deduction_from_january,
    )
    raw_taxable = (
        ytd.income
        - ytd.tax_exempt_income
        - deduction
        - ytd.special_deductions
        - ytd.special_additional_deductions
        - ytd.other_deductions
    )
    taxable = round_cents(max(raw_taxable, ZERO))
    bracket = terms.table.bracket_for(taxable)
    cumulative_tax = progressive_tax(taxable, terms.table)
    due = cumulative_tax - ytd.tax_relief - ytd.tax_withheld
    withheld = round_cents(max(due, ZERO))
    credit = round_cents(max(-due, ZERO))
    return PayLine(
        code=IIT,
        kind=DEDUCTION,
        amount=withheld,
        rule="A7.iit.cumulative",
        version=terms.version or terms.table.version,
        params={
            "cumulative_income": str(ytd.income),
            "cumulative_tax_exempt_income": str(ytd.tax_exempt_income),
            "months_employed": str(ytd.months_employed),
            "full_year_deduction_from_january": str(full_year_deduction_from_january),
            "cumulative_standard_deduction": str(deduction),
            "cumulative_special_deductions": str(ytd.special_deductions),
            "cumulative_special_additional_deductions": str(
                ytd.special_additional_deductions
            ),
            "cumulative_other_deductions": str(ytd.other_deductions),
            "taxable_income": str(taxable),
            "rate": str(bracket.rate),
            "quick_deduction": str(bracket.quick_deduction),
            "cumulative_tax": str(cumulative_tax),
            "cumulative_tax_relief": str(ytd.tax_relief),
            "previously_withheld": str(ytd.tax_withheld),
            "credit": str(credit),
        },
    )


def annual_bonus_tax(
    bonus: Decimal,
    monthly_table: TaxTable,
    *,
    merge_into_comprehensive_income: bool = False,
) -> PayLine | None:
    """Tax on the year-end one-off bonus (全年一次性奖金), DOMAIN A7, Part B 7.3.

    Taxed on its own with the MONTHLY table (财政部 税务总局公告2023年第30号,
    until 2027-12-31): the rate and quick deduction are those of
    ``bonus ÷ 12``, and tax = bonus × rate − quick deduction. Once per year
    per worker; the caller enforces that.

    The cliff: 36,000 → 36,000 ÷ 12 = 3,000 → 3% → 1,080.00; 36,001 → 3,000.083…
    → 10% → 3,600.10 − 210 = 3,390.10.

    If the worker chose to merge the bonus into comprehensive income, this
    returns ``None``: add the bonus to ``YearToDate.income`` instead and it
    is taxed by :func:`withhold_monthly_tax`.
    """
    if merge_into_comprehensive_income:
        return None
    if bonus < 0:
        raise ValueError(f"a bonus must not be negative, got {bonus}")
    monthly_share = bonus / MONTHS_IN_YEAR
    bracket = monthly_table.bracket_for(monthly_share)
    tax = round_cents(max(bonus * bracket.rate - bracket.quick_deduction, ZERO))
    return PayLine(
        code=IIT_BONUS,
        kind=DEDUCTION,
        amount=tax,
        rule="A7.iit.bonus",
        version=monthly_table.version,
        params={
            "bonus": str(bonus),
            # Rounded up to the fen: it is ≤ a bracket's bound exactly when
            # the exact share is, so the shown figure explains the rate.
            "monthly_share": str(monthly_share.quantize(CENT, rounding=ROUND_CEILING)),
            "rate": str(bracket.rate),
            "quick_deduction": str(bracket.quick_deduction),
            "taxable_income": str(bonus),
        },
    )
