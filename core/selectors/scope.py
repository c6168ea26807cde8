"""The scope itself: who the user is, which rows a role and an area reach.

Every other selector (here and in the apps) filters through ``scope_filter``,
``district_record_filter`` or ``member_account_filter`` defined here.
"""

from __future__ import annotations

from typing import TypeAlias, TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Model,
    Q,
    QuerySet,
)

from core.models import (
    District,
    Role,
    User,
    Worker,
)

# Whom a scope decision is about: ``request.user`` on any page.
UserOrAnonymous: TypeAlias = User | AnonymousUser

CITY_WIDE_ROLES = {Role.CITY_STAFF, Role.ADMIN}


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

M = TypeVar("M", bound=Model)


def scope_q(user: UserOrAnonymous, community_path: str = "community") -> Q | None:
    """A filter that keeps rows inside the user's scope, or None for no rows.

    ``community_path`` is the lookup from the queried model to its Community,
    e.g. ``"worker__community"``; use ``""`` when querying Community itself.
    """
    if not isinstance(user, User) or not user.is_active:
        return None
    if user_is_worker(user):
        return None  # a worker's rows are found by model, in scope_filter
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


def user_is_worker(user: UserOrAnonymous) -> TypeGuard[User]:
    """A worker's own login: she sees herself and nothing else."""
    return bool(
        isinstance(user, User) and not user.is_superuser and user.role == Role.WORKER
    )


def _worker_path(model: type[Model], community_path: str) -> str | None:
    """The lookup from ``model`` to its Worker, or None if it has none.

    Rows reach their community through a worker (``worker__community``), a
    worker's related rows, or directly (a payslip keeps its ``community`` and
    its ``worker``); a row with no worker (a fund year, a community) has none.
    """
    if model is Worker:
        return ""
    steps = community_path.split("__")[:-1] if community_path else []
    current: type[Model] = model
    for index, step in enumerate(steps):
        try:
            field = current._meta.get_field(step)
        except FieldDoesNotExist:
            return None
        related = field.related_model
        if related is Worker:
            return "__".join(steps[: index + 1])
        if not isinstance(related, type):
            break  # not a relation: the path cannot reach a worker this way
        current = related
    try:
        field = model._meta.get_field("worker")
    except FieldDoesNotExist:
        return None
    return "worker" if field.related_model is Worker else None


def worker_own_q(user: User, model: type[Model], community_path: str) -> Q | None:
    """The rows of ``model`` that are the worker's own, or None for none."""
    path = _worker_path(model, community_path)
    if path is None or not user.worker_id:
        return None
    return Q(**{f"{path}__pk" if path else "pk": user.worker_id})


def scope_filter(
    queryset: QuerySet[M], user: UserOrAnonymous, community_path: str = "community"
) -> QuerySet[M]:
    if user_is_worker(user):
        if not user.is_active:
            return queryset.none()
        own = worker_own_q(user, queryset.model, community_path)
        return queryset.none() if own is None else queryset.filter(own)
    condition = scope_q(user, community_path)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def district_record_filter(
    queryset: QuerySet[M], user: UserOrAnonymous, district_field: str = "district_id"
) -> QuerySet[M]:
    """Records kept for one district or the whole city (``district_field``
    null), e.g. payroll cycles: see ``cycle_scope_q``."""
    condition = cycle_scope_q(user, district_field.removesuffix("_id"))
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def user_acts_for_district(user: UserOrAnonymous, district_id: int | None) -> bool:
    """Whether the user's scope covers work on one district's records (None:
    the city's): an administrator's always; a district officer's only for her
    district; a street or community officer's never; otherwise the city's."""
    if not isinstance(user, User):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if user.district_id:
        return district_id == user.district_id
    return not (user.street_id or user.community_id)


def district_list_acted_for(*, user: UserOrAnonymous) -> QuerySet[District]:
    """The districts a user may start district-wide work for (a payroll
    cycle): her own district, or every district for city-wide users."""
    districts = District.objects.all()
    if not isinstance(user, User):
        return districts.none()
    if user.district_id:
        return districts.filter(pk=user.district_id)
    return districts


def member_account_filter(
    queryset: QuerySet[M],
    user: UserOrAnonymous,
    community_path: str = "worker__community",
    worker_field: str = "worker_id",
) -> QuerySet[M]:
    """Personal accounts of members: staff see those in their scope, a
    secretary or a worker's own login only her own (through ``User.worker``),
    everyone else none."""
    if not isinstance(user, User) or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role in MEMBER_ACCOUNT_STAFF_ROLES:
        return scope_filter(queryset, user, community_path)
    if user.role in (Role.SECRETARY, Role.WORKER) and user.worker_id:
        return queryset.filter(**{worker_field: user.worker_id})
    return queryset.none()


def user_sees_plan_figures(user: UserOrAnonymous) -> bool:
    """Whether the user sees a plan's totals and reports (not one account)."""
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_superuser or user.role in PLAN_FIGURES_ROLES)
    )


def sees_whole_city(user: UserOrAnonymous) -> bool:
    """True when the user's scope is the whole city (no narrower area)."""
    condition = scope_q(user)
    return condition is not None and not condition


def user_district_id(user: UserOrAnonymous) -> int | None:
    """The district a scoped user works in (derived from street or community)."""
    if not isinstance(user, User):
        return None
    if user.district_id:
        return user.district_id
    if user.street is not None:
        return user.street.district_id
    if user.community is not None:
        return user.community.street.district_id
    return None


def cycle_scope_q(user: UserOrAnonymous, district_path: str = "district") -> Q | None:
    """Payroll runs (cycles with a district, or none for the whole city) the
    user may open: city-wide roles all; a scoped user her district's runs and
    the city's runs, which pay her district's workers too (she then sees only
    her part: ``scope_filter`` on the run's payslips)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser or user.role in CITY_WIDE_ROLES:
        return Q()
    district_id = user_district_id(user)
    if district_id is None:
        return Q() if user.role in (Role.FINANCE, Role.AUDITOR) else None
    return Q(**{f"{district_path}__isnull": True}) | Q(
        **{f"{district_path}_id": district_id}
    )


def user_sees_city(user: UserOrAnonymous) -> bool:
    """Whether the user's scope is the whole city (not one of its parts)."""
    condition = scope_q(user)
    return condition is not None and not condition
