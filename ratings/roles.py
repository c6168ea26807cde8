"""Django permissions of ratings by role; scope is core.selectors' business."""

from core.models import Role

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_STAFF: {
        "ratings.view_*",
        "ratings.add_annualgrade",
        "ratings.change_annualgrade",
        "ratings.delete_annualgrade",
        "ratings.add_starrating",
        "ratings.change_starrating",
        "ratings.delete_starrating",
    },
    Role.DISTRICT_STAFF: {
        "ratings.view_*",
        "ratings.add_annualgrade",
        "ratings.change_annualgrade",
        "ratings.add_starrating",
        "ratings.change_starrating",
    },
    Role.FINANCE: {"ratings.view_*"},
    Role.STREET_OFFICER: {"ratings.view_annualgrade", "ratings.view_starrating"},
    Role.AUDITOR: {"ratings.view_*"},
}
