"""Fund years: list, detail, creation, closing, statement, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock, exports
from core.http import AuthenticatedHttpRequest
from core.import_flow import import_flow
from core.listing import listing
from core.models import Role
from core.money import format_money
from core.selectors import (
    community_list_visible_to,
    district_list_visible_to,
    street_list_visible_to,
)
from funding import selectors, services
from funding.forms import (
    CarryForwardForm,
    FundYearFilterForm,
    FundYearForm,
)
from funding.resources import HEADERS, AllocationResource
from funding.views._shared import (
    add_errors,
    error_messages,
    require_fund_admin,
)


@login_required
def fund_year_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = selectors.fund_year_list_visible_to(user=user)
    form = FundYearFilterForm(
        request.GET or None,
        years=visible.order_by("-year").values_list("year", flat=True).distinct(),
        districts=district_list_visible_to(user=user),
        streets=street_list_visible_to(user=user),
        communities=community_list_visible_to(user=user),
    )
    if form.is_valid():
        visible = selectors.fund_year_list_search(visible, **form.cleaned_data)
    years = listing(
        request,
        visible,
        sorts={
            "year": "year",
            "community": "community__code",
            "allocation": "allocation",
        },
        default_sort="-year",
    )
    page_years = list(years.page.object_list)
    figures = selectors.fund_year_figures_many(page_years)
    return render(
        request,
        "funding/fundyear_list.html",
        {
            "rows": [{"fund_year": fy, "figures": figures[fy.pk]} for fy in page_years],
            "form": form,
            "listing": years,
            "can_admin": selectors.user_administers_funds(user),
        },
    )


@login_required
def fund_year_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    projects = selectors.project_rows(fund_year)
    user = request.user
    return render(
        request,
        "funding/fundyear_detail.html",
        {
            "fund_year": fund_year,
            "figures": selectors.fund_year_figures(fund_year),
            "projects": projects,
            "can_propose": fund_year.is_open
            and user.role == Role.SECRETARY
            and user.community_id == fund_year.community_id,
            "can_admin": selectors.user_administers_funds(user) and fund_year.is_open,
        },
    )


@login_required
def fund_year_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_fund_admin(request)
    form = FundYearForm(
        request.POST or None,
        communities=community_list_visible_to(user=request.user),
        initial={"year": clock.today().year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund_year = services.fund_year_set(
                actor=request.user,
                community=data["community"],
                year=data["year"],
                allocation=data["allocation"],
                city_share=data["city_share"],
                district_share=data["district_share"],
                street_share=data["street_share"],
                create_only=True,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("资金年度已建立。"))
            return redirect("funding:fund-year-detail", pk=fund_year.pk)
    return render(request, "funding/fundyear_form.html", {"form": form})


@login_required
def fund_year_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: what closing will do to each unfinished project, with a way to
    ask for a carry-forward; POST: close (never blocked by projects)."""
    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    if request.method != "POST":
        require_fund_admin(request)
        return render(
            request,
            "funding/fundyear_close.html",
            {
                "fund_year": fund_year,
                "figures": selectors.fund_year_figures(fund_year),
                "unfinished": selectors.closing_outlook(fund_year),
                "carry_form": CarryForwardForm(),
            },
        )
    try:
        fund_year = services.fund_year_close(
            actor=request.user, fund_year=fund_year, today=clock.today()
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(
            request,
            _("已结账，结转下年 %(amount)s 元。")
            % {"amount": format_money(fund_year.carried_out)},
        )
    return redirect("funding:fund-year-detail", pk=pk)


@login_required
def fund_year_statement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The printed statement of a fund year (PDF), for anyone whose scope
    covers it: auditors, officers and the community's secretary."""
    from core.documents.views import document_response
    from funding.pdf import statement_issue

    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    return document_response(
        request, statement_issue(fund_year=fund_year, issued_by=request.user)
    )


@login_required
def allocation_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_fund_admin(request)
    return import_flow(
        request,
        key="funding-allocation",
        resource_factory=lambda: AllocationResource(user=request.user),
        title=_("导入年度拨款"),
        template_url=reverse("funding:allocation-template"),
        done_url=reverse("funding:fund-year-list"),
    )


@login_required
def allocation_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_fund_admin(request)
    year = clock.today().year
    rows = [
        [c.code, year, "200000.00", "100000.00", "60000.00", "40000.00"]
        for c in community_list_visible_to(user=request.user)
    ]
    workbook = exports.workbook_from_rows(_("年度拨款"), list(HEADERS), rows)
    return exports.xlsx_download(
        request, workbook, "年度拨款模板.xlsx", what=_("年度拨款模板")
    )
