"""Payroll staff review the workers' declarations of special additional
deductions: approve, or return with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import AuthenticatedHttpRequest
from payroll.declarations import services
from payroll.declarations.forms import DeductionReturnForm
from payroll.declarations.selectors import (
    CLAIM_STAFF_ROLES,
    deduction_claim_list_visible_to,
)
from payroll.models import DeductionClaim


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or user.role in CLAIM_STAFF_ROLES):
        raise PermissionDenied(_("只有财务人员和审计人员可以查看专项附加扣除申报。"))


@login_required
def declaration_review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    status = request.GET.get("status", DeductionClaim.Status.SUBMITTED)
    claims = deduction_claim_list_visible_to(user=request.user).order_by(
        "submitted_at", "pk"
    )
    if status in DeductionClaim.Status.values:
        claims = claims.filter(status=status)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "payroll/declaration_review.html",
        {
            "page": page,
            "status": status,
            "statuses": DeductionClaim.Status.choices,
            "can_review": request.user.role in services.REVIEW_ROLES,
            "return_form": DeductionReturnForm(),
        },
    )


@login_required
@require_POST
def declaration_review(
    request: AuthenticatedHttpRequest, pk: int, action: str
) -> HttpResponse:
    if request.user.role not in services.REVIEW_ROLES:
        # Refused before anything is read: reviewing is finance's.
        raise PermissionDenied(services.NOT_REVIEWER)
    claim = get_object_or_404(deduction_claim_list_visible_to(user=request.user), pk=pk)
    try:
        if action == "approve":
            services.deduction_claim_approve(claim=claim, actor=request.user)
            messages.success(
                request,
                _("已通过：%(worker)s 的%(item)s，下一个工资周期起计入累计预扣。")
                % {
                    "worker": claim.worker.full_name,
                    "item": claim.get_category_display(),
                },
            )
        elif action == "return":
            form = DeductionReturnForm(request.POST)
            reason = form.data.get("reason", "")
            services.deduction_claim_return(
                claim=claim, actor=request.user, reason=reason
            )
            messages.success(request, _("已退回。"))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("payroll:declaration-review-list")
