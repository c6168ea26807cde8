"""Budget against actual, on screen and as xlsx."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import clock, exports
from core.forms import CHOOSER_MAX_COMMUNITIES
from core.selectors import (
    community_list_visible_to,
    district_list_visible_to,
    street_list_visible_to,
)
from funding import charts, selectors
from funding.forms import (
    ReportFilterForm,
)


def _report_scope(request: HttpRequest) -> tuple[ReportFilterForm, Any, int]:
    user = request.user
    visible = selectors.fund_year_list_visible_to(user=user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True) or [
        clock.today().year
    ]
    form = ReportFilterForm(
        request.GET or None,
        years=years,
        districts=district_list_visible_to(user=user),
        streets=street_list_visible_to(user=user),
        communities=community_list_visible_to(user=user),
    )
    year = years[0]
    fund_years = visible
    if form.is_valid():
        data = form.cleaned_data
        year = data["year"] or year
        if data["district"]:
            fund_years = fund_years.filter(
                community__street__district__code=data["district"]
            )
        if data["street"]:
            fund_years = fund_years.filter(community__street__code=data["street"])
        if data["community"]:
            fund_years = fund_years.filter(community__code=data["community"])
    return form, fund_years.filter(year=year), year


@login_required
def report(request: HttpRequest) -> HttpResponse:
    form, fund_years, year = _report_scope(request)
    budget = selectors.budget_report(fund_years)
    # A wide scope lists its areas; its communities and projects are shown one
    # by one only when few (else the overspent ones, and the xlsx has all).
    detailed = len(budget.by_community) <= CHOOSER_MAX_COMMUNITIES
    return render(
        request,
        "funding/report.html",
        {
            "form": form,
            "detailed": detailed,
            "communities_shown": budget.by_community
            if detailed
            else [row for row in budget.by_community if row.over],
            "projects_shown": budget.by_project
            if detailed
            else [row for row in budget.by_project if row.over][:100],
            "year": year,
            "report": budget,
            "category_chart": charts.budget_chart(budget.by_category),
            "area_chart": charts.budget_chart(budget.by_area)
            if budget.by_area
            else None,
            "community_chart": charts.budget_chart(budget.by_community)
            if len(budget.by_community) > 1 and not budget.by_area
            else None,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    _form, fund_years, year = _report_scope(request)
    budget = selectors.budget_report(fund_years)
    workbook = exports.workbook_from_rows(
        _("按社区"),
        [
            _("社区"),
            _("年度拨款"),
            _("上年结转"),
            _("已预留"),
            _("已支出"),
            _("可用"),
            _("超支"),
        ],
        [
            [
                row.label,
                row.extra["figures"].allocation,
                row.extra["figures"].carried_in,
                row.extra["figures"].committed,
                row.extra["figures"].spent,
                row.extra["figures"].available,
                row.over,
            ]
            for row in budget.by_community
        ]
        + [
            [
                _("合计"),
                budget.totals.allocation,
                budget.totals.carried_in,
                budget.totals.committed,
                budget.totals.spent,
                budget.totals.available,
                budget.totals.over_approved,
            ]
        ],
    )
    if budget.by_area:
        sheet = workbook.create_sheet(budget.area_heading)
        exports.append_row(
            sheet,
            [
                budget.area_label,
                _("社区数"),
                _("拨款+结转"),
                _("已预留"),
                _("已支出"),
                _("可用"),
            ],
        )
        for row in budget.by_area:
            exports.append_row(
                sheet,
                [
                    row.label,
                    row.extra["communities"],
                    row.budget,
                    row.extra["committed"],
                    row.actual,
                    row.extra["available"],
                ],
            )
    sheet = workbook.create_sheet(_("按类别"))
    exports.append_row(
        sheet, [_("类别"), _("预算"), _("实际支出"), _("差额"), _("超支")]
    )
    for row in budget.by_category:
        exports.append_row(
            sheet, [row.label, row.budget, row.actual, row.remaining, row.over]
        )
    exports.append_row(
        sheet,
        [
            _("合计"),
            budget.budget_total,
            budget.actual_total,
            budget.remaining_total,
            budget.totals.over_approved,
        ],
    )
    sheet = workbook.create_sheet(_("按经济分类"))
    exports.append_row(sheet, [_("经济分类"), _("允许使用"), _("笔数"), _("实际支出")])
    for row in budget.by_classification:
        exports.append_row(
            sheet,
            [
                row.label,
                _("是") if row.extra["is_allowed"] else _("否（禁止）"),
                row.extra["count"],
                row.actual,
            ],
        )
    sheet = workbook.create_sheet(_("按项目"))
    exports.append_row(
        sheet,
        [
            _("社区"),
            _("项目"),
            _("类别"),
            _("状态"),
            _("批准金额"),
            _("实际支出"),
            _("超支"),
        ],
    )
    for row in budget.by_project:
        exports.append_row(
            sheet,
            [
                row.extra["community"],
                row.label,
                row.extra["category"],
                row.extra["state"],
                row.budget,
                row.actual,
                row.over,
            ],
        )
    return exports.xlsx_download(
        request,
        workbook,
        f"为民服务资金预算执行_{year}.xlsx",
        what=_("为民服务资金预算执行 %(year)s") % {"year": year},
    )
