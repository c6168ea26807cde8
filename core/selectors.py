"""What each user may see: the one place where scope is decided.

Every view, admin page and export asks these selectors. A user's role says what
kind of work they do; the district/street/community on the user says where.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from core.models import (
    CentreStandard,
    ChangeLog,
    Community,
    District,
    Role,
    Street,
    Worker,
)

CITY_WIDE_ROLES = {Role.CITY_STAFF, Role.ADMIN}
# Roles that may see full citizen ID numbers / bank accounts. Finance pays and
# files tax, civil-affairs staff verify identities; everyone else sees masks.
FULL_ID_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.FINANCE}
FULL_BANK_ROLES = {Role.ADMIN, Role.FINANCE}
ROSTER_EDIT_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF}
# Roles that see records kept per district (or city-wide), e.g. payroll cycles.
DISTRICT_RECORD_ROLES = {Role.FINANCE, Role.AUDITOR, Role.DISTRICT_STAFF}
# Staff who see members' personal accounts (e.g. annuity accounts) in scope;
# the plan's figures are for the same roles except district staff.
MEMBER_ACCOUNT_STAFF_ROLES = {
    Role.CITY_STAFF,
    Role.FINANCE,
    Role.AUDITOR,
    Role.DISTRICT_STAFF,
    Role.ADMIN,
}
PLAN_FIGURES_ROLES = MEMBER_ACCOUNT_STAFF_ROLES - {Role.DISTRICT_STAFF}


def scope_q(user: Any, community_path: str = "community") -> Q | None:
    """A filter that keeps rows inside the user's scope, or None for no rows.

    ``community_path`` is the lookup from the queried model to its Community,
    e.g. ``"worker__community"``; use ``""`` when querying Community itself.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    prefix = f"{community_path}__" if community_path else ""
    if user.is_superuser or user.role in CITY_WIDE_ROLES:
        return Q()
    if user.community_id:
        return Q(**{f"{prefix}pk": user.community_id})
    if user.street_id:
        return Q(**{f"{prefix}street_id": user.street_id})
    if user.district_id:
        return Q(**{f"{prefix}street__district_id": user.district_id})
    if user.role in (Role.FINANCE, Role.AUDITOR):
        return Q()  # a finance officer or auditor with no narrower scope: the city
    return None


def scope_filter(
    queryset: QuerySet, user: Any, community_path: str = "community"
) -> QuerySet:
    condition = scope_q(user, community_path)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def district_record_filter(
    queryset: QuerySet, user: Any, district_field: str = "district_id"
) -> QuerySet:
    """Records kept for one district or the whole city (``district_field``
    null): city-wide roles see all; finance, auditors and district staff see
    their district's, or all if they have no narrower scope; others none."""
    if user.is_superuser or user.role in CITY_WIDE_ROLES:
        return queryset
    if user.role in DISTRICT_RECORD_ROLES:
        if user.district_id:
            return queryset.filter(**{district_field: user.district_id})
        if user.street_id or user.community_id:
            return queryset.none()
        return queryset
    return queryset.none()


def member_account_filter(
    queryset: QuerySet,
    user: Any,
    community_path: str = "worker__community",
    worker_field: str = "worker_id",
) -> QuerySet:
    """Personal accounts of members: staff see those in their scope, a
    secretary only her own (through ``User.worker``), everyone else none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role in MEMBER_ACCOUNT_STAFF_ROLES:
        return scope_filter(queryset, user, community_path)
    if user.role == Role.SECRETARY and user.worker_id:
        return queryset.filter(**{worker_field: user.worker_id})
    return queryset.none()


def user_sees_plan_figures(user: Any) -> bool:
    """Whether the user sees a plan's totals and reports (not one account)."""
    return bool(
        user.is_active and (user.is_superuser or user.role in PLAN_FIGURES_ROLES)
    )


def community_list_visible_to(*, user: Any) -> QuerySet[Community]:
    return scope_filter(Community.objects.select_related("street__district"), user, "")


def street_list_visible_to(*, user: Any) -> QuerySet[Street]:
    ids = community_list_visible_to(user=user).values("street_id")
    return Street.objects.filter(pk__in=ids).select_related("district")


def district_list_visible_to(*, user: Any) -> QuerySet[District]:
    ids = community_list_visible_to(user=user).values("street__district_id")
    return District.objects.filter(pk__in=ids)


def worker_list_visible_to(*, user: Any) -> QuerySet[Worker]:
    return scope_filter(
        Worker.objects.select_related("community__street__district", "post"), user
    )


def worker_list_search(
    queryset: QuerySet[Worker],
    *,
    text: str = "",
    district: str = "",
    street: str = "",
    community: str = "",
    post: str = "",
    status: str = "",
) -> QuerySet[Worker]:
    if text:
        queryset = queryset.filter(
            Q(full_name__icontains=text) | Q(id_number__endswith=text)
        )
    if district:
        queryset = queryset.filter(community__street__district__code=district)
    if street:
        queryset = queryset.filter(community__street__code=street)
    if community:
        queryset = queryset.filter(community__code=community)
    if post:
        queryset = queryset.filter(post__code=post)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def sees_whole_city(user: Any) -> bool:
    """True when the user's scope is the whole city (no narrower area)."""
    condition = scope_q(user)
    return condition is not None and not condition


# The queryset of each kind of place a user may pick in a form (a foreign key
# to one of these models offers only these rows).
SCOPED_CHOICES = {
    Community: community_list_visible_to,
    Street: street_list_visible_to,
    District: district_list_visible_to,
    Worker: worker_list_visible_to,
}


def choices_visible_to(model: Any, *, user: Any) -> QuerySet | None:
    """The rows of ``model`` a form may offer ``user``, or None when the model
    is not scoped (reference data such as posts)."""
    selector = SCOPED_CHOICES.get(model)
    return selector(user=user) if selector is not None else None


def change_log_visible_to(*, user: Any) -> QuerySet[ChangeLog]:
    """City-wide users read every record; others the records of the workers
    and communities in their scope (users and reference data stay city-wide)."""
    entries = ChangeLog.objects.select_related("actor")
    if scope_q(user) is None:
        return entries.none()
    if sees_whole_city(user):
        return entries
    worker_ids = worker_list_visible_to(user=user).annotate(key=Cast("pk", CharField()))
    community_ids = community_list_visible_to(user=user).annotate(
        key=Cast("pk", CharField())
    )
    return entries.filter(
        Q(model="core.worker", object_id__in=worker_ids.values("key"))
        | Q(model="core.community", object_id__in=community_ids.values("key"))
    )


def user_sees_full_id(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") in FULL_ID_ROLES)


def user_sees_full_bank(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") in FULL_BANK_ROLES)


def user_can_edit_roster(user: Any) -> bool:
    return bool(
        user.is_active and (user.is_superuser or user.role in ROSTER_EDIT_ROLES)
    )


def centre_standard_on(day: Any) -> CentreStandard | None:
    """The service-centre standard in force on ``day`` (DOMAIN A10)."""
    return (
        CentreStandard.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )
