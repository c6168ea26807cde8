"""Writes of the annuity: plan versions, their vesting steps, and marking a
version used once a cycle reads it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from payroll.models.annuity import (
    AnnuityPlan,
    AnnuityPlanVersion,
    AnnuityVestingStep,
)

INVALID_TERMS = "方案条款无效：%(error)s"


@transaction.atomic
def annuity_plan_version_save(
    *,
    version: AnnuityPlanVersion,
    steps: Iterable[tuple[int, Decimal]] | None = None,
) -> AnnuityPlanVersion:
    """Save a version (and replace its vesting steps), refusing one whose
    rates break the caps or whose terms the rules reject. A used version
    refuses any change (``UsedTableGuard``)."""
    version.full_clean()
    step_list = (
        sorted(steps)
        if steps is not None
        else (
            [(s.years, s.fraction) for s in version.vesting_steps.all()]
            if version.pk
            else []
        )
    )
    try:
        version.terms(step_list)
    except ValueError as exc:
        raise ValidationError(_(INVALID_TERMS) % {"error": exc}) from exc
    version.save()
    if steps is not None:
        for step in version.vesting_steps.all():
            step.delete()
        AnnuityVestingStep.objects.bulk_create(
            AnnuityVestingStep(version=version, years=y, fraction=f)
            for y, f in step_list
        )
    return version


def annuity_plan_demo_load() -> AnnuityPlan:
    """The demo plan of DOMAIN A8 (fixtures/payroll_annuity_reference.json)."""
    if not AnnuityPlan.objects.filter(code="SECRETARY").exists():
        call_command("loaddata", "payroll_annuity_reference", verbosity=0)
    return AnnuityPlan.objects.get(code="SECRETARY")


def annuity_version_mark_used(version: AnnuityPlanVersion) -> None:
    if version.used_at is None:
        version.used_at = clock.now()
        version.save(update_fields=["used_at"])
