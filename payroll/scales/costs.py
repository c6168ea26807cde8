"""DOMAIN A6: the yearly cost of today's workers under an old and a new table."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from core import clock
from core.decimals import ZERO, round_cents
from core.models import Worker
from payroll.levels.selectors import month_inputs
from payroll.models import IndexationCost, ScaleVersion
from payroll.rules.earnings import month_earnings
from payroll.rules.lines import gross
from payroll.rules.scale import Scale
from payroll.scales.selectors import ScaleMissingError

MONTHS = 12


@dataclass(frozen=True)
class CostRow:
    code: str
    name: str
    workers: int
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - self.old

    @property
    def percent(self) -> Decimal | None:
        if not self.old:
            return None
        return round_cents(self.difference * 100 / self.old)


@dataclass(frozen=True)
class CostReport:
    on: date
    rows: tuple[CostRow, ...]
    total: CostRow


def indexation_cost(
    *, old: Scale, new: Scale, workers: QuerySet[Worker], on: date
) -> CostReport:
    """Twelve full months of each active worker employed in ``on``'s month, at
    today's level, post, grade and stars, under each table; per district and
    in total. Level changes of the coming year are not anticipated."""
    active = workers.filter(status=Worker.Status.ACTIVE)
    inputs = month_inputs(active, on.year, on.month)
    districts = {
        pk: (code, name)
        for pk, code, name in active.values_list(
            "pk",
            "community__street__district__code",
            "community__street__district__name",
        )
    }
    sums: dict[tuple[str, str], list[Decimal | int]] = {}
    for inp in inputs:
        full = replace(inp, days_worked=inp.days_in_month)
        try:
            before = gross(month_earnings(full, old)) * MONTHS
            after = gross(month_earnings(full, new)) * MONTHS
        except KeyError as exc:
            raise ScaleMissingError(f"a table lacks the row {exc}") from exc
        key = districts[inp.worker_id]
        entry = sums.setdefault(key, [0, ZERO, ZERO])
        entry[0] += 1
        entry[1] += before
        entry[2] += after
    rows = [
        CostRow(code, name, int(n), Decimal(o), Decimal(w))
        for (code, name), (n, o, w) in sorted(sums.items())
    ]
    return _report(on, rows)


def _report(on: date, rows: list[CostRow]) -> CostReport:
    total = CostRow(
        "",
        "",
        sum(r.workers for r in rows),
        sum((r.old for r in rows), ZERO),
        sum((r.new for r in rows), ZERO),
    )
    return CostReport(on=on, rows=tuple(rows), total=total)


def workforce_fingerprint(*, old: Scale, new: Scale, on: date) -> str:
    """What the city-wide cost depends on: both tables' figures, the day, and
    the workforce as its latest changes show it (workers, levels, grades,
    stars and positions). A new value means the kept cost is stale."""
    from django.db.models import Count, Max

    from core.models import WorkerPosition
    from payroll.models import LevelChange
    from ratings.models import AnnualGrade, StarRating

    workers = Worker.objects.aggregate(
        n=Count("pk"), pk=Max("pk"), at=Max("updated_at")
    )
    facts = [
        repr(old),
        repr(new),
        on.isoformat(),
        workers,
        LevelChange.objects.aggregate(n=Count("pk"), pk=Max("pk")),
        AnnualGrade.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        StarRating.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        WorkerPosition.objects.aggregate(n=Count("pk"), pk=Max("pk")),
    ]
    return hashlib.sha256(repr(facts).encode()).hexdigest()


def indexation_cost_request(
    *, old_version: ScaleVersion, new_version: ScaleVersion, on: date
) -> IndexationCost:
    """The kept city-wide cost of this pair of tables, or a new computation of
    it started in the background (in-process without a broker)."""
    from payroll.scales.selectors import scale_for
    from payroll.tasks import indexation_cost_compute_task

    fingerprint = workforce_fingerprint(
        old=scale_for(old_version), new=scale_for(new_version), on=on
    )
    with transaction.atomic():
        record, created = IndexationCost.objects.get_or_create(
            old_version=old_version,
            new_version=new_version,
            fingerprint=fingerprint,
            defaults={"on": on, "started_at": clock.now()},
        )
        if created or record.status == IndexationCost.Status.FAILED:
            if not created:
                record.status = IndexationCost.Status.COMPUTING
                record.error = ""
                record.save(update_fields=["status", "error"])
            if indexation_cost_compute_task.app.conf.task_always_eager:
                # No broker (development): computed now, inside this request.
                return indexation_cost_compute(cost_id=record.pk)
            transaction.on_commit(lambda: indexation_cost_compute_task.delay(record.pk))
    record.refresh_from_db()
    return record


def indexation_cost_compute(*, cost_id: int) -> IndexationCost:
    """Compute a kept cost district by district, saving progress after each.
    Idempotent: a finished record is left as it is."""
    from core.models import District
    from payroll.scales.selectors import scale_for

    record = IndexationCost.objects.select_related("old_version", "new_version").get(
        pk=cost_id
    )
    if record.status == IndexationCost.Status.DONE:
        return record
    old, new = scale_for(record.old_version), scale_for(record.new_version)
    districts = list(District.objects.order_by("code"))
    record.districts_total, record.districts_done, record.rows = len(districts), 0, []
    record.save(update_fields=["districts_total", "districts_done", "rows"])
    try:
        for district in districts:
            part = indexation_cost(
                old=old,
                new=new,
                workers=Worker.objects.filter(community__street__district=district),
                on=record.on,
            )
            record.rows += [
                [r.code, r.name, r.workers, str(r.old), str(r.new)] for r in part.rows
            ]
            record.districts_done += 1
            record.save(update_fields=["rows", "districts_done"])
    except ScaleMissingError as exc:
        record.status, record.error = IndexationCost.Status.FAILED, str(exc)
    else:
        record.status = IndexationCost.Status.DONE
    record.finished_at = clock.now()
    record.save(update_fields=["status", "error", "finished_at"])
    return record


def indexation_cost_report(
    record: IndexationCost, district_codes: set[str] | None = None
) -> CostReport:
    """A kept cost as a report, limited to ``district_codes`` when given."""
    rows = [
        CostRow(code, name, int(workers), Decimal(old), Decimal(new))
        for code, name, workers, old, new in record.rows
        if district_codes is None or code in district_codes
    ]
    return _report(record.on, rows)
