"""Pages of the fund: thin views over selectors and services."""

from funding.views.budget import (
    budget_change_create,
    budget_change_decide,
    budget_change_withdraw,
    carry_forward_decide,
    carry_forward_request,
)
from funding.views.desks import desk
from funding.views.fund_years import (
    allocation_import,
    allocation_template,
    fund_year_close,
    fund_year_create,
    fund_year_detail,
    fund_year_list,
    fund_year_statement,
)
from funding.views.projects import (
    expense_create,
    expense_reverse,
    meeting_create,
    objection_answer,
    objection_create,
    project_create,
    project_detail,
    project_transition,
    stored_file_download,
)
from funding.views.public import public_community
from funding.views.reports import report, report_export

__all__ = [
    "allocation_import",
    "allocation_template",
    "budget_change_create",
    "budget_change_decide",
    "budget_change_withdraw",
    "carry_forward_decide",
    "carry_forward_request",
    "desk",
    "expense_create",
    "expense_reverse",
    "fund_year_close",
    "fund_year_create",
    "fund_year_detail",
    "fund_year_list",
    "fund_year_statement",
    "meeting_create",
    "objection_answer",
    "objection_create",
    "project_create",
    "project_detail",
    "project_transition",
    "public_community",
    "report",
    "report_export",
    "stored_file_download",
]
