"""The cycle's pages: list and start, detail and review, progress, the state
changes (approve, lock, …) and a payslip.
"""

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import clock
from core.http import AuthenticatedHttpRequest
from core.selectors import (
    pay_record_filter,
    pay_record_refusal,
    user_reads_pay_records,
    user_sees_city,
    user_sees_full_bank,
)
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
from payroll.models import PayrollCycle

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Official documents are printed from approved or locked cycles only: a
# computed cycle may still be recomputed.
PRINTABLE = ("approved", "locked")


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
