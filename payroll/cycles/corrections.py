"""Back pay and recovery (补发/补扣) for months already locked (issue 4, §4).

A locked payslip is never edited. When a dated table, a grade, a star rating,
a level or a worker's facts change after a month was locked, the next cycle
computes that month's earnings again and pays the difference per line as
``adjustment`` lines naming the month. Earlier adjustments for the same month
count as paid, so a difference is paid once.

Only workers whose data changed after the month was locked are recomputed,
so a cycle with no changes pays for this check with a few queries.

How far back (DOMAIN A11): the locked months of the cycle's own tax year and
the last ``previous_year_months`` months of the year before, a dated
``CorrectionPolicy`` row (demo 12: all of it). What a correction takes back
is recovered within limits by the payslip rule (never net below zero nor
gross below the monthly floor; the rest carried forward).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from core.decimals import ZERO
from core.models import Worker
from payroll.levels.selectors import month_inputs_many
from payroll.models import (
    CorrectionPolicy,
    LevelChange,
    PayrollCycle,
    Payslip,
    ScaleVersion,
)
from payroll.rules.earnings import EARNING_CODES, month_earnings
from payroll.rules.lines import EARNING, PayLine, lines_from_rows
from payroll.scales.selectors import scale_for
from ratings.models import AnnualGrade, StarRating

ADJUSTMENT = "adjustment"


def _months_back(year: int, month: int, count: int) -> list[tuple[int, int]]:
    months = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append((year, month))
    return months


def correction_months(year: int, month: int) -> int:
    """How many months before ``year``-``month`` a correction may reach: the
    earlier months of the tax year plus the previous year's months the
    policy in force allows (none without a policy). 2027-01 with 12 → 12;
    2027-11 with 12 → 22; 2027-11 with 3 → 13."""
    policy = (
        CorrectionPolicy.objects.filter(effective_on__lte=date(year, month, 1))
        .order_by("-effective_on")
        .values_list("previous_year_months", flat=True)
        .first()
    )
    return (month - 1) + (policy or 0)


def _changed_workers(worker_ids: list[int], since: Any) -> set[int] | None:
    """Workers of ``worker_ids`` whose pay facts changed after ``since``;
    None means all (a scale version adopted since then may reach back into
    locked months).

    Four small reads by timestamp, whatever the size of the chunk: the rows
    changed since the last lock are few (a month's events), so they are read
    for the whole city and kept for the chunk's workers in Python, instead of
    sending the chunk's ids in four ``IN`` lists (a quarter of a second per
    cycle at 10,000 workers)."""
    if ScaleVersion.objects.filter(adopted_at__gt=since).exists():
        return None
    ids = set(worker_ids)
    changed: set[int] = set()
    for rows in (
        Worker.objects.filter(updated_at__gt=since).values_list("pk", flat=True),
        LevelChange.objects.filter(created_at__gt=since).values_list(
            "worker_id", flat=True
        ),
        AnnualGrade.objects.filter(updated_at__gt=since).values_list(
            "worker_id", flat=True
        ),
        StarRating.objects.filter(updated_at__gt=since).values_list(
            "worker_id", flat=True
        ),
    ):
        changed.update(pk for pk in rows if pk in ids)
    return changed


def corrections_for(
    cycle: PayrollCycle, worker_ids: list[int]
) -> dict[int, tuple[PayLine, ...]]:
    """Adjustment lines per worker for the locked months before the cycle."""
    window = _months_back(
        cycle.year, cycle.month, correction_months(cycle.year, cycle.month)
    )
    if not window:
        return {}
    month_filter = Q()
    for year, month in window:
        month_filter |= Q(year=year, month=month)
    locked = PayrollCycle.objects.filter(
        month_filter, status=PayrollCycle.Status.LOCKED
    )
    # A fact changed before the latest locked cycle was computed was corrected
    # by that cycle: only later changes need the locked months recomputed
    # (else every worker touched since the window's first month is, monthly).
    latest = max(locked, key=lambda c: (c.year, c.month), default=None)
    since = latest.computed_at or latest.locked_at if latest else None
    if since is None:
        return {}
    changed = _changed_workers(worker_ids, since)
    candidates = (
        list(worker_ids)
        if changed is None
        else [pk for pk in worker_ids if pk in changed]
    )
    if not candidates:
        return {}
    paid: dict[tuple[int, int, int], dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(lambda: ZERO)
    )
    # What was paid for each worker-month: the locked payslip's earnings, plus
    # adjustments for that month in any later payslip.
    for worker_id, year, month, lines in Payslip.objects.filter(
        month_filter, worker_id__in=candidates, cycle__status=PayrollCycle.Status.LOCKED
    ).values_list("worker_id", "year", "month", "lines"):
        for line in lines_from_rows(lines):
            if line.kind == EARNING and line.code in EARNING_CODES:
                paid[(worker_id, year, month)][line.code] += line.amount
    if not paid:
        return {}
    for worker_id, lines in (
        Payslip.objects.filter(worker_id__in=candidates)
        .exclude(cycle=cycle)
        .values_list("worker_id", "lines")
    ):
        for line in lines_from_rows(lines):
            if line.code == ADJUSTMENT:
                year, month = (int(x) for x in line.params["period"].split("-"))
                key = (worker_id, year, month)
                if key in paid:
                    paid[key][line.params["item"]] += line.amount
    result: dict[int, list[PayLine]] = defaultdict(list)
    # The versions in force in the window's months (one query for all of
    # them, the latest effective on or before each month's first day, as
    # ``scale_version_in_force``), one pure scale per version.
    adopted = list(
        ScaleVersion.objects.filter(
            status=ScaleVersion.Status.ADOPTED,
            effective_on__lte=date(*max(window), 1),
        ).order_by("-effective_on", "-pk")
    )
    versions: dict[tuple[int, int], ScaleVersion] = {}
    for year, month in window:
        first = date(year, month, 1)
        version = next((v for v in adopted if v.effective_on <= first), None)
        if version is not None:
            versions[(year, month)] = version
    wanted: dict[tuple[int, int], list[int]] = defaultdict(list)
    for worker_id, year, month in paid:
        if (year, month) in versions:
            wanted[(year, month)].append(worker_id)
    inputs = month_inputs_many(dict(wanted))
    scales: dict[int, Any] = {}
    for year, month in sorted(inputs):
        version = versions[(year, month)]
        if version.pk not in scales:
            scales[version.pk] = scale_for(version)
        scale = scales[version.pk]
        for inp in inputs[(year, month)]:
            before = paid[(inp.worker_id, year, month)]
            now = {line.code: line.amount for line in month_earnings(inp, scale)}
            for code in sorted(set(before) | set(now)):
                difference = now.get(code, ZERO) - before.get(code, ZERO)
                if difference == ZERO:
                    continue
                result[inp.worker_id].append(
                    PayLine(
                        code=ADJUSTMENT,
                        kind=EARNING,
                        amount=difference,
                        rule="A4.correction",
                        version=version.code,
                        params={
                            "period": f"{year}-{month:02d}",
                            "item": code,
                            "recomputed": str(now.get(code, ZERO)),
                            "paid": str(before.get(code, ZERO)),
                            "reason": "补发" if difference > 0 else "补扣",
                        },
                    )
                )
    return {pk: tuple(lines) for pk, lines in result.items()}
