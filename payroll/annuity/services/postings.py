"""Postings of the secretaries' enterprise annuity (DOMAIN A8).

The postings of a locked cycle, reversals, and a member leaving (the unvested
employer part to the common account). Ledger entries are only ever added. A
chunk's member figures and the cap check come before, in ``figures.py``.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.models import User
from payroll.annuity.fetch import annuity_version_in_force
from payroll.annuity.selectors import account_balance, membership_started_on
from payroll.annuity.services.figures import (
    Kind,
    Part,
    _annuity_amounts,
    _member_payslips,
)
from payroll.annuity.services.memberships import (
    REASON_REQUIRED,
    iso_or_none,
    membership_change_record,
)
from payroll.models.annuity import AnnuityAccount, AnnuityEntry, AnnuityMembership
from payroll.models.annuity_plans import AnnuityPlan, AnnuityPlanVersion, LeavingReason
from payroll.models.cycles import PayrollCycle
from payroll.rules import annuity as rules

ALREADY_LEFT = gettext_lazy("该成员已办理离开手续。")
ALREADY_REVERSED = gettext_lazy("该分录已冲正。")
CANNOT_REVERSE = gettext_lazy("冲正分录本身不能再冲正。")


# --- accounts and balances ---------------------------------------------------


def common_account(plan: AnnuityPlan | int) -> AnnuityAccount:
    plan_id = plan if isinstance(plan, int) else plan.pk
    account, _created = AnnuityAccount.objects.get_or_create(
        plan_id=plan_id,
        worker=None,
        defaults={"opened_on": clock.today()},
    )
    return account


def annuity_cycle_post(cycle: PayrollCycle) -> int:
    """On locking a cycle: post the members' and the employer's parts of a locked
    cycle to the individual accounts, dated the last day of the month.
    Idempotent; returns the number of entries."""
    if AnnuityEntry.objects.filter(cycle=cycle).exists():
        return 0
    version = annuity_version_in_force(date(cycle.year, cycle.month, 1))
    rows = _member_payslips(cycle)
    if version is None or not rows:
        return 0
    plan_id = version.plan_id
    last = date(
        cycle.year, cycle.month, calendar.monthrange(cycle.year, cycle.month)[1]
    )
    amounts = {}
    for payslip_id, worker_id, _gross, lines in rows:
        member, employer, params = _annuity_amounts(lines)
        if member or employer:
            amounts[worker_id] = (payslip_id, member, employer, params)
    accounts = dict(
        AnnuityAccount.objects.filter(
            plan_id=plan_id, worker_id__in=list(amounts)
        ).values_list("worker_id", "pk")
    )
    new = [
        AnnuityAccount(
            plan_id=plan_id, worker_id=w, opened_on=date(cycle.year, cycle.month, 1)
        )
        for w in amounts
        if w not in accounts
    ]
    if new:
        # Two cycles of different months locked at once may open the same
        # member's account; the unique constraint keeps one.
        AnnuityAccount.objects.bulk_create(new, ignore_conflicts=True)
        accounts = dict(
            AnnuityAccount.objects.filter(
                plan_id=plan_id, worker_id__in=list(amounts)
            ).values_list("worker_id", "pk")
        )
    entries = []
    # The stored note is the ledger's record; pages and statements say it in
    # the reader's language from the entry's kind and period.
    note = f"{cycle.period} 工资缴费"
    for worker_id, (payslip_id, member, employer, params) in amounts.items():
        base = {"base": params.get("base", ""), "period": cycle.period}
        for part, amount in ((Part.EMPLOYER, employer), (Part.MEMBER, member)):
            if amount:
                entries.append(
                    AnnuityEntry(
                        account_id=accounts[worker_id],
                        part=part,
                        kind=Kind.CONTRIBUTION,
                        booked_on=last,
                        amount=amount,
                        cycle=cycle,
                        payslip_id=payslip_id,
                        note=note,
                        params=base,
                    )
                )
    entries.extend(
        _forfeit_after_leaving(
            plan_id=plan_id,
            version=version,
            accounts=accounts,
            employer={w: a[2] for w, a in amounts.items() if a[2]},
            first=date(cycle.year, cycle.month, 1),
            note=note,
        )
    )
    AnnuityEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _forfeit_after_leaving(
    *,
    plan_id: int,
    version: AnnuityPlanVersion,
    accounts: dict[int, int],
    employer: dict[int, Decimal],
    first: date,
    note: str,
) -> list[AnnuityEntry]:
    """DOMAIN A8: employer contributions of months up to the leaving date,
    posted after the leaving was recorded, forfeit their unvested part at
    once, by the vesting on the leaving date (entries on both sides)."""
    left = list(
        AnnuityMembership.objects.filter(
            plan_id=plan_id,
            worker_id__in=list(employer),
            ended_on__gte=first,
        ).exclude(leaving_reason="")
    )
    entries: list[AnnuityEntry] = []
    common = None
    terms = version.terms()
    # Vesting counts from the first membership of the plan, as on leaving.
    first_started: dict[int, date] = {}
    for worker_id, started_on in (
        AnnuityMembership.objects.filter(
            plan_id=plan_id,
            worker_id__in=[m.worker_id for m in left],
            is_excluded=False,
        )
        .order_by("started_on")
        .values_list("worker_id", "started_on")
    ):
        first_started.setdefault(worker_id, started_on)
    for membership in left:
        left_on = membership.ended_on
        if left_on is None:  # not reached: filtered on ended_on above
            continue
        amount = employer[membership.worker_id]
        forfeiture = rules.forfeit_on_leaving(
            amount,
            membership_started_on=first_started.get(
                membership.worker_id, membership.started_on
            ),
            left_on=left_on,
            terms=terms,
            events={membership.leaving_reason},
        )
        if not forfeiture.to_common_account:
            continue
        common = common or common_account(plan_id)
        params = {
            **forfeiture.vesting.params,
            "reason": membership.leaving_reason,
            "posted": note,
        }
        text = _("离开后记入的单位缴费未归属部分转入企业账户")
        account_id = accounts[membership.worker_id]
        entries += [
            AnnuityEntry(
                account_id=account_id,
                part=Part.EMPLOYER,
                kind=Kind.FORFEIT,
                booked_on=left_on,
                amount=-forfeiture.to_common_account,
                note=text,
                params=params,
            ),
            AnnuityEntry(
                account=common,
                part=Part.EMPLOYER,
                kind=Kind.FORFEIT,
                booked_on=left_on,
                amount=forfeiture.to_common_account,
                note=text,
                params={**params, "from_account": account_id},
            ),
        ]
    return entries


# --- corrections, leaving, returns -------------------------------------------


@transaction.atomic
def annuity_entry_reverse(
    *, entry: AnnuityEntry, actor: User, reason: str, on: date | None = None
) -> AnnuityEntry:
    """Correct an entry by a reversing entry of the opposite amount."""
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    entry = AnnuityEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == Kind.REVERSAL:
        raise ValidationError(CANNOT_REVERSE)
    if AnnuityEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(ALREADY_REVERSED)
    reversal = AnnuityEntry(
        account_id=entry.account_id,
        part=entry.part,
        kind=Kind.REVERSAL,
        booked_on=on or clock.today(),
        amount=-entry.amount,
        reverses=entry,
        cycle=entry.cycle,
        note=reason.strip()[:300],
        params={"reverses": entry.pk},
        created_by=actor,
    )
    reversal.save()
    return reversal


@transaction.atomic
def annuity_member_leave(
    *,
    membership: AnnuityMembership,
    left_on: date,
    reason: str,
    actor: User | None,
    note: str = "",
) -> rules.Forfeiture | None:
    """A member leaves (DOMAIN A8, Part B 5): the membership ends, and the
    employer part not vested on ``left_on`` (by the schedule, or all of it
    on an immediate-vesting ``reason``) moves to the plan's common account
    with an entry on both sides. Returns the forfeiture (None: no account)."""
    membership = AnnuityMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.leaving_reason:
        raise ValidationError(ALREADY_LEFT)
    if reason not in LeavingReason.values:
        raise ValidationError(_("离开原因无效。"))
    before = {"ended_on": iso_or_none(membership.ended_on)}
    if membership.ended_on is None or membership.ended_on > left_on:
        membership.ended_on = max(left_on, membership.started_on)
    membership.leaving_reason = reason
    membership.is_manual = True
    membership.save(update_fields=["ended_on", "leaving_reason", "is_manual"])
    membership_change_record(
        membership,
        action="leave",
        reason=note or str(LeavingReason(reason).label),
        actor=actor,
        changes={
            "ended_on": [before["ended_on"], iso_or_none(membership.ended_on)],
            "leaving_reason": reason,
        },
    )
    account = AnnuityAccount.objects.filter(
        plan_id=membership.plan_id, worker_id=membership.worker_id
    ).first()
    if account is None:
        return None
    account = AnnuityAccount.objects.select_for_update().get(pk=account.pk)
    # The leaving month's contribution is booked on its last day: it belongs
    # to a month up to the leaving date, so it is counted (DOMAIN A8).
    month_end = date(
        left_on.year, left_on.month, calendar.monthrange(left_on.year, left_on.month)[1]
    )
    employer = account_balance(account, month_end)[Part.EMPLOYER]
    version = annuity_version_in_force(left_on) or annuity_version_in_force(date.max)
    if version is None:
        raise ValidationError(_("尚无企业年金方案。"))
    forfeiture = rules.forfeit_on_leaving(
        employer,
        membership_started_on=membership_started_on(account) or membership.started_on,
        left_on=left_on,
        terms=version.terms(),
        events={reason},
    )
    amount = forfeiture.to_common_account
    if amount:
        common = common_account(membership.plan_id)
        params = dict(forfeiture.vesting.params)
        params["reason"] = reason
        text = _("离开未归属部分转入企业账户")
        AnnuityEntry.objects.bulk_create(
            [
                AnnuityEntry(
                    account=account,
                    part=Part.EMPLOYER,
                    kind=Kind.FORFEIT,
                    booked_on=left_on,
                    amount=-amount,
                    note=text,
                    params=params,
                    created_by=actor,
                ),
                AnnuityEntry(
                    account=common,
                    part=Part.EMPLOYER,
                    kind=Kind.FORFEIT,
                    booked_on=left_on,
                    amount=amount,
                    note=f"{text}：{account.worker}",
                    params={**params, "from_account": account.pk},
                    created_by=actor,
                ),
            ]
        )
    return forfeiture
