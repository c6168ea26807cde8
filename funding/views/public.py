"""The public page of a community, without login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from core.decimals import ZERO, sum_amounts
from core.models import Community
from core.money import decimal_of
from funding import rules, selectors
from funding.models import (
    BUDGETED_STATES,
    PUBLIC_STATES,
    FundYear,
    ProjectState,
)


def public_community(request: HttpRequest, code: str) -> HttpResponse:
    """What a resident may see, without login: approved projects, notices and
    spending. No user names, no personal payees, no ID numbers or phones."""
    community = get_object_or_404(
        Community.objects.select_related("street__district"), code=code
    )
    fund_years = FundYear.objects.filter(community=community).order_by("-year")
    year = request.GET.get("year", "")
    fund_year = (
        fund_years.filter(year=year).first() if year.isdigit() else fund_years.first()
    )
    projects = []
    if fund_year is not None:
        for project in (
            fund_year.projects.filter(state__in=PUBLIC_STATES)
            .select_related("category")
            .prefetch_related("expenses", "events")
        ):
            expenses = [
                {
                    "paid_on": e.paid_on,
                    "amount": e.amount,
                    "description": e.description,
                    "payee": _("个人") if e.payee_is_person else e.payee,
                    "is_reversal": e.is_reversal,
                }
                for e in project.expenses.all()
            ]
            spent = sum_amounts(decimal_of(e.amount) for e in project.expenses.all())
            corrected_on = [
                event.at
                for event in project.events.all()
                if event.to_state == ProjectState.REOPENED
            ]
            projects.append(
                {
                    "title": project.title,
                    "category": _(project.category.name),
                    "purpose": project.purpose,
                    "beneficiaries": project.beneficiaries,
                    "expected_beneficiaries": project.expected_beneficiaries,
                    "budget": project.budget,
                    "is_approved": project.state in BUDGETED_STATES,
                    "over": rules.project_over_approved(
                        approved=project.reserved, spent=spent
                    )
                    if project.state in BUDGETED_STATES
                    else ZERO,
                    "corrected_on": corrected_on,
                    "carried_from": project.carried_from_id is not None,
                    "state": project.get_state_display(),
                    "notice_started_on": project.notice_started_on,
                    "notice_ends_on": project.notice_ends_on,
                    "expenses": expenses,
                    "spent": spent,
                }
            )
    return render(
        request,
        "funding/public_community.html",
        {
            "community": community,
            "fund_year": fund_year,
            "years": list(fund_years.values_list("year", flat=True)),
            "figures": selectors.fund_year_figures(fund_year) if fund_year else None,
            "projects": projects,
        },
    )
