"""Django permissions granted by role (core's part). Each app has its own roles.py.

Scope (which communities) is decided by core.selectors; this table decides what
kind of object a role may view or change at all.
"""

from core.models import Role

# The administrator manages users and their logins (lockouts, two-factor
# devices) and reads the change history; reference data come through each
# app's roles.py. Payroll cycles are not the administrator's (payroll/roles.py).
ADMIN_LOGIN_PERMISSIONS = {
    "core.view_user",
    "core.add_user",
    "core.change_user",
    "core.view_changelog",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accesslog",
    "axes.view_accessfailurelog",
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
    "otp_static.view_staticdevice",
    "otp_static.delete_staticdevice",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.ADMIN: {"core.view_*", *ADMIN_LOGIN_PERMISSIONS},
    Role.CITY_STAFF: {
        "core.view_*",
        "core.add_worker",
        "core.change_worker",
        "core.add_workerposition",
        "core.change_workerposition",
        "core.delete_workerposition",
        "core.add_workercertificate",
        "core.change_workercertificate",
        "core.delete_workercertificate",
        "core.add_community",
        "core.change_community",
        "core.change_centrestandard",
        "core.add_centrestandard",
        "core.add_street",
        "core.change_street",
        "core.add_district",
        "core.change_district",
        "core.add_post",
        "core.change_post",
    },
    Role.DISTRICT_STAFF: {
        "core.view_worker",
        "core.view_community",
        "core.view_street",
        "core.view_district",
        "core.view_post",
        "core.view_workerposition",
        "core.view_workercertificate",
        "core.view_changelog",
        "core.add_worker",
        "core.change_worker",
        "core.add_workerposition",
        "core.change_workerposition",
        "core.add_workercertificate",
        "core.change_workercertificate",
        "core.change_community",
    },
    Role.FINANCE: {"core.view_worker", "core.view_community", "core.view_post"},
    Role.STREET_OFFICER: {"core.view_worker", "core.view_community"},
    Role.SECRETARY: {"core.view_worker", "core.view_community"},
    Role.AUDITOR: {
        "core.view_worker",
        "core.view_community",
        "core.view_changelog",
        "core.view_post",
    },
}

# Roles that may open the Django admin (reference data); scope still applies.
ADMIN_SITE_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.FINANCE}
