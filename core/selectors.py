"""What each user may see: the one place where scope is decided.

Every view, admin page and export asks these selectors. A user's role says what
kind of work they do; the district/street/community on the user says where.
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias, TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DecimalField, ExpressionWrapper, F, Model, Q, QuerySet

from core.models import CentreStandard, Community, District, Role, Street, User, Worker

# Whom a scope decision is about: ``request.user`` on any page.
UserOrAnonymous: TypeAlias = User | AnonymousUser

CITY_WIDE_ROLES = {Role.CITY_STAFF, Role.ADMIN}
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
    null): city-wide roles see all; finance, auditors and district staff see
    their district's, or all if they have no narrower scope; others none."""
    if not isinstance(user, User):
        return queryset.none()
    if user.is_superuser or user.role in CITY_WIDE_ROLES:
        return queryset
    if user.role in DISTRICT_RECORD_ROLES:
        if user.district_id:
            return queryset.filter(**{district_field: user.district_id})
        if user.street_id or user.community_id:
            return queryset.none()
        return queryset
    return queryset.none()


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


def community_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Community]:
    return scope_filter(Community.objects.select_related("street__district"), user, "")


def street_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Street]:
    ids = community_list_visible_to(user=user).values("street_id")
    return Street.objects.filter(pk__in=ids).select_related("district")


def district_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[District]:
    ids = community_list_visible_to(user=user).values("street__district_id")
    return District.objects.filter(pk__in=ids)


def worker_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Worker]:
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


def community_list_search(
    queryset: QuerySet[Community],
    *,
    text: str = "",
    district: str = "",
    street: str = "",
    meets: str = "",
    standard: CentreStandard | None = None,
) -> QuerySet[Community]:
    """Communities by name or code, place, and whether the centre meets the
    area standard (``meets`` "yes"/"no"; ignored without a standard)."""
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if district:
        queryset = queryset.filter(street__district__code=district)
    if street:
        queryset = queryset.filter(street__code=street)
    if meets and standard is not None:
        per_household = ExpressionWrapper(
            F("households") * standard.area_per_100_households / 100,
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
        enough = Q(centre_area__gte=per_household) & Q(
            centre_area__gte=standard.minimum_total_area
        )
        queryset = (
            queryset.filter(enough) if meets == "yes" else queryset.exclude(enough)
        )
    return queryset


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


def worker_list_without_login(workers: QuerySet[Worker]) -> QuerySet[Worker]:
    return workers.filter(user__isnull=True)


def user_can_edit_roster(user: UserOrAnonymous) -> bool:
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_superuser or user.role in ROSTER_EDIT_ROLES)
    )


def centre_standard_on(day: date) -> CentreStandard | None:
    """The service-centre standard in force on ``day`` (DOMAIN A10)."""
    return (
        CentreStandard.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )
