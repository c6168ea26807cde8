"""Reads of the fund. Scope always comes from core.selectors.

Printed totals are Python sums over rows (SQLite keeps decimals as floats).
The package is split by what is read; this module re-exports every name so
callers keep using ``funding.selectors``.
"""

from .figures import CARRIED_IN_VERSION as CARRIED_IN_VERSION
from .figures import PENDING_STATES as PENDING_STATES
from .figures import SETTLED_STATES as SETTLED_STATES
from .figures import AcceptanceLine as AcceptanceLine
from .figures import BudgetVersion as BudgetVersion
from .figures import ClosingItem as ClosingItem
from .figures import acceptance_lines as acceptance_lines
from .figures import budget_versions as budget_versions
from .figures import closing_outlook as closing_outlook
from .figures import fund_year_figures as fund_year_figures
from .figures import fund_year_figures_many as fund_year_figures_many
from .figures import pending_budget_change as pending_budget_change
from .figures import project_exceeds_available as project_exceeds_available
from .figures import project_outstanding as project_outstanding
from .figures import project_over_approved as project_over_approved
from .figures import project_spent as project_spent
from .policy import KEYWORD_WARNING as KEYWORD_WARNING
from .policy import NO_POLICY as NO_POLICY
from .policy import PolicyMissing as PolicyMissing
from .policy import category_list as category_list
from .policy import expense_class_list as expense_class_list
from .policy import forbidden_use_rules as forbidden_use_rules
from .policy import keyword_warnings as keyword_warnings
from .policy import policy_on as policy_on
from .reports import AREA_LEVELS as AREA_LEVELS
from .reports import BudgetReport as BudgetReport
from .reports import BudgetRow as BudgetRow
from .reports import budget_report as budget_report
from .reports import project_rows as project_rows
from .scope import FUND_ADMIN_ROLES as FUND_ADMIN_ROLES
from .scope import expense_list_visible_to as expense_list_visible_to
from .scope import fund_year_list_search as fund_year_list_search
from .scope import fund_year_list_visible_to as fund_year_list_visible_to
from .scope import project_list_visible_to as project_list_visible_to
from .scope import stored_file_visible_to as stored_file_visible_to
from .scope import user_administers_funds as user_administers_funds
from .workflow import WaitingItem as WaitingItem
from .workflow import budget_changes_waiting_for as budget_changes_waiting_for
from .workflow import next_step_label as next_step_label
from .workflow import projects_waiting_for as projects_waiting_for
from .workflow import role_acts_on_projects as role_acts_on_projects
from .workflow import transition_applies as transition_applies
from .workflow import transitions_for as transitions_for
