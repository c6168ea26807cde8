"""A worker's own pages ("我的工资"): thin views over ``selfservice.selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.http import AuthenticatedHttpRequest
from core.models import Worker
from core.rules import mask_account, mask_citizen_id
from core.selectors import user_is_worker
from core.services import REVEALABLE_FIELDS, personal_data_reveal
from payroll.declarations.forms import DeductionClaimForm
from payroll.declarations.selectors import (
    declaration_years,
    deduction_claim_list_visible_to,
    deduction_standards_for_year,
)
from payroll.declarations.services import (
    deduction_claim_submit,
    deduction_claim_withdraw,
)
from selfservice import selectors


def _owner(request: AuthenticatedHttpRequest) -> Worker:
    """Only a login that belongs to a worker opens these pages (a worker's
    own login, or a secretary's); other staff use the staff pages."""
    if not (user_is_worker(request.user) or request.user.worker_id):
        raise PermissionDenied
    return selectors.own_worker(request.user)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    worker = _owner(request)
    return render(
        request,
        "selfservice/home.html",
        {
            "worker": worker,
            "rows": selectors.month_rows(request.user),
            "has_annuity": selectors.own_annuity_account(request.user) is not None,
        },
    )


@login_required
def payslip_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    worker = _owner(request)
    payslip = get_object_or_404(selectors.own_payslips(request.user), pk=pk)
    return render(
        request,
        "selfservice/payslip.html",
        {"worker": worker, "view": selectors.payslip_view(request.user, payslip)},
    )


@login_required
def year_statement(
    request: AuthenticatedHttpRequest, year: int | None = None
) -> HttpResponse:
    worker = _owner(request)
    year = year or clock.today().year
    return render(
        request,
        "selfservice/statement.html",
        {"worker": worker, "statement": selectors.year_statement(request.user, year)},
    )


@login_required
def level_history(request: AuthenticatedHttpRequest) -> HttpResponse:
    worker = _owner(request)
    return render(
        request,
        "selfservice/level.html",
        {
            "worker": worker,
            "changes": selectors.level_changes(worker),
            "next_step": selectors.next_progression(worker, clock.today()),
        },
    )


@login_required
def ratings(request: AuthenticatedHttpRequest) -> HttpResponse:
    worker = _owner(request)
    return render(
        request,
        "selfservice/ratings.html",
        {"worker": worker, "view": selectors.own_ratings(request.user, clock.today())},
    )


@login_required
def annuity(request: AuthenticatedHttpRequest) -> HttpResponse:
    worker = _owner(request)
    return render(
        request,
        "selfservice/annuity.html",
        {
            "worker": worker,
            "statement": selectors.own_annuity(request.user, clock.today()),
        },
    )


def _profile(
    request: AuthenticatedHttpRequest, worker, revealed: dict[str, str]
) -> HttpResponse:
    return render(
        request,
        "selfservice/profile.html",
        {
            "worker": worker,
            "id_number": revealed.get("id_number") or mask_citizen_id(worker.id_number),
            "bank_account": revealed.get("bank_account")
            or mask_account(worker.bank_account),
            "revealed": revealed,
        },
    )


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _profile(request, _owner(request), {})


@login_required
@require_POST
def profile_reveal(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Her full ID number or bank account, shown on this response only."""
    worker = _owner(request)
    field = request.POST.get("field", "")
    if field not in REVEALABLE_FIELDS:
        raise PermissionDenied
    value = personal_data_reveal(user=request.user, worker=worker, field=field)
    return _profile(request, worker, {field: value})


def _declaration_page(request: AuthenticatedHttpRequest, worker, form) -> HttpResponse:
    return render(
        request,
        "selfservice/declarations.html",
        {
            "worker": worker,
            "form": form,
            "view": selectors.own_declarations(request.user, clock.today()),
        },
    )


@login_required
def declarations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Her declarations of special additional deductions: their status and
    monthly effect, and a form to declare another item."""
    worker = _owner(request)
    return _declaration_page(request, worker, _claim_form(request, None))


def _claim_form(request: AuthenticatedHttpRequest, data) -> DeductionClaimForm:
    years = declaration_years(clock.today())
    return DeductionClaimForm(
        data,
        years=years,
        standards=deduction_standards_for_year(years[-1]),
        initial={"year": years[0]},
    )


@login_required
@require_POST
def declaration_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    worker = _owner(request)
    form = _claim_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            deduction_claim_submit(
                user=request.user,
                worker=worker,
                year=data["year"],
                standard=data["standard"],
                children=data["children"],
                share=data["share"],
                details=form.details(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已提交，等待财务人员审核。"))
            return redirect("selfservice:declarations")
    return _declaration_page(request, worker, form)


@login_required
@require_POST
def declaration_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    worker = _owner(request)
    claim = get_object_or_404(
        deduction_claim_list_visible_to(user=request.user).filter(worker=worker),
        pk=pk,
    )
    try:
        deduction_claim_withdraw(claim=claim, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("selfservice:declarations")
