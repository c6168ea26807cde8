"""A worker's own pages ("我的工资"): thin views over ``selfservice.selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from core import clock
from core.rules import mask_account, mask_citizen_id
from core.selectors import user_is_worker
from core.services import REVEALABLE_FIELDS, personal_data_reveal
from selfservice import selectors


def _owner(request: HttpRequest):
    """Only a login that belongs to a worker opens these pages (a worker's
    own login, or a secretary's); other staff use the staff pages."""
    if not (user_is_worker(request.user) or request.user.worker_id):
        raise PermissionDenied
    return selectors.own_worker(request.user)


@login_required
def home(request: HttpRequest) -> HttpResponse:
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
def payslip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _owner(request)
    payslip = get_object_or_404(selectors.own_payslips(request.user), pk=pk)
    return render(
        request,
        "selfservice/payslip.html",
        {"worker": worker, "view": selectors.payslip_view(request.user, payslip)},
    )


@login_required
def year_statement(request: HttpRequest, year: int | None = None) -> HttpResponse:
    worker = _owner(request)
    year = year or clock.today().year
    return render(
        request,
        "selfservice/statement.html",
        {"worker": worker, "statement": selectors.year_statement(request.user, year)},
    )


@login_required
def level_history(request: HttpRequest) -> HttpResponse:
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
def ratings(request: HttpRequest) -> HttpResponse:
    worker = _owner(request)
    return render(
        request,
        "selfservice/ratings.html",
        {"worker": worker, "view": selectors.own_ratings(request.user, clock.today())},
    )


@login_required
def annuity(request: HttpRequest) -> HttpResponse:
    worker = _owner(request)
    return render(
        request,
        "selfservice/annuity.html",
        {
            "worker": worker,
            "statement": selectors.own_annuity(request.user, clock.today()),
        },
    )


def _profile(request: HttpRequest, worker, revealed: dict[str, str]) -> HttpResponse:
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
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request, _owner(request), {})


@login_required
@require_POST
def profile_reveal(request: HttpRequest) -> HttpResponse:
    """Her full ID number or bank account, shown on this response only."""
    worker = _owner(request)
    field = request.POST.get("field", "")
    if field not in REVEALABLE_FIELDS:
        raise PermissionDenied
    value = personal_data_reveal(user=request.user, worker=worker, field=field)
    return _profile(request, worker, {field: value})
