"""The kept records a user sees: the change history, issued documents and
their batches, and the download log.
"""

from __future__ import annotations

from typing import TypeGuard

from django.db.models import (
    CharField,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast

from core.models import (
    ChangeLog,
    Disclosure,
    DocumentBatch,
    DocumentKind,
    DownloadLog,
    IssuedDocument,
    Role,
    User,
)

from .access import user_sees_employer_cost, user_sees_full_bank, user_sees_full_id
from .pay_records import user_reads_pay_records
from .roster import (
    community_list_visible_to,
    street_list_visible_to,
    worker_list_visible_to,
)
from .scope import MEMBER_ACCOUNT_STAFF_ROLES, UserOrAnonymous, scope_q, sees_whole_city

# Who reads the download log: auditors (inside their scope) and administrators.
DOWNLOAD_LOG_ROLES = {Role.ADMIN, Role.AUDITOR}


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
