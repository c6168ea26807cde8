"""Contribution bases for a social-insurance year (DOMAIN A7)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from core.models import Worker
from payroll.cycles.compute import base_limits, standard_monthly_pay
from payroll.cycles.fetch import contribution_rates_in_force, month_inputs
from payroll.models import ContributionBase, Payslip
from payroll.rules import contributions
from payroll.scales.selectors import scale_for, scale_version_in_force


def _full_month(worker: Worker, year: int, month: int) -> bool:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return worker.joined_on <= first and (
        worker.left_on is None or worker.left_on >= last
    )


@transaction.atomic
def contribution_base_propose(*, year: int, actor: Any = None) -> int:
    """Propose bases for July ``year`` to June ``year + 1`` for every worker
    employed on 1 July: the average monthly gross of the full months paid in
    ``year − 1``, or the standard pay of the first full month, clamped.

    Bases that already exist for that year (entered or imported by staff) are
    kept. Returns the number of bases created.
    """
    starts_on = date(year, 7, 1)
    ends_on = date(year + 1, 6, 30)
    rates = contribution_rates_in_force(starts_on)
    version = scale_version_in_force(starts_on)
    if rates is None or version is None:
        raise ValueError("no contribution rates or scale version in force on 1 July")
    scale = scale_for(version)
    si_limits, hf_limits = base_limits(rates, scale)

    workers = Worker.objects.filter(joined_on__lte=starts_on).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=starts_on)
    )
    existing = set(
        ContributionBase.objects.filter(starts_on=starts_on).values_list(
            "worker_id", flat=True
        )
    )
    facts = {w.pk: w for w in workers if w.pk not in existing}
    grosses: dict[int, list[Decimal]] = defaultdict(list)
    for worker_id, month, gross in Payslip.objects.filter(
        worker_id__in=list(facts), year=year - 1
    ).values_list("worker_id", "month", "gross"):
        if _full_month(facts[worker_id], year - 1, month):
            grosses[worker_id].append(gross)
    without = [pk for pk in facts if not grosses.get(pk)]
    standard: dict[int, Decimal] = {}
    if without:
        for inp in month_inputs(Worker.objects.filter(pk__in=without), year, 7):
            standard[inp.worker_id] = standard_monthly_pay(
                scale, inp.post, inp.level, inp.one_shoulder
            )
    rows = []
    for pk in facts:
        months = grosses.get(pk, [])
        fallback = standard.get(pk)
        if not months and fallback is None:
            continue
        si = contributions.propose_base(
            months, si_limits, first_full_month_standard_pay=fallback
        )
        hf = contributions.propose_base(
            months, hf_limits, first_full_month_standard_pay=fallback
        )
        rows.append(
            ContributionBase(
                worker_id=pk,
                starts_on=starts_on,
                ends_on=ends_on,
                social_insurance_base=si.base,
                housing_fund_base=hf.base,
                source=ContributionBase.Source.PROPOSED,
                params={"social_insurance": si.params, "housing_fund": hf.params},
            )
        )
    ContributionBase.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
