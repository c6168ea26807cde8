"""The fund's reports: a year's project rows and the budget report by
classification and by area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decimals import ZERO, sum_amounts
from core.money import decimal_of
from funding import rules
from funding.models import (
    BUDGETED_STATES,
    Category,
    Expense,
    FundYear,
    Project,
    Transition,
)

from .figures import _spent_by_project, fund_year_figures_many
from .workflow import next_step_label


def project_rows(fund_year: FundYear) -> list[dict[str, object]]:
    """The projects of a fund year with spending and next step, in 3 queries."""
    projects = list(fund_year.projects.select_related("category"))
    spent = _spent_by_project([p.pk for p in projects])
    transitions = list(Transition.objects.all())
    return [
        {
            "project": project,
            "spent": spent[project.pk],
            "over": rules.project_over_approved(
                approved=project.reserved, spent=spent[project.pk]
            )
            if project.state in BUDGETED_STATES
            else ZERO,
            "next": next_step_label(project, transitions),
        }
        for project in projects
    ]


def _by_classification(years: list[FundYear]) -> list[BudgetRow]:
    """Spending by economic classification (net of reversals), in list order."""
    rows: dict[int, BudgetRow] = {}
    expenses = Expense.objects.filter(
        project__fund_year__in=[fy.pk for fy in years]
    ).select_related("classification")
    for expense in expenses:
        kind = expense.classification
        row = rows.setdefault(
            kind.pk,
            BudgetRow(
                label=_(kind.name),
                extra={
                    "order": (kind.sort_order, kind.code),
                    "is_allowed": kind.is_allowed,
                    "count": 0,
                },
            ),
        )
        row.actual += decimal_of(expense.amount)
        if not expense.is_reversal:
            row.extra["count"] += 1
    return sorted(rows.values(), key=lambda r: r.extra["order"])


@dataclass
class BudgetRow:  # type: ignore[explicit-any]  # its `extra`, below
    label: str
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    # What each report adds to its rows (counts, codes, figures): still a bag
    # for the templates; one row type per report would type it.
    extra: dict[str, Any] = field(default_factory=dict)  # type: ignore[explicit-any]
    # Spending above approved amounts, project by project (never netted
    # against another project's unspent money).
    over: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual


@dataclass
class BudgetReport:
    fund_years: list[FundYear]
    figures: dict[int, rules.Figures]
    by_area: list[BudgetRow]
    area_level: str
    by_community: list[BudgetRow]
    by_category: list[BudgetRow]
    by_project: list[BudgetRow]
    by_classification: list[BudgetRow]
    totals: rules.Figures
    budget_total: Decimal
    actual_total: Decimal

    @property
    def funds_total(self) -> Decimal:
        return self.totals.allocation + self.totals.carried_in

    @property
    def remaining_total(self) -> Decimal:
        return self.budget_total - self.actual_total

    @property
    def area_label(self) -> str:
        return str(AREA_LEVELS[self.area_level][0]) if self.area_level else ""

    @property
    def area_heading(self) -> str:
        return str(AREA_LEVELS[self.area_level][1]) if self.area_level else ""


# Column label and heading of the area table, by level.
AREA_LEVELS = {
    "district": (gettext_lazy("区"), gettext_lazy("按区")),
    "street": (gettext_lazy("街道"), gettext_lazy("按街道")),
}


def _by_area(
    years: list[FundYear], figures: dict[int, rules.Figures]
) -> tuple[str, list[BudgetRow]]:
    """Totals one level below the report's scope: by district for the city, by
    street for a district; ("", []) when the scope is a single street."""
    districts = {fy.community.street.district_id for fy in years}
    streets = {fy.community.street_id for fy in years}
    if len(districts) > 1:
        level = "district"
    elif len(streets) > 1:
        level = "street"
    else:
        return "", []
    rows: dict[int, BudgetRow] = {}
    for fy in years:
        area = (
            fy.community.street.district if level == "district" else fy.community.street
        )
        row = rows.setdefault(
            area.pk,
            BudgetRow(
                label=area.name,
                extra={
                    "code": area.code,
                    "communities": 0,
                    "committed": ZERO,
                    "available": ZERO,
                },
            ),
        )
        f = figures[fy.pk]
        row.budget += f.allocation + f.carried_in
        row.actual += f.spent
        row.extra["committed"] += f.committed
        row.extra["available"] += f.available
        row.extra["communities"] += 1
    return level, sorted(rows.values(), key=lambda r: r.extra["code"])


def budget_report(fund_years: QuerySet[FundYear]) -> BudgetReport:
    """Budget against actual by community, category and project."""
    years = list(fund_years.select_related("community__street__district"))
    figures = fund_year_figures_many(years)
    projects = list(
        Project.objects.filter(
            fund_year__in=[fy.pk for fy in years], state__in=BUDGETED_STATES
        )
        .select_related("category", "fund_year__community")
        .order_by("fund_year__community__code", "category__sort_order", "pk")
    )
    spent = _spent_by_project([p.pk for p in projects])
    categories = {c.pk: BudgetRow(label=_(c.name)) for c in Category.objects.all()}
    by_project = []
    for project in projects:
        over = rules.project_over_approved(
            approved=project.reserved, spent=spent[project.pk]
        )
        row = categories[project.category_id]
        row.budget += project.reserved
        row.actual += spent[project.pk]
        row.over += over
        by_project.append(
            BudgetRow(
                label=project.title,
                budget=project.reserved,
                actual=spent[project.pk],
                over=over,
                extra={
                    "project": project,
                    "community": project.fund_year.community.name,
                    "category": _(project.category.name),
                    "state": project.get_state_display(),
                },
            )
        )
    by_community = []
    for fy in years:
        f = figures[fy.pk]
        by_community.append(
            BudgetRow(
                label=fy.community.name,
                budget=f.allocation + f.carried_in,
                actual=f.spent,
                over=f.over_approved,
                extra={"fund_year": fy, "figures": f},
            )
        )
    totals = rules.fund_figures(
        allocation=sum_amounts(f.allocation for f in figures.values()),
        carried_in=sum_amounts(f.carried_in for f in figures.values()),
        committed=sum_amounts(f.committed for f in figures.values()),
        spent=sum_amounts(f.spent for f in figures.values()),
        over_approved=sum_amounts(f.over_approved for f in figures.values()),
    )
    category_rows = [r for r in categories.values() if r.budget or r.actual]
    area_level, by_area = _by_area(years, figures)
    return BudgetReport(
        fund_years=years,
        figures=figures,
        by_area=by_area,
        area_level=area_level,
        by_community=by_community,
        by_category=category_rows,
        by_project=by_project,
        by_classification=_by_classification(years),
        totals=totals,
        budget_total=sum_amounts(r.budget for r in category_rows),
        actual_total=sum_amounts(r.actual for r in category_rows),
    )
