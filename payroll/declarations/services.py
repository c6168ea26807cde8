"""Writes of declarations: a worker declares, payroll staff review, and the
approved items of a year become the worker's ``TaxDeclaration``."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import clock
from core.models import Role, User, Worker
from payroll.declarations.selectors import (
    declaration_years,
    deduction_claim_list_visible_to,
    deduction_standard_for,
)
from payroll.models import DeductionClaim, DeductionStandard, TaxDeclaration
from payroll.rules import deductions as rules

NOT_YOURS = _("只能为本人申报。")
YEAR_CLOSED = _("只能申报今年（12 月起也可申报明年）的专项附加扣除。")
NO_STANDARD = _("%(year)s 年没有“%(category)s”的扣除标准，请联系财务人员。")
AMOUNT_REFUSED = {
    "units": _("子女人数至少为 1。"),
    "share": _("本人扣除比例应大于 0、不超过 100%。"),
    "cap": _("本人每月扣除超过了上限。"),
    "housing": _("同一年度住房贷款利息和住房租金只能选择其一。"),
}
NOT_REVIEWER = _("只有财务人员可以审核专项附加扣除申报。")
OWN_CLAIM = _("不能审核本人的申报。")
NOT_SUBMITTED = _("该申报当前状态为“%(status)s”，不能再撤回或审核。")
REASON_REQUIRED = _("退回时必须填写原因。")
# Approving a claim changes the tax withheld from pay: payroll money, so
# finance's alone (administrators keep users and reference data, not pay).
REVIEW_ROLES = {Role.FINANCE}


@transaction.atomic
def deduction_claim_submit(
    *,
    user: User,
    worker: Worker,
    year: int,
    standard: DeductionStandard,
    children: int = 1,
    share: Decimal = Decimal(1),
    details: dict[str, str] | None = None,
) -> DeductionClaim:
    """A worker's own declaration of one item for ``year``, measured against
    the standard of that year; it waits for review."""
    if user.worker_id != worker.pk:
        raise PermissionDenied(NOT_YOURS)
    if year not in declaration_years(clock.today()):
        raise ValidationError(YEAR_CLOSED)
    if deduction_standard_for(standard.category, standard.variant, year) != standard:
        raise ValidationError(
            NO_STANDARD % {"year": year, "category": standard.get_category_display()}
        )
    try:
        amount = rules.claim_monthly_amount(
            standard=standard.monthly_amount,
            units=children if standard.per_child else 1,
            share=share,
            cap=standard.cap,
        )
    except rules.DeductionError as exc:
        raise ValidationError(AMOUNT_REFUSED[exc.code]) from exc
    claim = DeductionClaim(
        worker=worker,
        year=year,
        standard=standard,
        category=standard.category,
        children=children if standard.per_child else 1,
        share=share,
        monthly_amount=amount,
        details={k: v for k, v in (details or {}).items() if v},
        submitted_by=user,
        submitted_at=clock.now(),
    )
    claim.full_clean()
    claim.save()
    return claim


def _open_for(claim: DeductionClaim) -> DeductionClaim:
    locked = DeductionClaim.objects.select_for_update().get(pk=claim.pk)
    if locked.status != DeductionClaim.Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def deduction_claim_withdraw(*, claim: DeductionClaim, user: User) -> DeductionClaim:
    if user.worker_id != claim.worker_id:
        raise PermissionDenied(NOT_YOURS)
    claim = _open_for(claim)
    claim.status = DeductionClaim.Status.WITHDRAWN
    claim.save(update_fields=["status"])
    return claim


def _check_reviewer(claim: DeductionClaim, actor: User) -> None:
    if not (actor.is_active and actor.role in REVIEW_ROLES):
        raise PermissionDenied(NOT_REVIEWER)
    if actor.worker_id == claim.worker_id:
        raise PermissionDenied(OWN_CLAIM)
    if not deduction_claim_list_visible_to(user=actor).filter(pk=claim.pk).exists():
        raise PermissionDenied(NOT_REVIEWER)


@transaction.atomic
def deduction_claim_approve(*, claim: DeductionClaim, actor: User) -> DeductionClaim:
    """Approve one item: from the next cycle, the cumulative tax counts it
    for every month of the year employed here (the method catches up)."""
    _check_reviewer(claim, actor)
    claim = _open_for(claim)
    claim.status = DeductionClaim.Status.APPROVED
    claim.reviewed_by = actor
    claim.reviewed_at = clock.now()
    claim.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    tax_declaration_sync(worker=claim.worker, year=claim.year)
    return claim


@transaction.atomic
def deduction_claim_return(
    *, claim: DeductionClaim, actor: User, reason: str
) -> DeductionClaim:
    _check_reviewer(claim, actor)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    claim = _open_for(claim)
    claim.status = DeductionClaim.Status.RETURNED
    claim.reviewed_by = actor
    claim.reviewed_at = clock.now()
    claim.return_reason = reason.strip()[:300]
    claim.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason"])
    return claim


def tax_declaration_sync(*, worker: Worker, year: int) -> TaxDeclaration:
    """The year's approved items, summed by category, into the worker's
    ``TaxDeclaration`` (the row the cycles read). Categories without an
    approved item keep what staff entered or imported."""
    approved = DeductionClaim.objects.filter(
        worker=worker, year=year, status=DeductionClaim.Status.APPROVED
    ).values_list("category", "monthly_amount")
    try:
        totals = rules.category_totals(approved)
    except rules.DeductionError as exc:
        raise ValidationError(AMOUNT_REFUSED[exc.code]) from exc
    declared = {category for category, _amount in approved}
    declaration, _created = TaxDeclaration.objects.select_for_update().get_or_create(
        worker=worker, year=year
    )
    for category in declared:
        setattr(declaration, category, totals[category])
    declaration.full_clean()
    declaration.save()
    return declaration
