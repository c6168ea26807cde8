"""What a role may see or do beyond its rows: full IDs and bank accounts,
worker logins, the pages a worker's login may open, roster editing, employer
costs.
"""

from __future__ import annotations

from core.models import (
    Role,
    User,
)

from .scope import UserOrAnonymous

# Roles that may see full citizen ID numbers / bank accounts. Finance pays and
# files tax, civil-affairs staff verify identities; everyone else sees masks.
FULL_ID_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.FINANCE}
FULL_BANK_ROLES = {Role.ADMIN, Role.FINANCE}
ROSTER_EDIT_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF}
# Roles that issue workers their logins (one worker, a community, the roster).
WORKER_LOGIN_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF}

# What a worker's login may open besides her own area: the pages of her own
# account and the downloads that other apps scope to her (by URL name, so that
# core names them without importing the apps). Everything else is 403.
WORKER_URL_NAMESPACES = {"selfservice"}
WORKER_URL_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "set_language",
    "payroll:payslip-pdf",
    "documents:payslip-pdf",
}

# Who sees the employer's contributions on a payslip (its second part): the
# staff who pay and oversee pay; a community's secretary sees the worker's part.
EMPLOYER_COST_ROLES = {
    Role.ADMIN,
    Role.CITY_STAFF,
    Role.DISTRICT_STAFF,
    Role.FINANCE,
    Role.AUDITOR,
}


def user_sees_full_id(user: UserOrAnonymous) -> bool:
    return isinstance(user, User) and (user.is_superuser or user.role in FULL_ID_ROLES)


def user_sees_full_bank(user: UserOrAnonymous) -> bool:
    return isinstance(user, User) and (
        user.is_superuser or user.role in FULL_BANK_ROLES
    )


def user_can_issue_worker_logins(user: UserOrAnonymous) -> bool:
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_superuser or user.role in WORKER_LOGIN_ROLES)
    )


def worker_may_open(url_name: str) -> bool:
    """May a worker's login open the page of this URL name (``app:name``)?"""
    namespace = url_name.split(":", 1)[0] if ":" in url_name else ""
    return namespace in WORKER_URL_NAMESPACES or url_name in WORKER_URL_NAMES


def user_can_edit_roster(user: UserOrAnonymous) -> bool:
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_superuser or user.role in ROSTER_EDIT_ROLES)
    )


def user_sees_employer_cost(user: UserOrAnonymous) -> bool:
    return isinstance(user, User) and (
        user.is_superuser or user.role in EMPLOYER_COST_ROLES
    )
