"""Reads of payroll cycles: who sees which cycle and payslip, and their totals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from core.decimals import ZERO, sum_amounts
from core.selectors import district_record_filter, scope_filter
from payroll.models.cycles import PayrollCycle, Payslip


def payroll_cycle_list_visible_to(*, user: Any) -> Any:
    cycles = PayrollCycle.objects.select_related(
        "district", "computed_by", "approved_by", "locked_by"
    )
    return district_record_filter(cycles, user)


def cycle_totals(cycle: PayrollCycle) -> dict[str, Any]:
    """Totals of the cycle, summed in Python over the stored (rounded) rows."""
    rows = Payslip.objects.filter(cycle=cycle).values_list(
        "gross", "deductions", "net", "employer_cost"
    )
    count = 0
    sums = [ZERO, ZERO, ZERO, ZERO]
    for row in rows:
        count += 1
        for i in range(4):
            sums[i] += row[i]
    return {
        "payslips": count,
        "gross": str(sums[0]),
        "deductions": str(sums[1]),
        "net": str(sums[2]),
        "employer_cost": str(sums[3]),
    }


def cycle_totals_by(cycle: PayrollCycle, level: str) -> list[dict[str, Any]]:
    """Totals by community, street or district, summed over stored payslips."""
    path = {
        "community": ("community__code", "community__name"),
        "street": ("community__street__code", "community__street__name"),
        "district": (
            "community__street__district__code",
            "community__street__district__name",
        ),
    }[level]
    groups: dict[tuple[str, str], list[Any]] = defaultdict(
        lambda: [0, ZERO, ZERO, ZERO, ZERO]
    )
    for code, name, gross, deductions, net, employer in Payslip.objects.filter(
        cycle=cycle
    ).values_list(*path, "gross", "deductions", "net", "employer_cost"):
        group = groups[(code, name)]
        group[0] += 1
        group[1] += gross
        group[2] += deductions
        group[3] += net
        group[4] += employer
    return [
        {
            "code": code,
            "name": name,
            "payslips": values[0],
            "gross": values[1],
            "deductions": values[2],
            "net": values[3],
            "employer_cost": values[4],
        }
        for (code, name), values in sorted(groups.items())
    ]


def payslip_list_visible_to(*, user: Any) -> Any:
    return scope_filter(
        Payslip.objects.select_related("worker", "community", "cycle"), user
    )


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


__all__ = ["sum_amounts"]
