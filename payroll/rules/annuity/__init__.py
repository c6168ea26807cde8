"""The secretaries' enterprise annuity (企业年金), DOMAIN A8 and Part B 5.

Pure rules over the plan terms (a dated table row), the member's base and
dates. National rules, 《企业年金办法》 (人社部、财政部令第36号, in force
2018-02-01): employer contributions ≤ 8% and employer + members ≤ 12% of the
members' total wages; 「企业当期缴费计入职工企业年金个人账户的最高额不得
超过平均额的5倍」; the member's own part is vested from the start, the
employer part within at most 8 years (「完全归属于职工个人的期限最长不超过
8年」) and in full at once on the listed events. Tax, 财税〔2013〕103号: the
member's part is deductible up to 4% of the base, the base capped at 3× the
city's previous-year average monthly wage.

DOMAIN A8 counts vesting years from the start of membership (the first of
the month after appointment); the national text speaks of years of work at
the employer, which for a secretary in office is the longer or equal period.

The package is split into plans (terms and their legal limits), contributions
(the month's amounts), caps (the plan-year check) and vesting; every name is
re-exported here, so callers keep using ``payroll.rules.annuity``.
"""

from .caps import CAP_CREDIT_RATIO as CAP_CREDIT_RATIO
from .caps import CAP_EMPLOYER as CAP_EMPLOYER
from .caps import CAP_TOTAL as CAP_TOTAL
from .caps import CREDIT_RATIO_MESSAGE as CREDIT_RATIO_MESSAGE
from .caps import EMPLOYER_CAP_MESSAGE as EMPLOYER_CAP_MESSAGE
from .caps import TOTAL_CAP_MESSAGE as TOTAL_CAP_MESSAGE
from .caps import CapViolation as CapViolation
from .caps import MemberPeriod as MemberPeriod
from .caps import check_caps as check_caps
from .caps import plan_year_projection as plan_year_projection
from .contributions import ANNUITY_EMPLOYER as ANNUITY_EMPLOYER
from .contributions import ANNUITY_MEMBER as ANNUITY_MEMBER
from .contributions import AnnuityContribution as AnnuityContribution
from .contributions import annuity_base as annuity_base
from .contributions import (
    deductible_member_contribution as deductible_member_contribution,
)
from .contributions import membership_start as membership_start
from .contributions import monthly_contributions as monthly_contributions
from .plans import LEGAL_CAP_RAISED_MESSAGE as LEGAL_CAP_RAISED_MESSAGE
from .plans import LEGAL_EMPLOYER_RATE_MESSAGE as LEGAL_EMPLOYER_RATE_MESSAGE
from .plans import LEGAL_TOTAL_RATE_MESSAGE as LEGAL_TOTAL_RATE_MESSAGE
from .plans import MAX_FULL_VESTING_YEARS as MAX_FULL_VESTING_YEARS
from .plans import STATUTORY_VESTING_EVENTS as STATUTORY_VESTING_EVENTS
from .plans import AnnuityPlanTerms as AnnuityPlanTerms
from .plans import AnnuityTaxLimits as AnnuityTaxLimits
from .plans import LegalCaps as LegalCaps
from .plans import VestingEvent as VestingEvent
from .plans import plan_legal_violations as plan_legal_violations
from .vesting import Forfeiture as Forfeiture
from .vesting import Vesting as Vesting
from .vesting import forfeit_on_leaving as forfeit_on_leaving
from .vesting import vested_employer_amount as vested_employer_amount
from .vesting import vested_fraction as vested_fraction
