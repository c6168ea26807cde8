"""Budget changes: a new approved amount for a project (A9).

The secretary proposes it with a reason and the council meeting that
discussed it; the street approves it, and the district too when the new
amount is above the threshold of the fund policy (the same threshold as
projects). The approval locks the fund-year row, as a project approval does,
so two changes racing for the last money cannot both pass.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from core import clock
from core.decimals import round_cents
from core.models import Role, User
from core.money import decimal_of, format_money
from funding import rules, selectors
from funding.models import (
    SPENDING_STATES,
    BudgetChange,
    CouncilMeeting,
    Project,
)
from funding.services._common import (
    COMMENT_REQUIRED,
    DATE_IN_FUTURE,
    lock_fund_year,
    require_open,
    require_scope,
    require_secretary,
)

CHANGE_STATE = gettext_lazy(
    "只有已批准、实施中或验收后重新打开的项目可以申请预算调整。"
)
CHANGE_PENDING = gettext_lazy("该项目已有一项预算调整待审批，请等审批后再申请。")
CHANGE_SAME = gettext_lazy("新批准金额与现批准金额 %(amount)s 元相同。")
CHANGE_BELOW_SPENT = gettext_lazy(
    "新批准金额 %(amount)s 元低于已支出的 %(spent)s 元，不能调低到这个数。"
)
CHANGE_NEEDS_MEETING = gettext_lazy(
    "预算调整须经党群议事会讨论同意；议事会结果为“同意”才能提交。"
)
CHANGE_OVERSPENDS = gettext_lazy(
    "预算调整增加 %(increase)s 元，超过本年度可用资金 %(available)s 元，不能批准。"
)
CHANGE_NOT_YOURS = gettext_lazy("您的角色不能审批这项预算调整（当前：%(status)s）。")
CHANGE_DECIDED = gettext_lazy("这项预算调整已经办结（%(status)s）。")


def budget_change_propose(
    *,
    actor: User,
    project: Project,
    new_amount: Decimal,
    reason: str,
    held_on: date,
    attendance: int,
    minutes: str,
    result: str,
    today: date,
) -> BudgetChange:
    """Record the proposal and the council meeting that discussed it."""
    with transaction.atomic():
        fund_year = lock_fund_year(project.fund_year_id)
        project = Project.objects.select_for_update().get(pk=project.pk)
        require_secretary(actor, fund_year.community_id)
        require_open(fund_year)
        if project.state not in SPENDING_STATES:
            raise ValidationError(CHANGE_STATE)
        if selectors.pending_budget_change(project) is not None:
            raise ValidationError(CHANGE_PENDING)
        new_amount = round_cents(new_amount)
        errors: dict[str, list[str]] = {}
        if not reason.strip():
            errors["reason"] = [str(COMMENT_REQUIRED)]
        if held_on > today:
            errors["held_on"] = [str(DATE_IN_FUTURE)]
        if result != CouncilMeeting.Result.PASSED:
            errors["result"] = [str(CHANGE_NEEDS_MEETING)]
        if new_amount == project.reserved:
            errors["new_amount"] = [
                str(CHANGE_SAME % {"amount": format_money(project.reserved)})
            ]
        spent = selectors.project_spent(project)
        if new_amount < spent:
            errors["new_amount"] = [
                str(
                    CHANGE_BELOW_SPENT
                    % {
                        "amount": format_money(new_amount),
                        "spent": format_money(spent),
                    }
                )
            ]
        if errors:
            raise ValidationError(errors)
        policy = selectors.policy_on(today).as_rule()
        change = BudgetChange(
            project=project,
            previous_amount=project.reserved,
            new_amount=new_amount,
            reason=reason.strip(),
            needs_district=rules.needs_district_approval(
                new_amount, policy.district_approval_threshold
            ),
            proposed_by=actor,
        )
        change.full_clean()
        change.save()
        meeting = CouncilMeeting(
            project=project,
            budget_change=change,
            held_on=held_on,
            attendance=attendance,
            minutes=minutes.strip(),
            result=result,
            recorded_by=actor,
        )
        meeting.full_clean()
        meeting.save()
    return change


DECIDER_ROLES = (Role.STREET_OFFICER, Role.DISTRICT_STAFF)


def budget_change_decider_check(actor: User, change: BudgetChange) -> None:
    """Only a street officer (then, above the threshold, district staff)
    decides a budget change: refused by role before anything is read."""
    expected = (
        Role.DISTRICT_STAFF
        if change.status == BudgetChange.Status.STREET_APPROVED
        else Role.STREET_OFFICER
    )
    # A change already decided is answered by the service ("已经办结").
    allowed = (expected,) if change.is_pending else DECIDER_ROLES
    if not actor.is_active or actor.role not in allowed:
        raise PermissionDenied(
            CHANGE_NOT_YOURS % {"status": change.get_status_display()}
        )


def _require_decider(actor: User, change: BudgetChange, community_id: int) -> None:
    expected = (
        Role.STREET_OFFICER
        if change.status == BudgetChange.Status.SUBMITTED
        else Role.DISTRICT_STAFF
    )
    if not change.is_pending:
        raise ValidationError(CHANGE_DECIDED % {"status": change.get_status_display()})
    if not actor.is_active or actor.role != expected:
        raise PermissionDenied(
            CHANGE_NOT_YOURS % {"status": change.get_status_display()}
        )
    require_scope(actor, community_id)


def budget_change_approve(
    *, actor: User, change: BudgetChange, today: date, comment: str = ""
) -> BudgetChange:
    """The street's (then, above the threshold, the district's) approval.

    The final approval sets the project's approved amount, if the increase
    fits in what the fund year has available (checked under the row lock).
    """
    with transaction.atomic():
        project = Project.objects.get(pk=change.project_id)
        fund_year = lock_fund_year(project.fund_year_id)
        project = Project.objects.select_for_update().get(pk=project.pk)
        change = BudgetChange.objects.select_for_update().get(pk=change.pk)
        _require_decider(actor, change, fund_year.community_id)
        require_open(fund_year)
        if project.state not in SPENDING_STATES:
            raise ValidationError(CHANGE_STATE)
        if change.status == BudgetChange.Status.SUBMITTED and change.needs_district:
            change.status = BudgetChange.Status.STREET_APPROVED
            change.street_approved_by = actor
            change.comment = comment.strip()
            change.save(update_fields=["status", "street_approved_by", "comment"])
            return change
        figures = selectors.fund_year_figures(fund_year)
        new_amount = decimal_of(change.new_amount)
        if not rules.budget_change_fits(
            available=figures.available,
            previous=project.reserved,
            new=new_amount,
        ):
            raise ValidationError(
                CHANGE_OVERSPENDS
                % {
                    "increase": format_money(new_amount - project.reserved),
                    "available": format_money(figures.available),
                }
            )
        if new_amount < selectors.project_spent(project):
            raise ValidationError(
                CHANGE_BELOW_SPENT
                % {
                    "amount": format_money(new_amount),
                    "spent": format_money(selectors.project_spent(project)),
                }
            )
        # The amount approved may have moved since the proposal was made.
        change.previous_amount = project.reserved
        change.status = BudgetChange.Status.APPROVED
        change.decided_by = actor
        change.decided_at = clock.now()
        if comment.strip():
            change.comment = comment.strip()
        change.save(
            update_fields=[
                "previous_amount",
                "status",
                "decided_by",
                "decided_at",
                "comment",
            ]
        )
        project.reserved = new_amount
        project.save(update_fields=["reserved"])
    return change


def budget_change_refuse(
    *, actor: User, change: BudgetChange, comment: str
) -> BudgetChange:
    with transaction.atomic():
        change = BudgetChange.objects.select_for_update().get(pk=change.pk)
        project = Project.objects.select_related("fund_year").get(pk=change.project_id)
        _require_decider(actor, change, project.fund_year.community_id)
        if not comment.strip():
            raise ValidationError({"comment": [COMMENT_REQUIRED]})
        change.status = BudgetChange.Status.REFUSED
        change.decided_by = actor
        change.decided_at = clock.now()
        change.comment = comment.strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    return change


def budget_change_withdraw(*, actor: User, change: BudgetChange) -> BudgetChange:
    with transaction.atomic():
        change = BudgetChange.objects.select_for_update().get(pk=change.pk)
        project = Project.objects.select_related("fund_year").get(pk=change.project_id)
        require_secretary(actor, project.fund_year.community_id)
        if not change.is_pending:
            raise ValidationError(
                CHANGE_DECIDED % {"status": change.get_status_display()}
            )
        change.status = BudgetChange.Status.WITHDRAWN
        change.decided_by = actor
        change.decided_at = clock.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
    return change
