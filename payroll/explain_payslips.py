"""Make explain_month show a stored payslip once a cycle has computed it."""

from __future__ import annotations

from payroll.explain import PAYSLIP_SOURCES, StoredLines
from payroll.models import Payslip


def stored_payslip(worker, year: int, month: int) -> StoredLines | None:
    payslip = (
        Payslip.objects.filter(worker=worker, year=year, month=month)
        .select_related("cycle")
        .first()
    )
    if payslip is None:
        return None
    return StoredLines(
        lines=payslip.pay_lines(),
        source=f"payslip {payslip.cycle.period} #{payslip.pk} ({payslip.cycle.get_status_display()})",
    )


PAYSLIP_SOURCES.append(stored_payslip)
