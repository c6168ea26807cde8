"""What a roster change does to pay, shown before it is saved (core.extensions).

``worker_previews`` runs inside core's rolled-back savepoint, so it reads the
changed worker like any other: the placement rule's level and its breakdown,
and the first month the next cycle would pay, line by line.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from core import clock
from core.extensions import Preview
from core.models import Worker
from payroll.explain.month import explain_month
from payroll.levels.checks import LevelChecker
from payroll.models import AnnuityAccount, AnnuityMembership, LeavingReason
from payroll.rules.earnings import days_worked
from payroll.scales.services import NO_SCALE_IN_FORCE

# core.services.LeaveReason → the annuity's reasons (which decide vesting).
LEAVING_REASONS = {
    "resigned": LeavingReason.RESIGNED,
    "retired": LeavingReason.RETIREMENT,
    "dismissed": LeavingReason.DISMISSED,
    "transferred": LeavingReason.LEFT_WITHOUT_OWN_FAULT,
    "deceased": LeavingReason.DEATH,
    "other": LeavingReason.RESIGNED,
}


def _first_paid_month(worker: Worker) -> date:
    """The first month a cycle pays: the joining month, or this month for
    someone who joined earlier (an existing worker entered late)."""
    today = clock.today()
    joined = worker.joined_on.replace(day=1)
    return max(joined, today.replace(day=1))


def level_checker(worker_ids: Iterable[int] = ()) -> Any:
    """core.extensions.level_checker: the placement rule's word on a level
    set by hand (payroll/levels/checks.py), tables and grades read once."""
    return LevelChecker(worker_ids=worker_ids).flag


def worker_level_check(worker: Worker) -> Any:
    """The rule's level for ``worker`` as she is now (the worker form's
    preview and the worker page)."""
    return LevelChecker(worker_ids=[worker.pk] if worker.pk else ()).check(
        worker_id=worker.pk,
        post=worker.post,
        level=worker.level,
        started_on=worker.started_on,
        joined_on=worker.joined_on,
        education=worker.education,
        certificates=[(c.kind, c.obtained_on) for c in worker.certificates.all()],
    )


def worker_previews(worker: Worker, actor: Any) -> list[Preview]:
    placement, error, check = None, "", None
    try:
        check = worker_level_check(worker)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if check is not None:
        placement = check.placement
    elif not error:
        error = str(NO_SCALE_IN_FORCE % {"day": worker.joined_on.isoformat()})
    month = _first_paid_month(worker)
    pay = explain_month(worker, month.year, month.month)
    return [
        Preview(
            template="payroll/includes/worker_preview.html",
            context={
                "worker": worker,
                "placement": placement,
                "check": check,
                "error": error,
                "month": month,
                "pay": pay,
            },
            order=20,
            proposed_level=placement.level if placement else None,
        )
    ]


def worker_leave_previews(worker: Worker, left_on: date, reason: str) -> list[Preview]:
    worked, total = days_worked(worker.joined_on, left_on, left_on.year, left_on.month)
    pay = explain_month(worker, left_on.year, left_on.month)
    membership = AnnuityMembership.objects.filter(
        worker=worker, ended_on__isnull=True, is_excluded=False
    ).first()
    annuity: dict[str, Any] = {}
    if membership is not None:
        annuity["member"] = True
        account = AnnuityAccount.objects.filter(
            plan_id=membership.plan_id, worker=worker
        ).first()
        if account is not None:
            from payroll.annuity.selectors import annuity_vesting

            event = LEAVING_REASONS.get(reason, LeavingReason.RESIGNED)
            try:
                vesting = annuity_vesting(account=account, on=left_on, events={event})
            except ValidationError:
                vesting = None
            annuity["vesting"] = vesting
            annuity["reason"] = event.label
    return [
        Preview(
            template="payroll/includes/worker_leave_preview.html",
            context={
                "left_on": left_on,
                "worked": worked,
                "total": total,
                "pay": pay,
                "annuity": annuity,
            },
            order=20,
        )
    ]
