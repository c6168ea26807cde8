"""Finance's payroll data pages: the import of a month's data tables, their
templates, and the tax summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import clock, exports
from core.http import AuthenticatedHttpRequest
from payroll.cycles import outputs
from payroll.cycles.selectors import (
    payslip_list_visible_to,
)

if TYPE_CHECKING:
    pass
from .pages import _can_run


def _require_finance(request: AuthenticatedHttpRequest) -> None:
    if not _can_run(request.user):
        raise PermissionDenied(_("只有财务人员可以维护工资数据。"))


@login_required
def payroll_data_import(request: AuthenticatedHttpRequest, table: str) -> HttpResponse:
    """Contribution bases, special additional deductions, year-end bonuses."""
    from django.urls import reverse

    from core.import_flow import import_flow
    from payroll.cycles.resources import PAYROLL_DATA

    _require_finance(request)
    if table not in PAYROLL_DATA:
        raise PermissionDenied
    resource_class, label = PAYROLL_DATA[table]
    return import_flow(
        request,
        key=f"payroll:{table}",
        resource_factory=lambda: resource_class(user=request.user),
        title=_("导入%(label)s") % {"label": label},
        template_url=reverse("payroll:payroll-data-template", args=[table]),
        done_url=reverse("payroll:cycle-list"),
    )


@login_required
def payroll_data_template(
    request: AuthenticatedHttpRequest, table: str
) -> HttpResponse:
    from payroll.cycles.resources import PAYROLL_DATA

    _require_finance(request)
    if table not in PAYROLL_DATA:
        raise PermissionDenied
    resource_class, label = PAYROLL_DATA[table]
    resource = resource_class(user=request.user)
    dataset = resource.export(queryset=resource.get_queryset())
    with override("zh-hans"):  # file names are Chinese in both languages
        name = str(label)
    return exports.xlsx_bytes_download(
        request, dataset.xlsx, f"{name}.xlsx", what=str(label)
    )


@login_required
def tax_summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each worker's yearly tax at this employer (from the latest payslip)."""
    if not request.user.has_perm("payroll.view_payslip"):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    payslips = payslip_list_visible_to(user=request.user)
    if request.GET.get("format") == "xlsx":
        workbook = outputs.yearly_tax_workbook(
            outputs.yearly_tax_summary(payslips, year),
            year,
            viewer=request.user,
        )
        return exports.xlsx_download(
            request,
            workbook,
            f"个税汇总-{year}.xlsx",
            what=_("个税汇总 %(year)s") % {"year": year},
        )
    # One page of workers, read by query: the count, and this page's latest
    # payslips without their lines, however many months the year has.
    page = Paginator(outputs.latest_payslips_of_year(payslips, year), 100).get_page(
        request.GET.get("page")
    )
    page.object_list = outputs.yearly_tax_rows(page.object_list)
    return render(request, "payroll/tax_summary.html", {"page": page, "year": year})
