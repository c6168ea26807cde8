"""Django permissions of the fund by role (for the admin). Scope comes from
core.selectors; the project steps come from Transition rows."""

from core.models import Role

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_STAFF: {
        "funding.view_*",
        "funding.add_fundpolicy",
        "funding.change_fundpolicy",
        "funding.add_category",
        "funding.change_category",
        "funding.add_forbiddenuse",
        "funding.change_forbiddenuse",
        "funding.change_transition",
        "funding.add_transition",
    },
    Role.DISTRICT_STAFF: {"funding.view_fundyear", "funding.view_project"},
    Role.FINANCE: {
        "funding.view_fundyear",
        "funding.view_project",
        "funding.view_expense",
    },
    Role.AUDITOR: {"funding.view_*"},
}
