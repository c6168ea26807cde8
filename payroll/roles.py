"""Django permissions of payroll by role; scope is core.selectors' business.

City staff and finance manage the scale tables; district staff place workers
(level changes) in their district; auditors read everything.
"""

from core.models import Role
from payroll.models import SCALE_TABLES

SCALE_MODELS = (
    "scaleversion",
    *(table.model._meta.model_name for table in SCALE_TABLES),
)
MANAGE_SCALES = {
    f"payroll.{action}_{model}"
    for model in SCALE_MODELS
    for action in ("add", "change", "delete")
}

# Dated tables and per-worker tax data that finance keeps for the cycles.
PAYROLL_TABLES = (
    "contributionrates",
    "taxtable",
    "taxbracket",
    "contributionbase",
    "taxdeclaration",
    "yearendbonus",
    "annuityplan",
    "annuityplanversion",
    "annuityvestingstep",
    "annuitymembership",
    "annuitybase",
    "deductionstandard",
    "annuitylegalcaps",
    "correctionpolicy",
    "openingbalance",
    "bankfilelayout",
)
MANAGE_PAYROLL_TABLES = {
    f"payroll.{action}_{model}"
    for model in PAYROLL_TABLES
    for action in ("add", "change", "delete")
}

# Separation of duties: computing, approving and locking a payroll cycle are
# finance's alone. They are granted by role only (never by the superuser flag,
# see core.permissions.role_only_permissions), so the administrator, who
# manages users and reference data, cannot run a payroll; the maker of a cycle
# is still refused its approval by the cycle's own check.
CYCLE_PERMISSIONS = {
    "payroll.run_cycle",
    "payroll.approve_cycle",
    "payroll.lock_cycle",
}
# Crediting returns to, reversing and closing members' annuity accounts is
# finance's too, not the administrator's (who is a superuser).
ROLE_ONLY_PERMISSIONS = CYCLE_PERMISSIONS | {"payroll.manage_annuity"}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_STAFF: {"payroll.view_*", "payroll.add_levelchange", *MANAGE_SCALES},
    Role.FINANCE: {
        "payroll.view_*",
        *MANAGE_SCALES,
        *MANAGE_PAYROLL_TABLES,
        *CYCLE_PERMISSIONS,
        "payroll.manage_annuity",
    },
    Role.DISTRICT_STAFF: {
        "payroll.view_payrollcycle",
        "payroll.view_payslip",
        "payroll.view_levelchange",
        "payroll.add_levelchange",
        *{f"payroll.view_{model}" for model in SCALE_MODELS},
    },
    Role.STREET_OFFICER: {"payroll.view_levelchange"},
    Role.SECRETARY: {"payroll.view_levelchange"},
    Role.AUDITOR: {"payroll.view_*"},
}
