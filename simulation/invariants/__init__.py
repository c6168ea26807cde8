"""What must hold for every month and worker after the city has run (issue 9).

Pure: plain values in (gathered by ``simulation.collect``), a list of
``Violation``s out. Each check recomputes its figure its own way (from the
rule book, DOMAIN A3-A11) rather than reading the figure the payroll stored,
so a payroll defect shows here as a violation with its numbers.

One module per subject (payslips, the worker's year, annuity, levels, the
fund); every name is re-exported here, so callers keep ``simulation.invariants``.
"""

from .annuity import AnnuityFacts as AnnuityFacts
from .annuity import check_annuity as check_annuity
from .fund import FundYearFact as FundYearFact
from .fund import check_available as check_available
from .fund import check_fund_year as check_fund_year
from .levels import LevelFacts as LevelFacts
from .levels import a3_level as a3_level
from .levels import check_level as check_level
from .payslips import NOT_MONTH_PAY as NOT_MONTH_PAY
from .payslips import CycleFact as CycleFact
from .payslips import Line as Line
from .payslips import PayslipFact as PayslipFact
from .payslips import check_cycles as check_cycles
from .payslips import check_lines_sum as check_lines_sum
from .payslips import check_monthly_floor as check_monthly_floor
from .payslips import check_net as check_net
from .violations import ALL as ALL
from .violations import ANNUAL_TAX as ANNUAL_TAX
from .violations import ANNUITY_BALANCES as ANNUITY_BALANCES
from .violations import ANNUITY_CONTRIBUTIONS as ANNUITY_CONTRIBUTIONS
from .violations import ANNUITY_TOTAL as ANNUITY_TOTAL
from .violations import DEDUCTION as DEDUCTION
from .violations import EARNING as EARNING
from .violations import EMPLOYER as EMPLOYER
from .violations import FUND_AVAILABLE as FUND_AVAILABLE
from .violations import FUND_CLOSING as FUND_CLOSING
from .violations import LEVEL_FORMULA as LEVEL_FORMULA
from .violations import LINES_SUM as LINES_SUM
from .violations import MONTHLY_FLOOR as MONTHLY_FLOOR
from .violations import NO_FAILED_CYCLE as NO_FAILED_CYCLE
from .violations import NO_NEGATIVE_NET as NO_NEGATIVE_NET
from .violations import YEARLY_FLOOR as YEARLY_FLOOR
from .violations import Violation as Violation
from .violations import summarise as summarise
from .years import WorkerYear as WorkerYear
from .years import check_annual_tax as check_annual_tax
from .years import check_yearly_floor as check_yearly_floor
from .years import days_employed as days_employed
from .years import days_in_year as days_in_year
from .years import expected_annual_tax as expected_annual_tax
from .years import months_employed as months_employed
from .years import yearly_floor as yearly_floor
