"""Pages of the monthly payroll cycle: list and start, progress, review,
approve and lock, downloads, payslips."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import clock, exports
from core.models import Role
from core.selectors import user_sees_full_bank
from payroll.cycles import outputs
from payroll.cycles.forms import CycleStartForm
from payroll.cycles.selectors import (
    cycle_totals_by,
    payroll_cycle_list_visible_to,
    payslip_list_visible_to,
)
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_cancel,
    payroll_cycle_lock,
    payroll_cycle_recompute,
    payroll_cycle_resume,
    payroll_cycle_start,
    user_runs_cycles,
)
from payroll.explain import sentences
from payroll.models import PayrollCycle


def _can_run(user) -> bool:
    return user_runs_cycles(user)


def _cycle(request: HttpRequest, pk: int) -> PayrollCycle:
    return get_object_or_404(payroll_cycle_list_visible_to(user=request.user), pk=pk)


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    visible = payroll_cycle_list_visible_to(user=request.user)
    if (
        not visible.exists()
        and not _can_run(request.user)
        and request.user.role
        not in (Role.CITY_STAFF, Role.AUDITOR, Role.DISTRICT_STAFF)
    ):
        raise PermissionDenied
    today = clock.today()
    form = None
    if _can_run(request.user):
        form = CycleStartForm(
            request.POST or None,
            user=request.user,
            initial={"year": today.year, "month": today.month},
        )
        if request.method == "POST" and form.is_valid():
            try:
                cycle = payroll_cycle_start(
                    year=form.cleaned_data["year"],
                    month=form.cleaned_data["month"],
                    district=form.cleaned_data["district"],
                    actor=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                return redirect("payroll:cycle-detail", pk=cycle.pk)
    page = Paginator(visible, 24).get_page(request.GET.get("page"))
    return render(request, "payroll/cycle_list.html", {"page": page, "form": form})


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    level = request.GET.get("by", "district")
    if level not in ("district", "street", "community"):
        level = "district"
    payslips = cycle.payslips.select_related("worker", "community").order_by(
        "community__code", "worker__full_name"
    )
    query = request.GET.get("q", "").strip()
    if query:
        payslips = payslips.filter(worker__full_name__icontains=query)
    page = Paginator(payslips, 50).get_page(request.GET.get("page"))
    user = request.user
    context = {
        "cycle": cycle,
        "groups": cycle_totals_by(cycle, level)
        if cycle.status in ("computed", "approved", "locked")
        else [],
        "by": level,
        "page": page,
        "q": query,
        "can_run": _can_run(user),
        "can_approve": _can_run(user) and cycle.computed_by_id != user.pk,
        "can_bank": user_sees_full_bank(user)
        and cycle.status in ("approved", "locked"),
        "retried_chunks": cycle.chunks.filter(retries__gt=0).order_by("index"),
    }
    return render(request, "payroll/cycle_detail.html", context)


@login_required
def cycle_progress(request: HttpRequest, pk: int) -> JsonResponse:
    cycle = _cycle(request, pk)
    return JsonResponse(
        {
            "status": cycle.status,
            "status_label": cycle.get_status_display(),
            "chunks_done": cycle.chunks_done,
            "chunks_total": cycle.chunks_total,
            "percent": cycle.progress_percent,
            "error": cycle.error,
        }
    )


ACTIONS = {
    "approve": (payroll_cycle_approve, gettext_lazy("已审核。")),
    "lock": (
        payroll_cycle_lock,
        gettext_lazy("已锁定：本周期视为已发放，不能再修改。"),
    ),
    "recompute": (payroll_cycle_recompute, gettext_lazy("已开始重新计算。")),
    "resume": (payroll_cycle_resume, gettext_lazy("已继续计算未完成的分片。")),
    "cancel": (payroll_cycle_cancel, gettext_lazy("已作废。")),
}


@login_required
@require_POST
def cycle_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    cycle = _cycle(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    service, done = ACTIONS[action]
    try:
        service(cycle=cycle, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, str(done))
    return redirect("payroll:cycle-detail", pk=pk)


def _require_output(cycle: PayrollCycle) -> None:
    if cycle.status not in ("computed", "approved", "locked"):
        raise PermissionDenied(_("工资周期尚未计算完成。"))


@login_required
def cycle_register(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    _require_output(cycle)
    workbook = outputs.register_workbook(cycle, viewer=request.user)
    return exports.xlsx_response(workbook, f"工资表-{cycle.period}.xlsx")


@login_required
def cycle_totals(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    _require_output(cycle)
    level = request.GET.get("by", "district")
    if level not in ("district", "street", "community"):
        level = "district"
    workbook = outputs.totals_workbook(cycle, cycle_totals_by(cycle, level), level)
    return exports.xlsx_response(workbook, f"工资合计-{cycle.period}-{level}.xlsx")


@login_required
def cycle_costs(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    _require_output(cycle)
    return exports.xlsx_response(
        outputs.employer_cost_workbook(cycle), f"用工成本-{cycle.period}.xlsx"
    )


@login_required
def cycle_bank_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Only roles that may see bank accounts, and only once approved."""
    cycle = _cycle(request, pk)
    if not user_sees_full_bank(request.user):
        raise PermissionDenied(_("您的角色不能下载银行代发文件。"))
    if cycle.status not in ("approved", "locked"):
        raise PermissionDenied(_("工资周期审核后才能生成银行代发文件。"))
    content, _count, _total = outputs.bank_file(cycle)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = exports.attachment(f"代发工资-{cycle.period}.csv")
    return response


