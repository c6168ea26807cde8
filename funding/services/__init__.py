"""Writes of the fund: one function per use case, each in a transaction.

Who may act is checked here: the role (transition rows or the fund-admin
roles) and the scope (core.selectors). Any service that reserves or spends
money first locks the fund-year row with select_for_update.
"""

from funding.services.budget_changes import (
    budget_change_approve,
    budget_change_decider_check,
    budget_change_propose,
    budget_change_refuse,
    budget_change_withdraw,
)
from funding.services.expenses import expense_record, expense_reverse
from funding.services.files import files_check, stored_file_path
from funding.services.fund_years import (
    fund_year_close,
    fund_year_set,
    project_carry_forward_decide,
    project_carry_forward_request,
)
from funding.services.projects import (
    council_meeting_record,
    objection_answer,
    objection_record,
    project_propose,
    project_transition,
)

__all__ = [
    "budget_change_approve",
    "budget_change_decider_check",
    "budget_change_propose",
    "budget_change_refuse",
    "budget_change_withdraw",
    "council_meeting_record",
    "expense_record",
    "expense_reverse",
    "files_check",
    "fund_year_close",
    "fund_year_set",
    "objection_answer",
    "objection_record",
    "project_carry_forward_decide",
    "project_carry_forward_request",
    "project_propose",
    "project_transition",
    "stored_file_path",
]
