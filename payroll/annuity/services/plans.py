"""Writes of the annuity: plan versions, their vesting steps, and marking a
version used once a cycle reads it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext_lazy

from payroll.annuity.fetch import legal_caps_in_force
from payroll.models.annuity_plans import (
    AnnuityPlan,
    AnnuityPlanVersion,
    AnnuityVestingStep,
)
from payroll.rules import annuity as rules

INVALID_TERMS = gettext_lazy("方案条款无效：%(error)s")
NO_LEGAL_CAPS = gettext_lazy("%(day)s 没有生效的企业年金法定上限，请先在管理后台维护。")


@transaction.atomic
def annuity_plan_version_save(
    *,
    version: AnnuityPlanVersion,
    steps: Iterable[tuple[int, Decimal]] | None = None,
) -> AnnuityPlanVersion:
    """Save a version (and replace its vesting steps), refusing one whose
    rates break its caps, whose rates or caps go above the legal caps in force
    (a plan cannot raise them, DOMAIN A8), or whose terms the rules reject. A
    used version refuses any change (``UsedTableGuard``)."""
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
        terms = version.terms(step_list)
    except ValueError as exc:
        raise ValidationError(INVALID_TERMS % {"error": exc}) from exc
    legal = legal_caps_in_force(version.effective_on)
    if legal is None:
        raise ValidationError(NO_LEGAL_CAPS % {"day": version.effective_on})
    problems = rules.plan_legal_violations(terms, legal)
    if problems:
        raise ValidationError(problems)
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
