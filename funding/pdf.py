"""The fund year statement as an issued document (numbered, signed, verifiable)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core.decimals import sum_amounts
from core.documents.models import DocumentKind, IssuedDocument
from core.documents.services import document_issue
from core.money import decimal_of
from core.templatetags.core_format import yuan
from funding import selectors
from funding.models import FundYear, ProjectEvent, ProjectState


def statement_context(fund_year: FundYear) -> dict:
    projects = []
    # A constant number of queries, however many projects the year has.
    reopened = ProjectEvent.objects.filter(
        project=OuterRef("pk"), to_state=ProjectState.REOPENED
    )
    for project in (
        fund_year.projects.select_related("category")
        .prefetch_related("expenses")
        .annotate(was_reopened=Exists(reopened))
    ):
        expenses = list(project.expenses.all())
        spent = sum_amounts(decimal_of(e.amount) for e in expenses)
        projects.append(
            {
                "project": project,
                "expenses": expenses,
                "spent": spent,
                "over": selectors.project_over_approved(project, spent),
                "corrected": project.was_reopened,
            }
        )
    return {
        "fund_year": fund_year,
        "figures": selectors.fund_year_figures(fund_year),
        "projects": projects,
    }


def statement_facts(context: dict) -> dict[str, Any]:
    """The plain values the statement prints: a change in any of them is a
    new document."""
    fund_year = context["fund_year"]
    return {
        "fund_year": [fund_year.pk, fund_year.status, str(fund_year.carried_out)],
        "shares": [
            str(decimal_of(fund_year.city_share)),
            str(decimal_of(fund_year.district_share)),
            str(decimal_of(fund_year.street_share)),
        ],
        "figures": {k: str(v) for k, v in vars(context["figures"]).items()},
        "projects": [
            [
                row["project"].pk,
                row["project"].title,
                row["project"].state,
                str(decimal_of(row["project"].estimated_cost)),
                str(row["project"].reserved),
                str(row["project"].notice_started_on),
                str(row["spent"]),
                str(row["over"]),
                row["corrected"],
                [
                    [
                        e.pk,
                        str(decimal_of(e.amount)),
                        str(e.paid_on),
                        e.payee,
                        e.description,
                    ]
                    for e in row["expenses"]
                ],
            ]
            for row in context["projects"]
        ],
    }


def statement_issue(
    *, fund_year: FundYear, issued_by: Any, batch: Any = None
) -> IssuedDocument:
    context = statement_context(fund_year)
    figures = context["figures"]
    community = fund_year.community
    return document_issue(
        kind=DocumentKind.FUND_STATEMENT,
        subject_key=f"fund_year:{fund_year.pk}",
        facts=statement_facts(context),
        template="pdf/fund_statement.html",
        context=context,
        title=_("%(community)s %(year)s 年度为民服务专项资金收支明细")
        % {"community": community, "year": fund_year.year},
        subject_name=str(community),
        totals=[
            (_("年度拨款"), yuan(figures.allocation)),
            (_("已支出"), yuan(figures.spent)),
            (_("可用"), yuan(figures.available)),
        ],
        community=community,
        year=fund_year.year,
        issued_by=issued_by,
        batch=batch,
    )
