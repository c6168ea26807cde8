"""Spending against approved projects."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.decimals import round_cents
from funding import rules, selectors
from funding.models import (
    SPENDING_STATES,
    Expense,
    Project,
)
from funding.services._common import (
    COMMENT_REQUIRED,
    DATE_IN_FUTURE,
    EXPENSE_AMOUNT,
    EXPENSE_NEEDS_RECEIPT,
    EXPENSE_OVERSPEND_WARNING,
    EXPENSE_STATE,
    REVERSAL_OF_REVERSAL,
    REVERSAL_STATE,
    REVERSAL_TWICE,
    lock_fund_year,
    refuse_forbidden,
    require_open,
    require_secretary,
)
from funding.services.files import files_check, store_files


def expense_record(
    *,
    actor: Any,
    project: Project,
    payee: str,
    paid_on: date,
    amount: Decimal,
    description: str,
    files: list[Any] | tuple[Any, ...],
    today: date,
    payee_is_person: bool = False,
) -> tuple[Expense, list[str]]:
    """Record an expense with its receipts; return it and any warnings.

    An expense that would overspend the fund is saved with a warning (A9:
    warned about when saved); approvals are where overspending is refused.
    """
    with transaction.atomic():
        fund_year = lock_fund_year(project.fund_year_id)
        project = Project.objects.get(pk=project.pk)
        require_secretary(actor, fund_year.community_id)
        require_open(fund_year)
        if project.state not in SPENDING_STATES:
            raise ValidationError(EXPENSE_STATE)
        errors: dict[str, list[str]] = {}
        if paid_on > today:
            errors["paid_on"] = [str(DATE_IN_FUTURE)]
        if amount <= 0:
            errors["amount"] = [str(EXPENSE_AMOUNT)]
        if not files:
            errors["files"] = [str(EXPENSE_NEEDS_RECEIPT)]
        else:
            problems = files_check(files, today=today)
            if problems:
                errors["files"] = problems
        if errors:
            raise ValidationError(errors)
        refuse_forbidden([description, payee], "description")
        figures = selectors.fund_year_figures(fund_year)
        over = rules.expense_overspend(
            available=figures.available,
            project_outstanding=selectors.project_outstanding(project),
            amount=amount,
        )
        expense = Expense(
            project=project,
            payee=payee.strip(),
            payee_is_person=payee_is_person,
            paid_on=paid_on,
            amount=round_cents(amount),
            description=description.strip(),
            recorded_by=actor,
        )
        expense.full_clean()
        expense.save()
        store_files(
            actor=actor,
            files=list(files),
            folder=f"receipts/{fund_year.pk}",
            expense=expense,
        )
    warnings = (
        [str(EXPENSE_OVERSPEND_WARNING % {"over": rules.format_yuan(over)})]
        if over
        else []
    )
    return expense, warnings


def expense_reverse(
    *, actor: Any, expense: Expense, reason: str, today: date
) -> Expense:
    """Correct a recorded expense by a reversal row; the original is kept.

    The reversal carries the negative amount, the reason and today's date, so
    spending, reports and the public page show both rows and their net. A
    wrong expense is then recorded again, correctly, as a new expense.
    """
    with transaction.atomic():
        project = Project.objects.get(pk=expense.project_id)
        fund_year = lock_fund_year(project.fund_year_id)
        require_secretary(actor, fund_year.community_id)
        require_open(fund_year)
        expense = Expense.objects.select_for_update().get(pk=expense.pk)
        if project.state not in SPENDING_STATES:
            raise ValidationError(REVERSAL_STATE)
        if expense.is_reversal:
            raise ValidationError(REVERSAL_OF_REVERSAL)
        if Expense.objects.filter(reverses=expense).exists():
            raise ValidationError(REVERSAL_TWICE)
        if not reason.strip():
            raise ValidationError({"reason": [COMMENT_REQUIRED]})
        reversal = Expense(
            project=project,
            payee=expense.payee,
            payee_is_person=expense.payee_is_person,
            paid_on=today,
            amount=-expense.amount,
            description=reason.strip()[:200],
            reverses=expense,
            recorded_by=actor,
        )
        reversal.full_clean()
        reversal.save()
    return reversal
