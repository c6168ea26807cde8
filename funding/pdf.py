"""The printed fund statement for auditors (WeasyPrint, our own template)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from core import clock
from core.decimals import sum_amounts
from funding import selectors
from funding.models import FundYear, ProjectState


def statement_context(fund_year: FundYear) -> dict:
    projects = []
    for project in fund_year.projects.select_related("category").prefetch_related(
        "expenses"
    ):
        expenses = list(project.expenses.all())
        spent = sum_amounts(e.amount for e in expenses)
        projects.append(
            {
                "project": project,
                "expenses": expenses,
                "spent": spent,
                "over": selectors.project_over_approved(project, spent),
                "corrected": project.events.filter(
                    to_state=ProjectState.REOPENED
                ).exists(),
            }
        )
    return {
        "fund_year": fund_year,
        "figures": selectors.fund_year_figures(fund_year),
        "projects": projects,
        "printed_at": clock.now(),
    }


def statement_pdf(fund_year: FundYear) -> bytes:
    from weasyprint import HTML  # heavy import, only when printing

    html = render_to_string("pdf/fund_statement.html", statement_context(fund_year))
    # base_url points at the project folder: the template links nothing remote.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
