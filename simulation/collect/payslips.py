"""The facts of cycles, payslips and each worker's year (tax, yearly floor),
read in queries that grow with the months.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from core.decimals import ZERO
from payroll.cycles.fetch import as_rule_table, tax_table_in_force
from payroll.models import (
    PayrollCycle,
    Payslip,
    TaxDeclaration,
    TaxTable,
)
from payroll.rules.earnings import days_worked
from payroll.rules.floor import YEARLY_FLOOR_TOP_UP
from payroll.rules.scale import Scale
from payroll.rules.tax import IIT
from payroll.scales.selectors import scale_for, scale_version_in_force
from simulation import invariants as inv


class _Scales:
    """The scale in force on a day, read once per version."""

    def __init__(self) -> None:
        self.by_version: dict[int, Scale] = {}

    def on(self, day: date) -> Scale | None:
        version = scale_version_in_force(day)
        if version is None:
            return None
        if version.pk not in self.by_version:
            self.by_version[version.pk] = scale_for(version)
        return self.by_version[version.pk]


def _label(worker: Any) -> str:
    return f"{worker[1]} #{worker[0]}"


def _check_cycles(periods: list[tuple[int, int]]) -> list[inv.Violation]:
    found = {
        (c.year, c.month): c
        for c in PayrollCycle.objects.filter(district__isnull=True).exclude(
            status=PayrollCycle.Status.CANCELLED
        )
    }
    facts = []
    for year, month in periods:
        cycle = found.get((year, month))
        facts.append(
            inv.CycleFact(
                period=f"{year}-{month:02d}",
                status=cycle.status if cycle else "missing",
                error=cycle.error if cycle else "",
            )
        )
    return inv.check_cycles(facts)


def _check_payslips(
    periods: list[tuple[int, int]],
    workers: dict[int, tuple],
    scales: _Scales,
    violations: list[inv.Violation],
) -> tuple[int, dict[tuple[int, int], list[tuple]]]:
    """The per-payslip checks; returns the count and each worker-year's
    payslips (month, lines, tax_ytd) for the yearly checks."""
    count = 0
    years: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for year, month in periods:
        scale = scales.on(date(year, month, 1))
        rows = Payslip.objects.filter(
            year=year, month=month, cycle__status=PayrollCycle.Status.LOCKED
        ).values_list(
            "worker_id",
            "gross",
            "deductions",
            "net",
            "employer_cost",
            "lines",
            "tax_ytd",
        )
        for worker_id, gross, deductions, net, employer, raw, ytd in rows.iterator(
            chunk_size=2000
        ):
            count += 1
            worker = workers[worker_id]
            lines = tuple(
                inv.Line(code=c, kind=k, amount=Decimal(a), params=p)
                for c, k, a, _r, _v, p in raw
            )
            days, total = days_worked(worker[2], worker[3], year, month)
            payslip = inv.PayslipFact(
                worker=_label(worker),
                year=year,
                month=month,
                gross=gross,
                deductions=deductions,
                net=net,
                employer_cost=employer,
                lines=lines,
                days=days,
                days_in_month=total,
                minimum_wage=scale.minimum_wage if scale else ZERO,
                floor_excluded=scale.floor_excluded_codes if scale else frozenset(),
            )
            violations += inv.check_lines_sum(payslip)
            violations += inv.check_net(payslip)
            violations += inv.check_monthly_floor(payslip)
            years[(worker_id, year)].append((month, lines, ytd))
    return count, years


def _check_years(
    years: dict[tuple[int, int], list[tuple]],
    workers: dict[int, tuple],
    scales: _Scales,
) -> list[inv.Violation]:
    found: list[inv.Violation] = []
    declarations = {
        (d.worker_id, d.year): d for d in TaxDeclaration.objects.all().iterator()
    }
    tables: dict[int, tuple[Any, Decimal] | None] = {}
    for (worker_id, year), months in sorted(years.items()):
        worker = workers[worker_id]
        months.sort(key=lambda m: m[0])
        last_month, last_lines, ytd = months[-1]
        post = next(
            (
                line.params.get("post", "")
                for line in last_lines
                if line.code == "basic"
            ),
            "",
        )
        declaration = declarations.get((worker_id, year))
        left_on = worker[3]
        totals = inv.WorkerYear(
            worker=_label(worker),
            year=year,
            last_month=last_month,
            left_in_year=bool(left_on and left_on.year == year),
            joined_on=worker[2],
            left_on=left_on if left_on and left_on.year == year else None,
            post=post,
            income=Decimal(ytd.get("income", "0")),
            tax_exempt_income=Decimal(ytd.get("tax_exempt_income", "0")),
            special_deductions=Decimal(ytd.get("special_deductions", "0")),
            special_additional_deductions=Decimal(
                ytd.get("special_additional_deductions", "0")
            ),
            other_deductions=Decimal(ytd.get("other_deductions", "0")),
            floor_total=Decimal(ytd.get("floor_total", "0")),
            withheld=sum(
                (
                    line.amount
                    for _m, lines, _y in months
                    for line in lines
                    if line.code == IIT
                ),
                ZERO,
            ),
            yearly_top_up=sum(
                (
                    line.amount
                    for _m, lines, _y in months
                    for line in lines
                    if line.code == YEARLY_FLOOR_TOP_UP
                ),
                ZERO,
            ),
            credit=next(
                (
                    Decimal(line.params.get("credit", "0"))
                    for line in last_lines
                    if line.code == IIT
                ),
                ZERO,
            ),
            counts_from_january=bool(declaration and declaration.counts_from_january),
            full_year_deduction_from_january=bool(
                declaration and declaration.full_year_deduction_from_january
            ),
        )
        if year not in tables:
            table = tax_table_in_force(TaxTable.Kind.CUMULATIVE, date(year, 12, 1))
            tables[year] = (
                (as_rule_table(table), table.monthly_standard_deduction)
                if table
                else None
            )
        in_force = tables[year]
        if in_force is not None:
            rule_table, standard = in_force
            found += inv.check_annual_tax(totals, rule_table, standard)
        scale = scales.on(date(year, last_month, 1))
        if scale is not None:
            floor = inv.yearly_floor(
                post=post,
                year=year,
                joined_on=worker[2],
                left_on=totals.left_on,
                average_wage=scale.city_average_wage,
                principal_ratio=scale.floor_principal_ratio,
                other_ratio=scale.floor_other_ratio,
                principal_post=scale.principal_post,
            )
            found += inv.check_yearly_floor(totals, floor)
    return found
