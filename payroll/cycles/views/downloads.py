"""What a cycle gives out: the register, totals, costs and bank file, and the
printed documents (payslip, tax year, register, bank list), printed from
approved or locked cycles only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import exports
from core.documents.downloads import file_response
from core.http import AuthenticatedHttpRequest
from core.models import DownloadLog
from core.selectors import (
    COLLEAGUE_PAY_REFUSED,
    scope_filter,
    user_reads_pay_records,
    user_sees_city,
    user_sees_employer_cost,
    user_sees_full_bank,
    user_sees_full_id,
)
from payroll.cycles import outputs
from payroll.cycles.selectors import (
    cycle_part,
    cycle_totals_by,
    payslip_list_visible_to,
)
from payroll.models import PayrollCycle, Payslip

if TYPE_CHECKING:
    pass
from .pages import PRINTABLE, _cycle

NOT_PRINTABLE = gettext_lazy("工资周期审核后才能打印正式文书。")


def _require_output(cycle: PayrollCycle) -> None:
    if not cycle.is_computed:
        raise PermissionDenied(_("工资周期尚未计算完成。"))


@login_required
def cycle_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    _require_output(cycle)
    if not user_reads_pay_records(request.user):
        raise PermissionDenied(COLLEAGUE_PAY_REFUSED)
    workbook = outputs.register_workbook(
        cycle,
        viewer=request.user,
        payslips=scope_filter(outputs.cycle_payslips(cycle), request.user),
    )
    return exports.xlsx_download(
        request,
        workbook,
        f"工资表-{cycle.period}.xlsx",
        what=_("工资表 %(period)s") % {"period": cycle.period},
        scope=str(cycle),
    )


@login_required
def cycle_totals(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    _require_output(cycle)
    level = request.GET.get("by", "district")
    if level not in ("district", "street", "community"):
        level = "district"
    groups = cycle_totals_by(cycle, level, cycle_part(cycle, request.user))
    workbook = outputs.totals_workbook(cycle, groups, level)
    return exports.xlsx_download(
        request,
        workbook,
        f"工资合计-{cycle.period}-{level}.xlsx",
        what=_("工资合计 %(period)s") % {"period": cycle.period},
        scope=str(cycle),
    )


@login_required
def cycle_costs(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    _require_output(cycle)
    payslips = scope_filter(outputs.cycle_payslips(cycle), request.user)
    return exports.xlsx_download(
        request,
        outputs.employer_cost_workbook(cycle, payslips),
        f"用工成本-{cycle.period}.xlsx",
        what=_("用工成本 %(period)s") % {"period": cycle.period},
        scope=str(cycle),
    )


@login_required
def cycle_bank_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Only roles that may see bank accounts, and only once approved."""
    cycle = _cycle(request, pk)
    if not user_sees_full_bank(request.user):
        raise PermissionDenied(_("您的角色不能下载银行代发文件。"))
    if not cycle.is_approved:
        raise PermissionDenied(_("工资周期审核后才能生成银行代发文件。"))
    if cycle.district_id is None and not user_sees_city(request.user):
        raise PermissionDenied(_("全市工资周期的银行代发文件由市级财务人员生成。"))
    try:
        content, _count, _total = outputs.bank_file(cycle)
    except outputs.BankLayoutMissingError as exc:
        raise PermissionDenied(str(exc)) from exc
    return file_response(
        request,
        content=content,
        filename=f"代发工资-{cycle.period}.xlsx",
        content_type=exports.XLSX,
        what=_("银行代发文件 %(period)s") % {"period": cycle.period},
        scope=str(cycle),
        file_format=DownloadLog.Format.BANK,
    )


@login_required
def payslip_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The payslip as an issued document; the employer's part only for roles
    that may see it."""
    from core.documents.views import document_response
    from payroll.cycles.pdf import payslip_issue

    payslip = get_object_or_404(
        payslip_list_visible_to(user=request.user).select_related(
            "cycle", "worker__post", "community__street__district"
        ),
        pk=pk,
    )
    if payslip.cycle.status not in PRINTABLE:
        raise PermissionDenied(NOT_PRINTABLE)
    document = payslip_issue(
        payslip=payslip,
        issued_by=request.user,
        with_employer=user_sees_employer_cost(request.user),
    )
    return document_response(request, document)


@login_required
def tax_year_pdf(
    request: AuthenticatedHttpRequest, worker_pk: int, year: int
) -> HttpResponse:
    """A worker's yearly statement of pay and tax (locked months only)."""
    from core.documents.views import document_response
    from core.selectors import worker_list_visible_to
    from payroll.cycles.pdf import tax_year_issue

    worker = get_object_or_404(worker_list_visible_to(user=request.user), pk=worker_pk)
    if not payslip_list_visible_to(user=request.user).filter(worker=worker).exists():
        raise PermissionDenied
    try:
        document = tax_year_issue(worker=worker, year=year, issued_by=request.user)
    except Payslip.DoesNotExist as exc:
        raise Http404(_("该年度没有已锁定的工资单。")) from exc
    return document_response(request, document)


@login_required
def cycle_register_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from core.documents.views import document_response
    from payroll.cycles.pdf import register_issue

    cycle = _cycle(request, pk)
    if cycle.status not in PRINTABLE:
        raise PermissionDenied(NOT_PRINTABLE)
    document = register_issue(
        cycle=cycle,
        issued_by=request.user,
        full_id=user_sees_full_id(request.user),
    )
    return document_response(request, document)


@login_required
def cycle_bank_list_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from core.documents.views import document_response
    from payroll.cycles.pdf import bank_list_issue

    cycle = _cycle(request, pk)
    if cycle.status not in PRINTABLE:
        raise PermissionDenied(NOT_PRINTABLE)
    document = bank_list_issue(
        cycle=cycle,
        issued_by=request.user,
        full_bank=user_sees_full_bank(request.user),
    )
    return document_response(request, document)
