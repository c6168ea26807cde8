"""Back pay and recovery (补发/补扣) for months already locked (issue 4, §4).

A locked payslip is never edited. When a dated table, a grade, a star rating,
a level or a worker's facts change after a month was locked, the next cycle
computes that month's earnings again and pays the difference per line as
``adjustment`` lines naming the month. Earlier adjustments for the same month
count as paid, so a difference is paid once.

Only workers whose data changed after the month was locked are recomputed,
so a cycle with no changes pays for this check with a few queries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q

from core.decimals import ZERO
from core.models import Worker
from payroll.cycles.fetch import month_inputs
from payroll.models import LevelChange, PayrollCycle, Payslip, ScaleVersion
from payroll.rules.earnings import EARNING_CODES, month_earnings
from payroll.rules.lines import EARNING, PayLine
from payroll.scales.selectors import scale_for, scale_version_in_force
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


def _changed_workers(worker_ids: list[int], since: Any) -> set[int] | None:
    """Workers whose pay facts changed after ``since``; None means all (a
    scale version adopted since then may reach back into locked months)."""
    if ScaleVersion.objects.filter(adopted_at__gt=since).exists():
        return None
    ids = set(worker_ids)
    changed: set[int] = set()
    changed.update(
        Worker.objects.filter(pk__in=ids, updated_at__gt=since).values_list(
            "pk", flat=True
        )
    )
    changed.update(
        LevelChange.objects.filter(worker_id__in=ids, created_at__gt=since).values_list(
            "worker_id", flat=True
        )
    )
    changed.update(
        AnnualGrade.objects.filter(worker_id__in=ids, updated_at__gt=since).values_list(
            "worker_id", flat=True
        )
    )
    changed.update(
        StarRating.objects.filter(worker_id__in=ids, updated_at__gt=since).values_list(
            "worker_id", flat=True
        )
    )
    return changed


def corrections_for(
    cycle: PayrollCycle, worker_ids: list[int]
) -> dict[int, tuple[PayLine, ...]]:
    """Adjustment lines per worker for the locked months before the cycle."""
    window = _months_back(cycle.year, cycle.month, settings.PAYROLL_CORRECTION_MONTHS)
    month_filter = Q()
    for year, month in window:
        month_filter |= Q(year=year, month=month)
    locked = PayrollCycle.objects.filter(
        month_filter, status=PayrollCycle.Status.LOCKED
    )
    since = min((c.locked_at for c in locked if c.locked_at), default=None)
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
        for code, kind, amount, *_rest in lines:
            if kind == EARNING and code in EARNING_CODES:
                paid[(worker_id, year, month)][code] += Decimal(amount)
    if not paid:
        return {}
    for worker_id, lines in (
        Payslip.objects.filter(worker_id__in=candidates)
        .exclude(cycle=cycle)
        .values_list("worker_id", "lines")
    ):
        for code, _kind, amount, _rule, _version, params in lines:
            if code == ADJUSTMENT:
                year, month = (int(x) for x in params["period"].split("-"))
                key = (worker_id, year, month)
                if key in paid:
                    paid[key][params["item"]] += Decimal(amount)
    result: dict[int, list[PayLine]] = defaultdict(list)
    for year, month in sorted(window):
        keys = [key for key in paid if key[1:] == (year, month)]
        if not keys:
            continue
        version = scale_version_in_force(date(year, month, 1))
        if version is None:
            continue
        scale = scale_for(version)
        ids = [key[0] for key in keys]
        for inp in month_inputs(Worker.objects.filter(pk__in=ids), year, month):
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
