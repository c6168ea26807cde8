"""Pages of the monthly payroll cycle: list and start, progress, review,
approve and lock, downloads, payslips."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.http import require_POST

from core import clock, exports
from core.documents.downloads import file_response
from core.http import AuthenticatedHttpRequest
from core.models import DownloadLog
from core.selectors import (
    COLLEAGUE_PAY_REFUSED,
    pay_record_filter,
    pay_record_refusal,
    scope_filter,
    user_reads_pay_records,
    user_sees_city,
    user_sees_employer_cost,
    user_sees_full_bank,
    user_sees_full_id,
)
from payroll.cycles import outputs
from payroll.cycles import selectors as cycle_selectors
from payroll.cycles.forms import CycleStartForm
from payroll.cycles.review import SHOWN, cycle_review
from payroll.cycles.selectors import (
    cycle_part,
    cycle_totals_by,
    payroll_cycle_list_visible_to,
    payslip_list_in_scope,
    payslip_list_visible_to,
)
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_cancel,
    payroll_cycle_lock,
    payroll_cycle_recompute,
    payroll_cycle_resume,
    payroll_cycle_return,
    payroll_cycle_start,
)
from payroll.explain import sentences
from payroll.models import PayrollCycle, Payslip

# Official documents are printed from approved or locked cycles only: a
# computed cycle may still be recomputed.
PRINTABLE = ("approved", "locked")
NOT_PRINTABLE = gettext_lazy("工资周期审核后才能打印正式文书。")

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _can_run(user) -> bool:
    return user.has_perm("payroll.run_cycle")


def _cycle(request: AuthenticatedHttpRequest, pk: int) -> PayrollCycle:
    return get_object_or_404(payroll_cycle_list_visible_to(user=request.user), pk=pk)


@login_required
def cycle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = payroll_cycle_list_visible_to(user=request.user)
    if (
        not visible.exists()
        and not _can_run(request.user)
        and not request.user.has_perm("payroll.view_payrollcycle")
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
    user = request.user
    # Users narrower than a cycle read their part of it, not its sum: the
    # parts of the page's cycles are summed in one query.
    parts = [
        cycle
        for cycle in page.object_list
        if cycle.totals and not cycle_selectors.user_sees_whole_cycle(user, cycle)
    ]
    part_totals = cycle_selectors.cycle_totals_of_parts(parts, user) if parts else {}
    for cycle in page.object_list:
        cycle.shown_totals = part_totals.get(cycle.pk, cycle.totals or {})
    return render(request, "payroll/cycle_list.html", {"page": page, "form": form})


@login_required
def cycle_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A cycle as the user may see it: a district's staff see their district's
    part of a city cycle; a secretary her community's totals and her own
    payslip, not her colleagues'."""
    cycle = _cycle(request, pk)
    user = request.user
    level = request.GET.get("by", "district")
    if level not in ("district", "street", "community"):
        level = "district"
    whole = cycle_selectors.user_sees_whole_cycle(user, cycle)
    part = cycle_part(cycle, user)
    payslips = pay_record_filter(
        cycle.payslips.select_related("worker", "community"), user
    ).order_by("community__code", "worker__full_name")
    query = request.GET.get("q", "").strip()
    if query:
        payslips = payslips.filter(worker__full_name__icontains=query)
    page = Paginator(payslips, 50).get_page(request.GET.get("page"))
    done = cycle.is_computed
    totals = (
        cycle.totals
        if whole
        else (cycle_selectors.cycle_totals(cycle, part) if done else {})
    )
    charts = {}
    if done:
        from core.charts import column_chart, pair_chart

        history = cycle_selectors.cycle_history(cycle, user)
        charts = {
            "months": [
                column_chart(
                    title,
                    [(row["label"], row[key]) for row in history],
                    money=key != "headcount",
                )
                for key, title in (
                    ("gross", _("应发合计")),
                    ("net", _("实发合计")),
                    ("employer_cost", _("单位缴费合计")),
                    ("headcount", _("人数")),
                )
            ],
            "districts": pair_chart(
                _("各区实发：上月与本月"),
                cycle_selectors.cycle_by_district(cycle, user),
                first_label=_("上月"),
                second_label=_("本月"),
            ),
        }
    context = {
        "cycle": cycle,
        "charts": charts,
        "totals": totals,
        "whole": whole,
        "groups": cycle_totals_by(cycle, level, None if whole else part)
        if done
        else [],
        "by": level,
        "page": page,
        "q": query,
        "reads_payslips": user_reads_pay_records(user),
        "can_run": _can_run(user),
        "can_approve": user.has_perm("payroll.approve_cycle")
        and cycle.computed_by_id != user.pk,
        "can_lock": user.has_perm("payroll.lock_cycle"),
        "can_bank": user_sees_full_bank(user)
        and cycle.is_approved
        and (cycle.district_id is not None or user_sees_city(user)),
        "review": cycle_review(cycle)
        if cycle.status
        in (
            PayrollCycle.Status.COMPUTED,
            PayrollCycle.Status.RETURNED,
            PayrollCycle.Status.APPROVED,
        )
        else None,
        "shown": SHOWN,
        "can_print": cycle.status in PRINTABLE,
        "retried_chunks": cycle.chunks.filter(retries__gt=0).order_by("index"),
    }
    return render(request, "payroll/cycle_detail.html", context)


@login_required
def cycle_progress(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
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


# action -> (service, what the user is told once it is done)
ACTIONS: dict[str, tuple[Callable[..., PayrollCycle], StrOrPromise]] = {
    "approve": (payroll_cycle_approve, gettext_lazy("已审核。")),
    "lock": (
        payroll_cycle_lock,
        gettext_lazy("已锁定：本周期视为已发放，不能再修改。"),
    ),
    "recompute": (payroll_cycle_recompute, gettext_lazy("已开始重新计算。")),
    "resume": (payroll_cycle_resume, gettext_lazy("已继续计算未完成的分片。")),
    "cancel": (payroll_cycle_cancel, gettext_lazy("已作废。")),
    "return": (
        payroll_cycle_return,
        gettext_lazy("已退回，计算人可在修正后重新计算。"),
    ),
}


@login_required
@require_POST
def cycle_action(
    request: AuthenticatedHttpRequest, pk: int, action: str
) -> HttpResponse:
    cycle = _cycle(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    service, done = ACTIONS[action]
    try:
        if action == "return":
            service(
                cycle=cycle, actor=request.user, reason=request.POST.get("reason", "")
            )
        else:
            service(cycle=cycle, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, str(done))
    return redirect("payroll:cycle-detail", pk=pk)


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
def payslip_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    payslip = payslip_list_visible_to(user=request.user).filter(pk=pk).first()
    if payslip is None:
        # In her scope but not hers to read: say why; elsewhere it is not there.
        seen = payslip_list_in_scope(user=request.user).filter(pk=pk).first()
        reason = (
            pay_record_refusal(
                request.user, worker_id=seen.worker_id, community_id=seen.community_id
            )
            if seen
            else ""
        )
        if reason:
            raise PermissionDenied(reason)
        raise Http404
    from core.models import Post

    post_names = {p.code: p.label for p in Post.objects.all()}
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
