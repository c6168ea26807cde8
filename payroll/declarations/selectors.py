"""Reads of declarations: the standards of a year, and whose claims a user sees."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from core.models import Role
from core.selectors import UserOrAnonymous, scope_filter, user_is_worker
from payroll.models import DeductionClaim, DeductionStandard

# Tax declarations name children, parents and addresses: payroll staff and
# auditors see those of their scope; everyone else only their own.
CLAIM_STAFF_ROLES = {Role.FINANCE, Role.ADMIN, Role.AUDITOR}


def declaration_years(today: date) -> tuple[int, ...]:
    """The years a worker may declare for: this one, and from December the next."""
    return (today.year, today.year + 1) if today.month == 12 else (today.year,)


def deduction_standard_for(
    category: str, variant: str, year: int
) -> DeductionStandard | None:
    """The standard of a kind in force for ``year``: the latest dated on or
    before 1 January, else the first one dated within the year."""
    rows = DeductionStandard.objects.filter(category=category, variant=variant)
    return (
        rows.filter(effective_on__lte=date(year, 1, 1))
        .order_by("-effective_on")
        .first()
        or rows.filter(effective_on__year=year).order_by("effective_on").first()
    )


def deduction_standards_for_year(year: int) -> list[DeductionStandard]:
    kinds = (
        DeductionStandard.objects.order_by("category", "variant")
        .values_list("category", "variant")
        .distinct()
    )
    standards = [deduction_standard_for(c, v, year) for c, v in kinds]
    return [s for s in standards if s is not None]


def deduction_claim_list_visible_to(
    *, user: UserOrAnonymous
) -> QuerySet[DeductionClaim]:
    claims = DeductionClaim.objects.select_related(
        "worker__community__street__district", "standard", "reviewed_by"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return claims.none()
    if user_is_worker(user):
        return scope_filter(claims, user, "worker__community")
    if user.is_superuser or user.role in CLAIM_STAFF_ROLES:
        return scope_filter(claims, user, "worker__community")
    if user.worker_id:
        return claims.filter(worker_id=user.worker_id)
    return claims.none()
