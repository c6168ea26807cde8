"""The money figures of a fund year and a project: spent, outstanding, over
the approved amount, budget versions, the closing outlook, acceptance lines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy

from core.decimals import ZERO, sum_amounts
from core.models import User
from core.money import decimal_of
from funding import rules
from funding.models import (
    BUDGETED_STATES,
    RESERVING_STATES,
    BudgetChange,
    Expense,
    FundYear,
    Project,
    ProjectState,
)

from .policy import forbidden_use_rules, keyword_warnings


def _spent_by_project(project_ids: list[int]) -> dict[int, Decimal]:
    spent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for project_id, amount in Expense.objects.filter(
        project_id__in=project_ids
    ).values_list("project_id", "amount"):
        spent[project_id] += amount
    return spent


def fund_year_figures_many(
    fund_years: list[FundYear],
) -> dict[int, rules.Figures]:
    """Figures of many fund years in two queries."""
    ids = [fy.pk for fy in fund_years]
    projects = list(
        Project.objects.filter(fund_year_id__in=ids).values_list(
            "pk", "fund_year_id", "state", "reserved"
        )
    )
    spent = _spent_by_project([p[0] for p in projects])
    committed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    year_spent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    over: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pk, fund_year_id, state, reserved in projects:
        year_spent[fund_year_id] += spent[pk]
        if state in RESERVING_STATES:
            committed[fund_year_id] += rules.outstanding_commitment(reserved, spent[pk])
        if state in BUDGETED_STATES:
            over[fund_year_id] += rules.project_over_approved(
                approved=reserved, spent=spent[pk]
            )
    return {
        fy.pk: rules.fund_figures(
            allocation=decimal_of(fy.allocation),
            carried_in=fy.carried_in,
            committed=committed[fy.pk],
            spent=year_spent[fy.pk],
            over_approved=over[fy.pk],
        )
        for fy in fund_years
    }


def fund_year_figures(fund_year: FundYear) -> rules.Figures:
    return fund_year_figures_many([fund_year])[fund_year.pk]


def project_spent(project: Project) -> Decimal:
    return sum_amounts(project.expenses.values_list("amount", flat=True))


def project_outstanding(project: Project) -> Decimal:
    if project.state not in RESERVING_STATES:
        return ZERO
    return rules.outstanding_commitment(project.reserved, project_spent(project))


def project_over_approved(project: Project, spent: Decimal | None = None) -> Decimal:
    """Spending above the approved amount (0 before approval)."""
    if project.state not in BUDGETED_STATES:
        return ZERO
    if spent is None:
        spent = project_spent(project)
    return rules.project_over_approved(approved=project.reserved, spent=spent)


@dataclass
class BudgetVersion:
    number: int
    amount: Decimal
    previous: Decimal | None
    at: datetime | None
    by: User | None
    reason: str
    change: BudgetChange | None = None


def budget_versions(project: Project) -> list[BudgetVersion]:
    """Every approved amount of a project, oldest first: the approval, then
    each approved budget change (pending and refused changes are listed
    separately, on the project page)."""
    approval = (
        project.events.filter(
            to_state="approved", from_state__in=["on_notice", "street_approved"]
        )
        .select_related("actor")
        .order_by("at", "id")
        .first()
    )
    changes = list(
        project.budget_changes.filter(status=BudgetChange.Status.APPROVED)
        .select_related("decided_by")
        .order_by("decided_at", "id")
    )
    if approval is None and not changes and project.carried_from_id is None:
        return []
    first_amount = changes[0].previous_amount if changes else project.reserved
    versions = [
        BudgetVersion(
            number=1,
            amount=first_amount,
            previous=None,
            at=approval.at if approval else None,
            by=approval.actor if approval else None,
            reason=approval.comment
            if approval
            else str(CARRIED_IN_VERSION)
            if project.carried_from_id
            else "",
        )
    ]
    for change in changes:
        versions.append(
            BudgetVersion(
                number=len(versions) + 1,
                amount=decimal_of(change.new_amount),
                previous=change.previous_amount,
                at=change.decided_at,
                by=change.decided_by,
                reason=change.reason,
                change=change,
            )
        )
    return versions


CARRIED_IN_VERSION = gettext_lazy("由上年度结转的剩余批准金额")


def pending_budget_change(project: Project) -> BudgetChange | None:
    return (
        project.budget_changes.filter(
            status__in=[
                BudgetChange.Status.SUBMITTED,
                BudgetChange.Status.STREET_APPROVED,
            ]
        )
        .order_by("-id")
        .first()
    )


@dataclass
class ClosingItem:
    project: Project
    spent: Decimal
    remaining: Decimal
    carries: bool


# Settled projects: closing a year leaves them as they are.
SETTLED_STATES = (
    ProjectState.ACCEPTED,
    ProjectState.PUBLISHED,
    ProjectState.CARRIED,
    ProjectState.LAPSED,
    ProjectState.REFUSED,
    ProjectState.WITHDRAWN,
)


def closing_outlook(fund_year: FundYear) -> list[ClosingItem]:
    """What closing the year would do to each unfinished project: carried
    with its remaining commitment when the street agreed, otherwise lapsed."""
    projects = list(
        fund_year.projects.exclude(state__in=SETTLED_STATES).select_related("category")
    )
    spent = _spent_by_project([p.pk for p in projects])
    items = []
    for project in projects:
        reserving = project.state in RESERVING_STATES
        items.append(
            ClosingItem(
                project=project,
                spent=spent[project.pk],
                remaining=rules.outstanding_commitment(
                    project.reserved, spent[project.pk]
                )
                if reserving
                else ZERO,
                carries=reserving and project.carry_forward == "approved",
            )
        )
    return items


@dataclass
class AcceptanceLine:
    expense: Expense
    running: Decimal
    remaining: Decimal
    warnings: list[str]


def acceptance_lines(project: Project) -> list[AcceptanceLine]:
    """Each expense against the approved amount, with the running total and
    what remains after it, and the reviewer's keyword warnings."""
    lines = []
    running = ZERO
    uses = forbidden_use_rules()
    for expense in project.expenses.select_related("classification").order_by(
        "paid_on", "id"
    ):
        running += decimal_of(expense.amount)
        lines.append(
            AcceptanceLine(
                expense=expense,
                running=running,
                remaining=project.reserved - running,
                warnings=[]
                if expense.is_reversal
                else keyword_warnings([expense.description, expense.payee], uses),
            )
        )
    return lines


# States before approval: the project reserves nothing yet.
PENDING_STATES = (
    ProjectState.PROPOSED,
    ProjectState.DISCUSSED,
    ProjectState.STREET_REVIEWED,
    ProjectState.ON_NOTICE,
    ProjectState.STREET_APPROVED,
)


def project_exceeds_available(project: Project) -> Decimal | None:
    """The fund's available money when a pending project's budget is above it
    (A9: warned about when saved, refused when approved); None otherwise."""
    if project.state not in PENDING_STATES:
        return None
    available = fund_year_figures(project.fund_year).available
    if rules.approval_fits(available, decimal_of(project.estimated_cost)):
        return None
    return available
