"""Payslips as issued documents: one worker's, or a community's in one PDF
(the CJK font subset and the signature made once for them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decimals import ZERO, sum_amounts
from core.documents.models import Disclosure, DocumentKind, IssuedDocument
from core.documents.services import document_issue
from core.models import Community, Post
from core.rules import mask_account, mask_citizen_id, mask_name
from core.templatetags.core_format import yuan
from payroll.explain import sentences
from payroll.models import PayrollCycle, Payslip
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER

ADJUSTMENT = "adjustment"
# The year-to-date figures stored on each payslip, as the annual tax
# reconciliation (个税汇算) asks for them.
YTD_LABELS = (
    ("income", gettext_lazy("累计收入")),
    ("tax_exempt_income", gettext_lazy("累计免税收入")),
    ("special_deductions", gettext_lazy("累计专项扣除")),
    ("special_additional_deductions", gettext_lazy("累计专项附加扣除")),
    ("other_deductions", gettext_lazy("累计其他扣除")),
    ("tax_withheld", gettext_lazy("累计已预扣税额")),
)
SOCIAL_CODES = ("SI_PENSION", "SI_MEDICAL", "SI_UNEMPLOYMENT", "HOUSING_FUND")
TAX_CODES = ("IIT", "IIT_BONUS")


@dataclass(frozen=True)
class SlipRow:
    name: str
    amount: Decimal
    derivation: str


def _payslips() -> Any:
    return Payslip.objects.select_related(
        "worker__post", "community__street__district", "cycle"
    )


def _rows(
    lines: Any, kind: str, post_names: dict[str, str], *, adjustments: bool
) -> list[SlipRow]:
    return [
        SlipRow(
            name=sentences.line_name(line.code),
            amount=line.amount,
            derivation=sentences.derivation(line, post_names),
        )
        for line in lines
        if line.kind == kind and (line.code == ADJUSTMENT) == adjustments
    ]


def payslip_view(
    payslip: Payslip, post_names: dict[str, str], *, with_employer: bool
) -> dict[str, Any]:
    """What one printed payslip shows: every line with its derivation, the
    corrections of earlier months, the year to date and what is left over."""
    lines = payslip.pay_lines()
    ytd = payslip.tax_ytd or {}
    credit = sum_amounts(
        Decimal(line.params["credit"])
        for line in lines
        if line.code == "IIT" and line.params.get("credit")
    )
    # The post and level the month was paid at (a change of post dated back
    # into a locked month does not rewrite its payslip), not today's.
    paid_as = next(
        (
            line.params
            for line in lines
            if line.kind == EARNING and "post" in line.params and "level" in line.params
        ),
        None,
    )
    return {
        "payslip": payslip,
        "worker": payslip.worker,
        "post_name": post_names.get(paid_as["post"], paid_as["post"])
        if paid_as
        else payslip.worker.post.label,
        "level": paid_as["level"] if paid_as else payslip.worker.level,
        "id_number": mask_citizen_id(payslip.worker.id_number),
        "bank_account": mask_account(payslip.worker.bank_account),
        "earnings": _rows(lines, EARNING, post_names, adjustments=False),
        "deductions": _rows(lines, DEDUCTION, post_names, adjustments=False),
        "corrections": _rows(lines, EARNING, post_names, adjustments=True)
        + _rows(lines, DEDUCTION, post_names, adjustments=True),
        "employer": _rows(lines, EMPLOYER, post_names, adjustments=False)
        if with_employer
        else [],
        "ytd": [(label, Decimal(ytd.get(key, "0"))) for key, label in YTD_LABELS],
        "months_paid": ytd.get("months_paid", ""),
        # A month whose deductions exceed its pay pays nothing; the rest is
        # recovered from the next month. An income-tax credit (留抵) is used
        # up by the following months and settled in the annual reconciliation.
        "to_recover": -payslip.net if payslip.net < ZERO else ZERO,
        "tax_credit": credit,
    }


def payslip_facts(payslip: Payslip, *, with_employer: bool) -> list[Any]:
    worker = payslip.worker
    return [
        payslip.pk,
        payslip.cycle.status,
        worker.full_name,
        worker.id_number,
        worker.bank_name,
        worker.bank_account,
        worker.post_id,
        worker.level,
        str(payslip.community),
        payslip.lines
        if with_employer
        else [line for line in payslip.lines if line[1] != EMPLOYER],
        payslip.tax_ytd,
        str(payslip.net),
    ]


def _variant(with_employer: bool) -> str:
    return "full" if with_employer else "worker"


def _post_names() -> dict[str, str]:
    return {p.code: p.label for p in Post.objects.all()}


def payslip_issue(
    *, payslip: Payslip, issued_by: Any, with_employer: bool
) -> IssuedDocument:
    """One worker's payslip of one month."""
    worker = payslip.worker
    return document_issue(
        kind=DocumentKind.PAYSLIP,
        subject_key=f"payslip:{payslip.pk}:{_variant(with_employer)}",
        facts=payslip_facts(payslip, with_employer=with_employer),
        template="pdf/payslips.html",
        context={
            "slips": [
                payslip_view(payslip, _post_names(), with_employer=with_employer)
            ],
            "with_employer": with_employer,
        },
        title=_("工资条 %(period)s %(name)s")
        % {"period": payslip.cycle.period, "name": worker.full_name},
        subject_name=mask_name(worker.full_name),
        totals=[
            (_("应发合计"), yuan(payslip.gross)),
            (_("扣款合计"), yuan(payslip.deductions)),
            (_("实发金额"), yuan(payslip.net)),
        ],
        worker=worker,
        community=payslip.community,
        year=payslip.year,
        month=payslip.month,
        issued_by=issued_by,
        disclosure=Disclosure.EMPLOYER_COST if with_employer else Disclosure.NONE,
    )


def payslip_bundle_issue(
    *,
    cycle: PayrollCycle,
    community: Community,
    issued_by: Any,
    with_employer: bool,
    batch: Any = None,
) -> IssuedDocument | None:
    """All payslips of a community in a cycle, one per page, in one PDF."""
    payslips = list(
        _payslips()
        .filter(cycle=cycle, community=community)
        .order_by("worker__full_name", "pk")
    )
    if not payslips:
        return None
    post_names = _post_names()
    return document_issue(
        kind=DocumentKind.PAYSLIP_BUNDLE,
        subject_key=f"payslips:{cycle.pk}:{community.pk}:{_variant(with_employer)}",
        facts=[payslip_facts(p, with_employer=with_employer) for p in payslips],
        template="pdf/payslips.html",
        context={
            "slips": [
                payslip_view(p, post_names, with_employer=with_employer)
                for p in payslips
            ],
            "with_employer": with_employer,
        },
        title=_("%(community)s 工资条 %(period)s")
        % {"community": community.name, "period": cycle.period},
        subject_name=community.name,
        totals=[
            (_("人数"), str(len(payslips))),
            (_("应发合计"), yuan(sum_amounts(p.gross for p in payslips))),
            (_("实发合计"), yuan(sum_amounts(p.net for p in payslips))),
        ],
        community=community,
        year=cycle.year,
        month=cycle.month,
        issued_by=issued_by,
        batch=batch,
        disclosure=Disclosure.EMPLOYER_COST if with_employer else Disclosure.NONE,
    )
