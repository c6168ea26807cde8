"""Postings of the secretaries' enterprise annuity (DOMAIN A8).

A chunk's member figures, the cap check of a computed cycle, the postings
of a locked cycle, reversals, and a member leaving (the unvested employer
part to the common account). Ledger entries are only ever added.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.decimals import ZERO
from payroll.annuity.fetch import annuity_version_in_force
from payroll.annuity.selectors import account_balance, membership_started_on
from payroll.annuity.services.memberships import (
    REASON_REQUIRED,
    iso_or_none,
    membership_change_record,
)
from payroll.models.annuity import (
    AnnuityAccount,
    AnnuityEntry,
    AnnuityMembership,
    AnnuityPlan,
    LeavingReason,
)
from payroll.models.cycles import PayrollCycle, Payslip
from payroll.rules import annuity as rules

Part = AnnuityEntry.Part
Kind = AnnuityEntry.Kind

ALREADY_LEFT = "该成员已办理离开手续。"
ALREADY_REVERSED = "该分录已冲正。"
CANNOT_REVERSE = "冲正分录本身不能再冲正。"


# --- plan versions -----------------------------------------------------------


# --- memberships -------------------------------------------------------------


# --- accounts and balances ---------------------------------------------------


def common_account(plan: AnnuityPlan | int) -> AnnuityAccount:
    plan_id = plan if isinstance(plan, int) else plan.pk
    account, _created = AnnuityAccount.objects.get_or_create(
        plan_id=plan_id,
        worker=None,
        defaults={"opened_on": clock.today()},
    )
    return account


# --- postings of a locked cycle ----------------------------------------------


def _member_payslips(cycle: PayrollCycle) -> list[tuple[int, int, Any, list]]:
    """(payslip id, worker id, gross, lines) of the cycle's payslips that may
    carry annuity lines: those of workers with any membership."""
    members = AnnuityMembership.objects.values("worker_id")
    return list(
        Payslip.objects.filter(cycle=cycle, worker_id__in=members).values_list(
            "pk", "worker_id", "gross", "lines"
        )
    )


def _annuity_amounts(lines: list) -> tuple[Decimal, Decimal, dict]:
    member = employer = ZERO
    params: dict[str, Any] = {}
    for code, _kind, amount, _rule, _version, line_params in lines:
        if code == rules.ANNUITY_MEMBER:
            member += Decimal(amount)
            params = line_params
        elif code == rules.ANNUITY_EMPLOYER:
            employer += Decimal(amount)
    return member, employer, params


def annuity_chunk_figures(results: Iterable[Any]) -> list[list[Any]]:
    """[worker id, gross, employer, member] of the members among a chunk's
    payslip results, kept on the chunk for the cap check."""
    figures = []
    for worker_id, _community_id, result in results:
        employer = member = None
        for line in result.lines:
            if line.code == rules.ANNUITY_MEMBER:
                member = line.amount
            elif line.code == rules.ANNUITY_EMPLOYER:
                employer = line.amount
        # The caps are yearly rules on wages. Month by month they are taken on
        # the month's full-time pay (each earnings line before proration), so
        # a member paid for part of a month does not fail the cycle while a
        # contribution out of proportion to pay still does.
        full = [
            Decimal(line.params["full"])
            for line in result.lines
            if "full" in line.params
        ]
        wages = sum(full, Decimal("0.00")) if full else result.gross
        if member is not None or employer is not None:
            figures.append(
                [worker_id, str(wages), str(employer or 0), str(member or 0)]
            )
    return figures


def annuity_cycle_check(cycle: PayrollCycle) -> list[rules.CapViolation]:
    """The plan caps over the cycle's members (《企业年金办法》, DOMAIN A8):
    employer ≤ 8% and employer + member ≤ 12% of the members' full-time pay of
    the month (the yearly rule taken month by month), no employer credit above
    5× the average. Reads the figures the chunks kept, not the payslips."""
    rows = [
        row
        for figures in cycle.chunks.values_list("annuity", flat=True)
        for row in figures or ()
    ]
    if not rows:
        return []
    version = annuity_version_in_force(date(cycle.year, cycle.month, 1))
    if version is None:
        return []
    from core.models import Worker

    names = dict(
        Worker.objects.filter(pk__in=[r[0] for r in rows]).values_list(
            "pk", "full_name"
        )
    )
    periods = [
        rules.MemberPeriod(
            member=names.get(worker_id, str(worker_id)),
            wages=Decimal(gross),
            employer_contribution=Decimal(employer),
            member_contribution=Decimal(member),
        )
        for worker_id, gross, employer, member in rows
    ]
    return rules.check_caps(periods, version.terms())


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
    AnnuityEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


# --- corrections, leaving, returns -------------------------------------------


@transaction.atomic
def annuity_entry_reverse(
    *, entry: AnnuityEntry, actor: Any, reason: str, on: date | None = None
) -> AnnuityEntry:
    """Correct an entry by a reversing entry of the opposite amount."""
    if not reason.strip():
        raise ValidationError(_(REASON_REQUIRED))
    entry = AnnuityEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == Kind.REVERSAL:
        raise ValidationError(_(CANNOT_REVERSE))
    if AnnuityEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_(ALREADY_REVERSED))
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
    actor: Any,
    note: str = "",
) -> rules.Forfeiture | None:
    """A member leaves (DOMAIN A8, Part B 5): the membership ends, and the
    employer part not vested on ``left_on`` (by the schedule, or all of it
    on an immediate-vesting ``reason``) moves to the plan's common account
    with an entry on both sides. Returns the forfeiture (None: no account)."""
    membership = AnnuityMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.leaving_reason:
        raise ValidationError(_(ALREADY_LEFT))
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
        reason=note or LeavingReason(reason).label,
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
    employer = account_balance(account, left_on)[Part.EMPLOYER]
    version = annuity_version_in_force(left_on) or annuity_version_in_force(date.max)
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
