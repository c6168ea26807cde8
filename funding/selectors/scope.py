"""Which fund years, projects, expenses and files a user sees (scope from
core.selectors), and who administers the fund.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.models import Role
from core.selectors import UserOrAnonymous, scope_filter
from funding.models import (
    CouncilMeeting,
    Expense,
    FundYear,
    Project,
    StoredFile,
)

# Roles that set up and close fund years and import allocations (in scope).
FUND_ADMIN_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.FINANCE}


def fund_year_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[FundYear]:
    return scope_filter(
        FundYear.objects.select_related("community__street__district"), user
    )


def fund_year_list_search(
    queryset: QuerySet[FundYear],
    *,
    year: int | None = None,
    q: str = "",
    district: str = "",
    street: str = "",
    community: str = "",
    status: str = "",
) -> QuerySet[FundYear]:
    """Fund years by year, community (name or code), place and status."""
    if year:
        queryset = queryset.filter(year=year)
    if q.strip():
        text = q.strip()
        queryset = queryset.filter(
            Q(community__name__icontains=text) | Q(community__code__icontains=text)
        )
    if district:
        queryset = queryset.filter(community__street__district__code=district)
    if street:
        queryset = queryset.filter(community__street__code=street)
    if community:
        queryset = queryset.filter(community__code=community)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def project_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Project]:
    return scope_filter(
        Project.objects.select_related(
            "fund_year__community__street__district", "category", "proposed_by"
        ),
        user,
        "fund_year__community",
    )


def expense_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Expense]:
    return scope_filter(
        Expense.objects.select_related("project__fund_year__community"),
        user,
        "project__fund_year__community",
    )


def stored_file_visible_to(*, user: UserOrAnonymous) -> QuerySet[StoredFile]:
    expenses = scope_filter(
        Expense.objects.all(), user, "project__fund_year__community"
    ).values("pk")
    meetings = scope_filter(
        CouncilMeeting.objects.all(), user, "project__fund_year__community"
    ).values("pk")
    return StoredFile.objects.filter(
        Q(expense__in=expenses) | Q(meeting__in=meetings)
    ).select_related("expense__project", "meeting__project")


def user_administers_funds(user: UserOrAnonymous) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in FUND_ADMIN_ROLES)
    )
