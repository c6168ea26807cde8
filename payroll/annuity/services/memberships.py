"""Writes of the annuity: memberships follow the secretary positions (DOMAIN A8),
with exceptions by hand recorded as membership changes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from core.models import Position, User, Worker, WorkerPosition
from payroll.models.annuity import AnnuityMembership, AnnuityMembershipChange
from payroll.models.annuity_plans import AnnuityPlan
from payroll.rules import annuity as rules

REASON_REQUIRED = gettext_lazy("请填写调整原因。")
SYNC_REASON = "按书记任职同步"


def membership_change_record(
    membership: AnnuityMembership,
    *,
    action: str,
    reason: str,
    actor: User | None,
    changes: Mapping[str, object],
) -> None:
    AnnuityMembershipChange.objects.create(
        membership=membership,
        actor=actor,
        action=action,
        reason=reason,
        changes=changes,
    )


def iso_or_none(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _expected_dates(position: WorkerPosition) -> tuple[date, date | None]:
    start = rules.membership_start(position.started_on)
    ends = [d for d in (position.ended_on, position.worker.left_on) if d]
    return start, min(ends) if ends else None


def annuity_membership_sync_all() -> None:
    """Sync every plan's memberships (run when a payroll cycle starts)."""
    for plan in AnnuityPlan.objects.all():
        annuity_membership_sync(plan=plan)


@transaction.atomic
def annuity_membership_sync(*, plan: AnnuityPlan) -> dict[str, int]:
    """Make memberships follow the secretary positions (DOMAIN A8).

    A membership starts on the first day of the month after appointment and
    ends when the position ends or the worker leaves, whichever is first.
    Idempotent: a second run changes nothing. Memberships changed by hand
    (``is_manual``) are left alone. Returns counts of created and updated.
    """
    positions = WorkerPosition.objects.filter(
        position=Position.SECRETARY
    ).select_related("worker")
    existing = {
        m.position_id: m
        for m in AnnuityMembership.objects.filter(plan=plan, position__isnull=False)
    }
    created = updated = 0
    for position in positions:
        start, end = _expected_dates(position)
        membership = existing.get(position.pk)
        if membership is None:
            if end is not None and end < start:
                continue  # left within the month of appointment: never a member
            membership = AnnuityMembership.objects.create(
                plan=plan,
                worker=position.worker,
                position=position,
                started_on=start,
                ended_on=end,
            )
            membership_change_record(
                membership,
                action="create",
                reason=SYNC_REASON,
                actor=None,
                changes={
                    "started_on": iso_or_none(start),
                    "ended_on": iso_or_none(end),
                },
            )
            created += 1
            continue
        if membership.is_manual:
            continue
        if (membership.started_on, membership.ended_on) == (start, end):
            continue
        changes = {
            "started_on": [iso_or_none(membership.started_on), iso_or_none(start)],
            "ended_on": [iso_or_none(membership.ended_on), iso_or_none(end)],
        }
        membership.started_on = start
        membership.ended_on = end
        membership.is_excluded = end is not None and end < start
        membership.save(update_fields=["started_on", "ended_on", "is_excluded"])
        membership_change_record(
            membership, action="sync", reason=SYNC_REASON, actor=None, changes=changes
        )
        updated += 1
    return {"created": created, "updated": updated}


@transaction.atomic
def annuity_membership_set(
    *,
    plan: AnnuityPlan,
    worker: Worker,
    started_on: date,
    ended_on: date | None,
    is_excluded: bool = False,
    reason: str,
    actor: User,
    membership: AnnuityMembership | None = None,
) -> AnnuityMembership:
    """An exception by hand: add, change or exclude a membership, with a
    written reason. The sync leaves it alone from then on."""
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    if membership is None:
        membership = AnnuityMembership(plan=plan, worker=worker)
        before: dict[str, object] = {}
        action = "manual_create"
    else:
        membership = AnnuityMembership.objects.select_for_update().get(pk=membership.pk)
        before = {
            "started_on": iso_or_none(membership.started_on),
            "ended_on": iso_or_none(membership.ended_on),
            "is_excluded": membership.is_excluded,
        }
        action = "manual_change"
    membership.started_on = started_on
    membership.ended_on = ended_on
    membership.is_excluded = is_excluded
    membership.is_manual = True
    membership.note = reason.strip()[:300]
    membership.full_clean()
    membership.save()
    after = {
        "started_on": iso_or_none(started_on),
        "ended_on": iso_or_none(ended_on),
        "is_excluded": is_excluded,
    }
    membership_change_record(
        membership,
        action=action,
        reason=reason.strip()[:300],
        actor=actor,
        changes={k: [before.get(k), v] for k, v in after.items()},
    )
    return membership
