"""'Why is my pay this?': the lines of a worker-month with their sentences.

``explain_month`` is what the worker page and ``manage.py explain_pay`` show.
It shows the stored payslip lines of a month a cycle has computed, so a
closed month is shown as paid, never recomputed. Without a stored payslip,
the month is computed from today's data with the scale version in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from core.decimals import ZERO
from core.models import Post, Worker
from payroll.cycles.fetch import month_inputs
from payroll.explain import sentences
from payroll.models import Payslip
from payroll.rules.earnings import month_earnings
from payroll.rules.lines import DEDUCTION, EMPLOYER, PayLine, gross
from payroll.scales.selectors import ScaleMissingError, scale_for_month


@dataclass(frozen=True)
class StoredLines:
    lines: tuple[PayLine, ...]
    source: str  # e.g. "payslip 2026-03 #123"


def stored_payslip(worker: Worker, year: int, month: int) -> StoredLines | None:
    """The lines of the worker-month's payslip, if a cycle has computed it."""
    payslip = (
        Payslip.objects.filter(worker=worker, year=year, month=month)
        .select_related("cycle")
        .first()
    )
    if payslip is None:
        return None
    status = payslip.cycle.get_status_display()
    return StoredLines(
        lines=payslip.pay_lines(),
        source=f"payslip {payslip.cycle.period} #{payslip.pk} ({status})",
    )


def month_lines_many(
    workers: QuerySet[Worker], year: int, month: int
) -> dict[int, tuple[PayLine, ...]]:
    """Computed earnings lines of every worker employed in the month, by
    worker id, in a fixed number of queries (for a payroll chunk)."""
    inputs = month_inputs(workers, year, month)
    if not inputs:
        return {}
    _version, scale = scale_for_month(year, month)
    return {inp.worker_id: month_earnings(inp, scale) for inp in inputs}


def month_lines(worker: Worker, year: int, month: int) -> tuple[PayLine, ...]:
    """The computed earnings lines of one worker-month (not stored)."""
    lines = month_lines_many(Worker.objects.filter(pk=worker.pk), year, month)
    return lines.get(worker.pk, ())


def deductions_total(lines: tuple[PayLine, ...]) -> Decimal:
    return sum((line.amount for line in lines if line.kind == DEDUCTION), ZERO)


def employer_total(lines: tuple[PayLine, ...]) -> Decimal:
    return sum((line.amount for line in lines if line.kind == EMPLOYER), ZERO)


def explain_month(worker: Worker, year: int, month: int) -> dict[str, Any]:
    """One JSON-ready object: worker, period, gross, lines with sentences.

    ``amount`` and ``gross`` are decimal strings ("4200.00"), never floats.
    """
    source = "computed"
    error = ""
    lines: tuple[PayLine, ...] = ()
    stored = stored_payslip(worker, year, month)
    if stored is not None:
        lines, source = stored.lines, stored.source
    else:
        try:
            lines = month_lines(worker, year, month)
        except (ScaleMissingError, KeyError):
            # no adopted version for the month, or it lacks the worker's row
            error = "no_scale"
    post_names = dict(Post.objects.values_list("code", "name"))
    total: Decimal = gross(lines) if lines else ZERO
    return {
        "worker": {"id": worker.pk, "name": worker.full_name},
        "period": f"{year:04d}-{month:02d}",
        "source": source,
        "error": error,
        "version": lines[0].version if lines else "",
        "gross": str(total),
        "deductions": str(deductions_total(lines)),
        "net": str(total - deductions_total(lines)),
        "employer": str(employer_total(lines)),
        "lines": [
            {
                "code": line.code,
                "name": sentences.line_name(line.code),
                "kind": line.kind,
                "amount": str(line.amount),
                "rule": line.rule,
                "derivation": sentences.derivation(line, post_names),
            }
            for line in lines
        ],
    }
