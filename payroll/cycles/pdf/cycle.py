"""The cycle's register and bank list as issued documents."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.decimals import ZERO, sum_amounts
from core.documents.models import Disclosure, DocumentKind, IssuedDocument
from core.documents.services import document_issue
from core.rules import mask_account, mask_citizen_id
from core.templatetags.core_format import yuan
from payroll.models import PayrollCycle, Payslip

from .payslips import SOCIAL_CODES, TAX_CODES


def _cycle_payslips(cycle: PayrollCycle) -> list[Payslip]:
    return list(
        Payslip.objects.filter(cycle=cycle)
        .select_related("worker", "community__street__district")
        .order_by("community__code", "worker__full_name", "pk")
    )


def _scope_name(cycle: PayrollCycle) -> str:
    return cycle.district.name if cycle.district is not None else str(_("全市"))


def register_issue(
    *, cycle: PayrollCycle, issued_by: Any, full_id: bool
) -> IssuedDocument:
    """工资发放表 for signature: every payslip's totals by community."""
    payslips = _cycle_payslips(cycle)
    groups: list[dict[str, Any]] = []
    for payslip in payslips:
        lines = payslip.pay_lines()
        row = {
            "payslip": payslip,
            "id_number": payslip.worker.id_number
            if full_id
            else mask_citizen_id(payslip.worker.id_number),
            "social": sum_amounts(
                line.amount for line in lines if line.code in SOCIAL_CODES
            ),
            "tax": sum_amounts(line.amount for line in lines if line.code in TAX_CODES),
        }
        row["other"] = payslip.deductions - row["social"] - row["tax"]
        if not groups or groups[-1]["community"].pk != payslip.community_id:
            groups.append({"community": payslip.community, "rows": []})
        groups[-1]["rows"].append(row)
    for group in groups:
        group["gross"] = sum_amounts(r["payslip"].gross for r in group["rows"])
        group["net"] = sum_amounts(r["payslip"].net for r in group["rows"])
    gross = sum_amounts(p.gross for p in payslips)
    net = sum_amounts(p.net for p in payslips)
    return document_issue(
        kind=DocumentKind.CYCLE_REGISTER,
        subject_key=f"register:{cycle.pk}:{'full' if full_id else 'masked'}",
        facts=[
            cycle.pk,
            cycle.status,
            full_id,
            [[p.pk, p.worker.full_name, p.worker.id_number, p.lines] for p in payslips],
        ],
        template="pdf/register.html",
        context={
            "cycle": cycle,
            "scope": _scope_name(cycle),
            "groups": groups,
            "count": len(payslips),
            "gross": gross,
            "deductions": sum_amounts(p.deductions for p in payslips),
            "net": net,
        },
        title=_("工资发放表 %(period)s %(scope)s")
        % {"period": cycle.period, "scope": _scope_name(cycle)},
        subject_name=_scope_name(cycle),
        totals=[
            (_("人数"), str(len(payslips))),
            (_("应发合计"), yuan(gross)),
            (_("实发合计"), yuan(net)),
        ],
        district=cycle.district,
        year=cycle.year,
        month=cycle.month,
        issued_by=issued_by,
        disclosure=Disclosure.FULL_ID if full_id else Disclosure.NONE,
    )


def bank_list_issue(
    *, cycle: PayrollCycle, issued_by: Any, full_bank: bool
) -> IssuedDocument:
    """银行代发清单 for signature: what the bank transfers, with the control
    count and total of the bank file."""
    rows: list[dict[str, Any]] = [
        {
            "payslip": payslip,
            "account": payslip.worker.bank_account
            if full_bank
            else mask_account(payslip.worker.bank_account),
        }
        for payslip in _cycle_payslips(cycle)
        if payslip.net > ZERO
    ]
    total = sum_amounts(row["payslip"].net for row in rows)
    return document_issue(
        kind=DocumentKind.BANK_LIST,
        subject_key=f"bank:{cycle.pk}:{'full' if full_bank else 'masked'}",
        facts=[
            cycle.pk,
            cycle.status,
            full_bank,
            [
                [
                    r["payslip"].pk,
                    r["payslip"].worker.full_name,
                    r["payslip"].worker.bank_name,
                    r["payslip"].worker.bank_account,
                    str(r["payslip"].net),
                ]
                for r in rows
            ],
        ],
        template="pdf/bank_list.html",
        context={
            "cycle": cycle,
            "scope": _scope_name(cycle),
            "rows": rows,
            "total": total,
        },
        title=_("银行代发清单 %(period)s %(scope)s")
        % {"period": cycle.period, "scope": _scope_name(cycle)},
        subject_name=_scope_name(cycle),
        totals=[(_("笔数"), str(len(rows))), (_("金额合计"), yuan(total))],
        district=cycle.district,
        year=cycle.year,
        month=cycle.month,
        issued_by=issued_by,
        disclosure=Disclosure.FULL_BANK if full_bank else Disclosure.NONE,
    )
