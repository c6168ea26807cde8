"""What each user may see: the one place where scope is decided.

Every view, admin page and export asks these selectors. A user's role says what
kind of work they do; the district/street/community on the user says where.
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias, TypedDict, TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from core.models import (
    CentreStandard,
    ChangeLog,
    Community,
    Disclosure,
    District,
    DocumentBatch,
    DocumentKind,
    DownloadLog,
    IssuedDocument,
    Post,
    Role,
    Street,
    User,
    Worker,
)

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

# Who sees the employer's contributions on a payslip (its second part): the
# staff who pay and oversee pay; a community's secretary sees the worker's part.
EMPLOYER_COST_ROLES = {
    Role.ADMIN,
    Role.CITY_STAFF,
    Role.DISTRICT_STAFF,
    Role.FINANCE,
    Role.AUDITOR,
}
# Who reads the download log: auditors (inside their scope) and administrators.
DOWNLOAD_LOG_ROLES = {Role.ADMIN, Role.AUDITOR}
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


def sees_whole_city(user: UserOrAnonymous) -> bool:
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


def choices_visible_to(
    model: type[Model], *, user: UserOrAnonymous
) -> QuerySet[Model] | None:
    """The rows of ``model`` a form may offer ``user``, or None when the model
    is not scoped (reference data such as posts)."""
    selector = SCOPED_CHOICES.get(model)
    return selector(user=user) if selector is not None else None


def change_log_visible_to(*, user: UserOrAnonymous) -> QuerySet[ChangeLog]:
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


# Pay records of one person (payslips, tax summaries): payroll staff and
# auditors read them in scope; anyone reads her own (``user.worker``), so a
# worker's login plugs in without a rule of its own. A secretary or street
# officer sees her community's totals, not her colleagues' payslips.
PAY_RECORD_ROLES = {
    Role.ADMIN,
    Role.CITY_STAFF,
    Role.DISTRICT_STAFF,
    Role.FINANCE,
    Role.AUDITOR,
}
COLLEAGUE_PAY_REFUSED = gettext_lazy(
    "社区书记和街道工作人员只能查看本社区的工资汇总，不能查看其他工作人员的工资单。"
)


def user_reads_pay_records(user: UserOrAnonymous) -> bool:
    """May this user read other people's payslips (within her scope)?"""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.role in PAY_RECORD_ROLES)
    )


