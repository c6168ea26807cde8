"""Spending against approved projects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from core.decimals import round_cents
from core.models import User
from core.money import format_money
from funding import rules, selectors
from funding.models import (
    SPENDING_STATES,
    Expense,
    ExpenseClass,
    FundYear,
    Project,
    StoredFile,
)
from funding.services._common import (
    COMMENT_REQUIRED,
    DATE_IN_FUTURE,
    EXPENSE_AMOUNT,
    EXPENSE_CLASS_FORBIDDEN,
    EXPENSE_CLASS_NOT_IN_FORCE,
    EXPENSE_DUPLICATE,
    EXPENSE_NEEDS_RECEIPT,
    EXPENSE_OVER_APPROVED,
    EXPENSE_OVERSPEND_WARNING,
    EXPENSE_STATE,
    RECEIPT_DUPLICATE,
    REVERSAL_OF_REVERSAL,
    REVERSAL_STATE,
    REVERSAL_TWICE,
    lock_fund_year,
    require_open,
    require_secretary,
)
from funding.services.files import file_digest, files_check, store_files


def _standing(queryset: QuerySet[Expense]) -> QuerySet[Expense]:
    """Expenses that still count: neither reversals nor reversed ones (a
    reversed mistake may be recorded again, correctly, with its receipt)."""
    return queryset.filter(reverses__isnull=True, reversal__isnull=True)


def _refuse_duplicates(
    *,
    project: Project,
    fund_year: FundYear,
    payee: str,
    paid_on: date,
    amount: Decimal,
    files: Sequence[UploadedFile],
) -> None:
    """A9: the same payee, amount and date on the project, or the same
    receipt file anywhere in the fund year, is a duplicate; name the first."""
    same = (
        _standing(project.expenses.all())
        .filter(payee=payee, paid_on=paid_on, amount=amount)
        .order_by("id")
        .first()
    )
    if same is not None:
        raise ValidationError(
            {
                "amount": [
                    EXPENSE_DUPLICATE
                    % {
                        "number": same.pk,
                        "paid_on": same.paid_on,
                        "payee": same.payee,
                        "amount": format_money(same.amount),
                        "day": same.recorded_at.date(),
                    }
                ]
            }
        )
    standing = _standing(Expense.objects.filter(project__fund_year=fund_year))
    problems = []
    for uploaded in files:
        earlier = (
            StoredFile.objects.filter(
                sha256=file_digest(uploaded), expense__in=standing.values("pk")
            )
            .select_related("expense__project")
            .order_by("id")
            .first()
        )
        if earlier is not None and earlier.expense is not None:
            expense = earlier.expense
            problems.append(
                str(
                    RECEIPT_DUPLICATE
                    % {
                        "name": rules.sanitise_filename(uploaded.name or ""),
                        "number": expense.pk,
                        "project": expense.project.title,
                        "paid_on": expense.paid_on,
                        "payee": expense.payee,
                        "amount": format_money(expense.amount),
                    }
                )
            )
    if problems:
        raise ValidationError({"files": problems})


def _refuse_classification(classification: ExpenseClass, paid_on: date) -> None:
    if not classification.applies_on(paid_on):
        raise ValidationError(
            {
                "classification": [
                    EXPENSE_CLASS_NOT_IN_FORCE
                    % {"name": gettext(classification.name), "day": paid_on}
                ]
            }
        )
    if not classification.is_allowed:
        raise ValidationError(
            {
                "classification": [
                    EXPENSE_CLASS_FORBIDDEN
                    % {
                        "name": gettext(classification.name),
                        "rule": gettext(classification.rule),
                    }
                ]
            }
        )


def expense_record(
    *,
    actor: User,
    project: Project,
    payee: str,
    paid_on: date,
    amount: Decimal,
    description: str,
    classification: ExpenseClass,
    files: Sequence[UploadedFile],
    today: date,
    payee_is_person: bool = False,
) -> tuple[Expense, list[str]]:
    """Record an expense with its receipts; return it and any warnings.

    Refused (A9): above the project's approved amount (with the figures), a
    duplicate (payee, amount and date on the project, or a receipt file
    already used in the fund year), or a forbidden classification. Words in
    the description only warn; the warnings are returned and shown to the
    reviewer at acceptance. The fund-year row is locked first, so two
    expenses on one project cannot both take its last room.
    """
    with transaction.atomic():
        fund_year = lock_fund_year(project.fund_year_id)
        project = Project.objects.select_for_update().get(pk=project.pk)
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
        _refuse_classification(classification, paid_on)
        amount = round_cents(amount)
        spent = selectors.project_spent(project)
        short = rules.expense_short_by(
            approved=project.reserved, spent=spent, amount=amount
        )
        if short:
            raise ValidationError(
                {
                    "amount": [
                        EXPENSE_OVER_APPROVED
                        % {
                            "approved": format_money(project.reserved),
                            "spent": format_money(spent),
                            "amount": format_money(amount),
                            "short": format_money(short),
                        }
                    ]
                }
            )
        _refuse_duplicates(
            project=project,
            fund_year=fund_year,
            payee=payee.strip(),
            paid_on=paid_on,
            amount=amount,
            files=list(files),
        )
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
            amount=amount,
            description=description.strip(),
            classification=classification,
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
    warnings = selectors.keyword_warnings([description, payee])
    if over:
        warnings.append(str(EXPENSE_OVERSPEND_WARNING % {"over": format_money(over)}))
    return expense, warnings


def expense_reverse(
    *, actor: User, expense: Expense, reason: str, today: date
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
            classification_id=expense.classification_id,
            reverses=expense,
            recorded_by=actor,
        )
        reversal.full_clean()
        reversal.save()
    return reversal
