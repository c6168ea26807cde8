"""Who reads whose pay records (payslips and the like), and why a colleague's
are refused.
"""

from __future__ import annotations

from django.db.models import (
    Q,
    QuerySet,
)
from django.utils.translation import gettext_lazy

from core.models import (
    Community,
    Role,
)

from .scope import UserOrAnonymous, scope_filter, scope_q

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
