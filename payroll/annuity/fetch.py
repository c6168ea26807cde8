"""Fetch, then calculate: the annuity contributions of a chunk of payslips.

Only members contribute (the secretaries, a few per community), so a chunk
adds a constant number of queries: its members, their bases of the year and,
for members without one yet, last year's payslips. The first cycle of a year
stores each member's base of the year (``AnnuityBase``), inside the chunk's
transaction.

Base rule (DOMAIN A8, ``AnnuityPlanVersion.BaseRule.PREVIOUS_YEAR_AVERAGE``):
the average monthly gross of the member's payslips of the previous calendar
year; a member with no payslip that year (a new member) takes the standard
monthly pay of the month computed (S(n) + post allowance + 一肩挑), the same
fallback as the social-insurance base (DOMAIN A7).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from payroll.models.annuity import AnnuityBase, AnnuityMembership
from payroll.models.annuity_plans import AnnuityLegalCaps, AnnuityPlanVersion
from payroll.models.cycles import Payslip
from payroll.rules import annuity as rules
from payroll.rules.earnings import prorate
from payroll.rules.scale import Scale


@dataclass(frozen=True)
class AnnuityTables:
    version: AnnuityPlanVersion
    terms: rules.AnnuityPlanTerms
    limits: rules.AnnuityTaxLimits
    legal: rules.LegalCaps | None = None


def annuity_version_in_force(day: date) -> AnnuityPlanVersion | None:
    """The latest plan version in force on ``day`` (one plan per payroll)."""
    return (
        AnnuityPlanVersion.objects.filter(effective_on__lte=day)
        .select_related("plan")
        .prefetch_related("vesting_steps")
        .order_by("-effective_on", "-pk")
        .first()
    )


def annuity_tables_for(day: date, scale: Scale) -> AnnuityTables | None:
    """Plan terms and tax limits in force on ``day``; the city's average
    monthly wage is the scale's yearly figure ÷ 12 (as for the housing fund).
    The legal caps in force that day come with them (DOMAIN A8)."""
    version = annuity_version_in_force(day)
    if version is None:
        return None
    return AnnuityTables(
        version=version,
        terms=version.terms(),
        limits=rules.AnnuityTaxLimits(
            deductible_rate=version.deductible_rate,
            base_cap_multiple=version.base_cap_multiple,
            city_average_monthly_wage=scale.city_average_wage / 12,
            version=f"annuity:{version.effective_on}",
        ),
        legal=legal_caps_in_force(day),
    )


def legal_caps_in_force(day: date) -> rules.LegalCaps | None:
    row = (
        AnnuityLegalCaps.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )
    return row.caps() if row else None


def active_memberships(plan_id: int, first: date) -> QuerySet[AnnuityMembership]:
    """Memberships that contribute for the month starting on ``first``: begun
    on or before its first day and not ended before it."""
    return AnnuityMembership.objects.filter(
        plan_id=plan_id, started_on__lte=first, is_excluded=False
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))


def previous_year_grosses(
    worker_ids: Iterable[int], year: int
) -> dict[int, list[Decimal]]:
    grosses: dict[int, list[Decimal]] = defaultdict(list)
    for worker_id, gross in Payslip.objects.filter(
        worker_id__in=list(worker_ids), year=year - 1
    ).values_list("worker_id", "gross"):
        grosses[worker_id].append(gross)
    return grosses


def chunk_contributions(
    *,
    year: int,
    month: int,
    community_ids: list[int],
    inputs: list[Any],
    annuity: AnnuityTables | None,
    standard_pay: Any,
    member_ids: Iterable[int] | None = None,
) -> dict[int, rules.AnnuityContribution]:
    """{worker id: contribution} for the chunk's members.

    ``inputs`` are the chunk's month inputs (worker id, post, level, …);
    ``standard_pay(inp)`` gives a new member's fallback base; ``member_ids``
    are the members the cycle fixed for this chunk at its start (queried
    here when not given).
    """
    if annuity is None:
        return {}
    first = date(year, month, 1)
    plan_id = annuity.version.plan_id
    wanted = {inp.worker_id: inp for inp in inputs}
    if member_ids is None:
        member_ids = (
            active_memberships(plan_id, first)
            .filter(worker__community_id__in=community_ids)
            .values_list("worker_id", flat=True)
        )
    members = {worker_id for worker_id in member_ids if worker_id in wanted}
    if not members:
        return {}
    bases: dict[int, Decimal] = dict(
        AnnuityBase.objects.filter(
            plan_id=plan_id, year=year, worker_id__in=sorted(members)
        ).values_list("worker_id", "base")
    )
    missing = sorted(members - bases.keys())
    if missing:
        grosses = previous_year_grosses(missing, year)
        rows = []
        for worker_id in missing:
            months = grosses.get(worker_id)
            params: dict[str, int | str]
            if months:
                base = rules.annuity_base(months)
                source = AnnuityBase.Source.PAYSLIPS
                params = {"months": len(months), "year": year - 1}
            else:
                base = standard_pay(wanted[worker_id])
                source = AnnuityBase.Source.STANDARD_PAY
                params = {"month": f"{year}-{month:02d}"}
            params["base"] = str(base)
            bases[worker_id] = base
            rows.append(
                AnnuityBase(
                    plan_id=plan_id,
                    worker_id=worker_id,
                    year=year,
                    base=base,
                    source=source,
                    params=params,
                )
            )
        # Two cycles of the same year computed at once (January and February
        # catching up, say) may store a member's base together: the first one
        # stored holds, and both compute with it.
        AnnuityBase.objects.bulk_create(rows, ignore_conflicts=True)
        bases.update(
            AnnuityBase.objects.filter(
                plan_id=plan_id, year=year, worker_id__in=missing
            ).values_list("worker_id", "base")
        )
    by_base: dict[tuple[Decimal, int, int], rules.AnnuityContribution] = {}
    result = {}
    for worker_id in members:
        base = bases[worker_id]
        inp = wanted.get(worker_id)
        days, total = (inp.days_worked, inp.days_in_month) if inp else (1, 1)
        key = (base, days, total)
        contribution = by_base.get(key)
        if contribution is None:
            # A part month (joining or leaving) contributes for its calendar
            # days, like the pay and the other contributions of the month.
            monthly = base if days >= total else prorate(base, days, total)
            contribution = by_base[key] = rules.monthly_contributions(
                monthly, annuity.terms, annuity.limits
            )
        result[worker_id] = contribution
    return result
