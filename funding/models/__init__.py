"""The service fund (为民服务专项资金): fund years, projects, spending.

The amounts people type (allocation and its sources, a project's estimated
cost, a new approved amount, an expense) are CNY ``MoneyField``s
(``core.money.money_field``); the amounts the system derives stay
``DecimalField(14, 2)``. Rules see plain Decimals (``core.money.decimal_of``).

One module per concept; every model is re-exported here, which is where
Django finds them.
"""

from .fund_years import FundYear as FundYear
from .policy import Category as Category
from .policy import ExpenseClass as ExpenseClass
from .policy import ForbiddenUse as ForbiddenUse
from .policy import FundPolicy as FundPolicy
from .projects import BUDGETED_STATES as BUDGETED_STATES
from .projects import PUBLIC_STATES as PUBLIC_STATES
from .projects import RESERVING_STATES as RESERVING_STATES
from .projects import SPENDING_STATES as SPENDING_STATES
from .projects import CarryForward as CarryForward
from .projects import CouncilMeeting as CouncilMeeting
from .projects import Objection as Objection
from .projects import Project as Project
from .projects import ProjectEvent as ProjectEvent
from .projects import ProjectState as ProjectState
from .projects import Transition as Transition
from .spending import BudgetChange as BudgetChange
from .spending import Expense as Expense
from .spending import StoredFile as StoredFile
