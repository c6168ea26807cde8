"""``check_city``: every subject's facts read and checked for the months the
city ran.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.models import Worker
from simulation import invariants as inv

from .annuity import annuity_facts
from .fund import _check_fund_years
from .levels import _check_levels
from .payslips import _check_cycles, _check_payslips, _check_years, _Scales


@dataclass
class CheckResult:
    violations: list[inv.Violation]
    payslips: int

    @property
    def counts(self) -> dict[str, int]:
        return inv.summarise(self.violations)


def _months(start: date, months: int) -> list[tuple[int, int]]:
    year, month = start.year, start.month
    result = []
    for _ in range(months):
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def check_city(
    *, start: date, months: int, extra: Iterable[inv.Violation] = ()
) -> CheckResult:
    """Every invariant over the months simulated from ``start``."""
    periods = _months(start, months)
    violations: list[inv.Violation] = list(extra)
    violations += _check_cycles(periods)
    scales = _Scales()
    workers = {
        row[0]: row
        for row in Worker.objects.values_list(
            "pk", "full_name", "joined_on", "left_on", "started_on", "education"
        )
    }
    payslip_count, years = _check_payslips(periods, workers, scales, violations)
    violations += _check_years(years, workers, scales)
    violations += inv.check_annuity(annuity_facts())
    first_year = start.year if start.month == 1 else start.year + 1
    for year in sorted({y for y, _m in periods}):
        if year > first_year or (year == first_year and year > start.year):
            violations += _check_levels(year, workers, scales)
    violations += _check_fund_years()
    return CheckResult(violations=violations, payslips=payslip_count)
