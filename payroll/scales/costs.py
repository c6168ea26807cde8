"""DOMAIN A6: the yearly cost of today's workers under an old and a new table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from core.decimals import ZERO, round_cents
from core.models import Worker
from payroll.cycles.fetch import month_inputs
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
        entry[0] += 1  # type: ignore[operator]
        entry[1] += before  # type: ignore[operator]
        entry[2] += after  # type: ignore[operator]
    rows = tuple(
        CostRow(code, name, int(n), Decimal(o), Decimal(w))
        for (code, name), (n, o, w) in sorted(sums.items())
    )
    total = CostRow(
        "",
        "",
        sum(r.workers for r in rows),
        sum((r.old for r in rows), ZERO),
        sum((r.new for r in rows), ZERO),
    )
    return CostReport(on=on, rows=rows, total=total)
