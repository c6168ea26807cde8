"""Budget changes and carrying a project into next year."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.http import AuthenticatedHttpRequest
from core.models import Role
from core.money import format_money
from funding import selectors, services
from funding.forms import BudgetChangeForm, CarryForwardForm, DecisionForm
from funding.models import BudgetChange
from funding.services.fund_years import CARRY_NOT_STREET
from funding.views._shared import (
    error_messages,
    form_page,
    secretary_project,
    to_project,
)


@login_required
def budget_change_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = secretary_project(request, pk)
    return form_page(
        request,
        BudgetChangeForm(request.POST or None),
        save=lambda data: services.budget_change_propose(
            actor=request.user, project=project, today=clock.today(), **data
        ),
        saved=lambda change: to_project(
            request,
            pk,
            _("预算调整已提交（%(old)s → %(new)s 元），等待街道审批。")
            % {
                "old": format_money(change.previous_amount),
                "new": format_money(change.new_amount),
            },
        ),
        template="funding/budget_change_form.html",
        context=lambda: {
            "project": project,
            "spent": selectors.project_spent(project),
            "figures": selectors.fund_year_figures(project.fund_year),
        },
    )


def _visible_change(request: AuthenticatedHttpRequest, pk: int) -> BudgetChange:
    projects = selectors.project_list_visible_to(user=request.user).values("pk")
    return get_object_or_404(BudgetChange.objects.filter(project__in=projects), pk=pk)


@login_required
@require_POST
def budget_change_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    change = _visible_change(request, pk)
    # Refused by role before the form is read, so an empty POST is refused too.
    services.budget_change_decider_check(request.user, change)
    form = DecisionForm(request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == "approve":
                change = services.budget_change_approve(
                    actor=request.user,
                    change=change,
                    comment=comment,
                    today=clock.today(),
                )
            else:
                change = services.budget_change_refuse(
                    actor=request.user, change=change, comment=comment
                )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(
                request,
                _("预算调整：%(status)s") % {"status": change.get_status_display()},
            )
    return redirect("funding:project-detail", pk=change.project_id)


@login_required
@require_POST
def budget_change_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    change = _visible_change(request, pk)
    try:
        services.budget_change_withdraw(actor=request.user, change=change)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("预算调整已撤回。"))
    return redirect("funding:project-detail", pk=change.project_id)


@login_required
@require_POST
def carry_forward_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    form = CarryForwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写结转理由。"))
    else:
        try:
            services.project_carry_forward_request(
                actor=request.user,
                project=project,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(request, _("已申请结转下年，等待街道同意。"))
    return redirect("funding:project-detail", pk=pk)


@login_required
@require_POST
def carry_forward_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    if request.user.role != Role.STREET_OFFICER:
        # Refused before the form is read, so an empty POST is refused too.
        raise PermissionDenied(CARRY_NOT_STREET)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            project = services.project_carry_forward_decide(
                actor=request.user,
                project=project,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(
                request,
                _("结转下年：%(status)s")
                % {"status": project.get_carry_forward_display()},
            )
    return redirect("funding:project-detail", pk=pk)
