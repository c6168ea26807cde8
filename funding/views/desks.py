"""The desks: what waits for the secretary and for the officers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from core import clock
from core.http import AuthenticatedHttpRequest
from core.models import Role
from core.selectors import (
    community_list_visible_to,
)
from funding import selectors
from funding.models import (
    CarryForward,
    FundYear,
    ProjectState,
)

DESK_PAGE = 50


@login_required
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = clock.today()
    waiting = selectors.projects_waiting_for(user=user, today=today)
    if user.role == Role.SECRETARY:
        fund_year = (
            selectors.fund_year_list_visible_to(user=user)
            .filter(year__lte=today.year)
            .order_by("-year")
            .first()
        )
        projects = selectors.project_rows(fund_year) if fund_year else []
        return render(
            request,
            "funding/desk_secretary.html",
            {
                "fund_year": fund_year,
                "figures": selectors.fund_year_figures(fund_year)
                if fund_year
                else None,
                "projects": projects,
                "waiting": waiting,
            },
        )
    # A city's desk shows its communities fifty at a time (it was 620 rows).
    this_year = (
        selectors.fund_year_list_visible_to(user=user)
        .filter(year=today.year)
        .order_by("community__code")
    )
    page = Paginator(this_year, DESK_PAGE).get_page(request.GET.get("page"))
    years = list(page.object_list)
    figures = selectors.fund_year_figures_many(years)
    counts: dict[int, dict[str, int]] = {}
    for fund_year_id, state in (
        selectors.project_list_visible_to(user=user)
        .filter(fund_year__in=[fy.pk for fy in years])
        .values_list("fund_year_id", "state")
    ):
        counts.setdefault(fund_year_id, {}).setdefault(state, 0)
        counts[fund_year_id][state] += 1
    communities = [
        {
            "fund_year": fy,
            "figures": figures[fy.pk],
            # In the order of the project life, not of the codes.
            "states": [
                (label, counts[fy.pk][state])
                for state, label in ProjectState.choices
                if state in counts.get(fy.pk, {})
            ],
        }
        for fy in years
    ]
    # Communities without this year's fund: on the first page, at most a page.
    without_fund = (
        list(
            community_list_visible_to(user=user)
            .exclude(pk__in=this_year.values("community_id"))
            .select_related("street")
            .order_by("code")[: DESK_PAGE + 1]
        )
        if page.number == 1
        else []
    )
    return render(
        request,
        "funding/desk_officer.html",
        {
            "waiting": waiting,
            "communities": communities,
            "without_fund": without_fund[:DESK_PAGE],
            "more_without_fund": len(without_fund) > DESK_PAGE,
            "listing": {"page": page, "query": ""},
            "year": today.year,
            "show_street": len({fy.community.street_id for fy in years}) > 1,
            "can_admin": selectors.user_administers_funds(user),
            "budget_changes": selectors.budget_changes_waiting_for(user=user),
            "carry_requests": selectors.project_list_visible_to(user=user).filter(
                carry_forward=CarryForward.REQUESTED,
                fund_year__status=FundYear.Status.OPEN,
            )
            if user.role == Role.STREET_OFFICER
            else [],
        },
    )