def pay_record_q(
    user: UserOrAnonymous,
    *,
    worker_path: str = "worker",
    community_path: str = "community",
) -> Q | None:
    """Rows of one person's pay the user may read, or None for none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    own = (
        Q(**{f"{worker_path}_id": user.worker_id})
        if getattr(user, "worker_id", None)
        else None
    )
    if not user_reads_pay_records(user):
        return own
    scoped = scope_q(user, community_path)
    if scoped is None:
        return own
    if own is None or not scoped:  # an empty Q() already means everything
        return scoped
    return scoped | own


def pay_record_filter(
    queryset: QuerySet,
    user: UserOrAnonymous,
    *,
    worker_path: str = "worker",
    community_path: str = "community",
) -> QuerySet:
    condition = pay_record_q(
        user, worker_path=worker_path, community_path=community_path
    )
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def pay_record_refusal(
    user: UserOrAnonymous, *, worker_id: int, community_id: int
) -> str:
    """Why the user may not open this person's pay record, or "" if she may.

    Out of scope altogether the record does not exist for her (the caller
    answers 404); in her scope but not hers to read, she is told why (403).
    """
    if getattr(user, "worker_id", None) == worker_id:
        return ""
    if user_reads_pay_records(user):
        return ""
    in_scope = scope_filter(Community.objects.all(), user, "").filter(pk=community_id)
    return str(COLLEAGUE_PAY_REFUSED) if in_scope.exists() else ""


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


class Workforce(TypedDict):
    posts: list[Post]
    rows: list[tuple[int, list[int]]]  # (level, count per post)


def workforce_by_level_and_post(workers: QuerySet[Worker]) -> Workforce:
    """Active workers counted by level and post (one query), for the chart."""
    from django.db.models import Count

    from core.models import Post

    posts = list(Post.objects.order_by("sort_order", "code"))
    counts: dict[tuple[int, int], int] = {
        (row["level"], row["post_id"]): row["n"]
        for row in workers.filter(status=Worker.Status.ACTIVE)
        .order_by()
        .values("level", "post_id")
        .annotate(n=Count("pk"))
    }
    levels = sorted({level for level, _post in counts})
    return {
        "posts": posts,
        "rows": [
            (level, [counts.get((level, post.pk), 0) for post in posts])
            for level in levels
        ],
    }


def issued_document_list_visible_to(
    *, user: UserOrAnonymous
) -> QuerySet[IssuedDocument]:
    """Documents of communities in scope; a district's documents to whoever
    sees the whole district; city-wide documents to city-wide users."""
    queryset = IssuedDocument.objects.select_related(
        "community__street__district", "district", "worker", "issued_by"
    )
    condition = scope_q(user, "community")
    if condition is None or not isinstance(user, User):
        return queryset.none()
    if not user.is_superuser:
        hidden = []
        if not user_sees_full_id(user):
            hidden.append(Disclosure.FULL_ID)
        if not user_sees_full_bank(user):
            hidden.append(Disclosure.FULL_BANK)
        if not user_sees_employer_cost(user):
            hidden.append(Disclosure.EMPLOYER_COST)
        queryset = queryset.exclude(disclosure__in=hidden)
        if user.role not in MEMBER_ACCOUNT_STAFF_ROLES:
            # Personal accounts: a member sees only her own statement.
            queryset = queryset.exclude(
                Q(kind=DocumentKind.ANNUITY_STATEMENT)
                & ~Q(worker_id=user.worker_id or 0)
            )
        if not user_reads_pay_records(user):
            # Pay records of one person (user_reads_pay_records): a secretary
            # or street officer does not read her colleagues' payslips, so
            # not their payslip or tax documents either, only her own.
            queryset = queryset.exclude(
                (
                    Q(kind__in=[DocumentKind.PAYSLIP, DocumentKind.TAX_YEAR])
                    & ~Q(worker_id=user.worker_id or 0)
                )
                | Q(kind=DocumentKind.PAYSLIP_BUNDLE)
            )
    if condition == Q():
        return queryset
    own = Q(community__isnull=False) & condition
    if user.district_id and not (user.street_id or user.community_id):
        own |= Q(community__isnull=True, district_id=user.district_id)
    return queryset.filter(own)


def issued_document_search(
    queryset: QuerySet[IssuedDocument],
    *,
    text: str = "",
    kind: str = "",
    period: str = "",
    district: str = "",
    street: str = "",
    community: str = "",
    worker: str = "",
) -> QuerySet[IssuedDocument]:
    if text:
        queryset = queryset.filter(
            Q(number__icontains=text) | Q(code__iexact=text) | Q(title__icontains=text)
        )
    if kind:
        queryset = queryset.filter(kind=kind)
    if period:
        year, _sep, month = period.partition("-")
        queryset = queryset.filter(year=int(year))
        if month:
            queryset = queryset.filter(month=int(month))
    if district:
        queryset = queryset.filter(
            Q(district__code=district) | Q(community__street__district__code=district)
        )
    if street:
        queryset = queryset.filter(community__street__code=street)
    if community:
        queryset = queryset.filter(community__code=community)
    if worker:
        queryset = queryset.filter(
            Q(worker__full_name__icontains=worker) | Q(worker__id_number=worker)
        )
    return queryset


def document_batch_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[DocumentBatch]:
    """A user's own batches (administrators see all)."""
    queryset = DocumentBatch.objects.select_related("requested_by")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return queryset
    return queryset.filter(requested_by=user)


def user_sees_employer_cost(user: UserOrAnonymous) -> bool:
    return isinstance(user, User) and (
        user.is_superuser or user.role in EMPLOYER_COST_ROLES
    )


def user_reads_download_log(user: UserOrAnonymous) -> TypeGuard[User]:
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_superuser or user.role in DOWNLOAD_LOG_ROLES)
    )


def download_log_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[DownloadLog]:
    """Administrators read the whole log; an auditor reads the downloads of
    users inside the auditor's scope."""
    queryset = DownloadLog.objects.select_related("user", "document")
    if not user_reads_download_log(user):
        return queryset.none()
    condition = scope_q(user, "")
    if condition is None:
        return queryset.none()
    if condition == Q():
        return queryset
    communities = community_list_visible_to(user=user)
    streets = street_list_visible_to(user=user)
    within = Q(user__community__in=communities) | Q(user=user)
    if not user.community_id:
        within |= Q(user__street__in=streets, user__community__isnull=True)
    if user.district_id and not (user.street_id or user.community_id):
        within |= Q(
            user__district_id=user.district_id,
            user__street__isnull=True,
            user__community__isnull=True,
        )
    return queryset.filter(within)
