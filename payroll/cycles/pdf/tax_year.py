"""The yearly statement of a worker's pay and tax, with the year-to-date
figures the annual tax reconciliation (个税汇算) asks for.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.decimals import sum_amounts
from core.documents.models import DocumentKind, IssuedDocument
from core.documents.services import document_issue
from core.models import Worker
from core.rules import mask_citizen_id, mask_name
from core.templatetags.core_format import yuan
from payroll.models import Payslip

from .payslips import SOCIAL_CODES, TAX_CODES, YTD_LABELS


def tax_year_view(worker: Worker, year: int) -> dict[str, Any] | None:
    payslips = list(
        Payslip.objects.filter(worker=worker, year=year, cycle__status="locked")
        .select_related("cycle", "community")
        .order_by("month", "pk")
    )
    if not payslips:
        return None
    months: list[dict[str, Any]] = []
    for payslip in payslips:
        lines = payslip.pay_lines()
        months.append(
            {
                "payslip": payslip,
                "social": sum_amounts(
                    line.amount for line in lines if line.code in SOCIAL_CODES
                ),
                "tax": sum_amounts(
                    line.amount for line in lines if line.code in TAX_CODES
                ),
                "bonus": sum_amounts(
                    line.amount for line in lines if line.code == "bonus"
                ),
            }
        )
    last = payslips[-1]
    standard = next(
        (
            Decimal(line.params["cumulative_standard_deduction"])
            for line in last.pay_lines()
            if line.code == "IIT" and "cumulative_standard_deduction" in line.params
        ),
        None,
    )
    ytd = last.tax_ytd or {}
    return {
        "worker": worker,
        "year": year,
        "id_number": mask_citizen_id(worker.id_number),
        "community": last.community,
        "months": months,
        "gross": sum_amounts(p.gross for p in payslips),
        "net": sum_amounts(p.net for p in payslips),
        "social": sum_amounts(m["social"] for m in months),
        "tax": sum_amounts(m["tax"] for m in months),
        "bonus": sum_amounts(m["bonus"] for m in months),
        "standard_deduction": standard,
        "ytd": [(label, Decimal(ytd.get(key, "0"))) for key, label in YTD_LABELS],
        "months_paid": ytd.get("months_paid", len(payslips)),
        "facts": [[p.pk, p.lines, p.tax_ytd, str(p.net)] for p in payslips],
    }


def tax_year_issue(*, worker: Worker, year: int, issued_by: Any) -> IssuedDocument:
    """The worker's year of pay and withheld tax (for 个税汇算)."""
    view = tax_year_view(worker, year)
    if view is None:
        raise Payslip.DoesNotExist
    return document_issue(
        kind=DocumentKind.TAX_YEAR,
        subject_key=f"tax_year:{worker.pk}:{year}",
        facts=[worker.full_name, worker.id_number, view["facts"]],
        template="pdf/tax_year.html",
        context={"view": view},
        title=_("%(year)s 年度工资薪金及个税明细 %(name)s")
        % {"year": year, "name": worker.full_name},
        subject_name=mask_name(worker.full_name),
        totals=[
            (_("全年应发"), yuan(view["gross"])),
            (_("全年已预扣个税"), yuan(view["tax"])),
            (_("全年实发"), yuan(view["net"])),
        ],
        worker=worker,
        community=view["community"],
        year=year,
        issued_by=issued_by,
    )