@login_required
def payslip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payslip = get_object_or_404(payslip_list_visible_to(user=request.user), pk=pk)
    from core.models import Post

    post_names = dict(Post.objects.values_list("code", "name"))
    lines = [
        {
            "line": line,
            "name": sentences.line_name(line.code),
            "derivation": sentences.derivation(line, post_names),
        }
        for line in payslip.pay_lines()
    ]
    return render(
        request,
        "payroll/payslip_detail.html",
        {
            "payslip": payslip,
            "lines": lines,
            "can_view_cycle": payroll_cycle_list_visible_to(user=request.user)
            .filter(pk=payslip.cycle_id)
            .exists(),
        },
    )


def _require_finance(request: HttpRequest) -> None:
    if not _can_run(request.user):
        raise PermissionDenied(_("只有财务人员可以维护工资数据。"))


@login_required
def payroll_data_import(request: HttpRequest, table: str) -> HttpResponse:
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
        title=_("导入%(label)s") % {"label": _(label)},
        template_url=reverse("payroll:payroll-data-template", args=[table]),
        done_url=reverse("payroll:cycle-list"),
    )


@login_required
def payroll_data_template(request: HttpRequest, table: str) -> HttpResponse:
    from payroll.cycles.resources import PAYROLL_DATA

    _require_finance(request)
    if table not in PAYROLL_DATA:
        raise PermissionDenied
    resource_class, label = PAYROLL_DATA[table]
    resource = resource_class(user=request.user)
    dataset = resource.export(queryset=resource.get_queryset())
    return exports.xlsx_bytes_response(dataset.xlsx, f"{label}.xlsx")


@login_required
def tax_summary(request: HttpRequest) -> HttpResponse:
    """Each worker's yearly tax at this employer (from the latest payslip)."""
    if not request.user.has_perm("payroll.view_payslip"):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    rows = outputs.yearly_tax_summary(payslip_list_visible_to(user=request.user), year)
    if request.GET.get("format") == "xlsx":
        workbook = outputs.yearly_tax_workbook(rows, year, viewer=request.user)
        return exports.xlsx_response(workbook, f"个税汇总-{year}.xlsx")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "payroll/tax_summary.html", {"page": page, "year": year})
