"""Services of the secretaries' enterprise annuity (DOMAIN A8).

Plan versions, memberships (synced from the secretary position, exceptions
by hand with a reason), postings of locked cycles, the cap check of a
computed cycle, vesting, leaving (the unvested employer part to the common
account), reversals and yearly returns. Ledger entries are only ever added.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import clock
from core.decimals import ZERO
from core.models import Position, WorkerPosition
from payroll.annuity_compute import annuity_version_in_force
from payroll.models.annuity import (
    AnnuityAccount,
    AnnuityEntry,
    AnnuityMembership,
    AnnuityMembershipChange,
    AnnuityPlan,
    AnnuityPlanVersion,
    AnnuityReturn,
    AnnuityVestingStep,
    LeavingReason,
)
from payroll.models.cycles import PayrollCycle, Payslip
from payroll.rules import annuity as rules
from payroll.rules.annuity_returns import distribute_return, return_total

Part = AnnuityEntry.Part
Kind = AnnuityEntry.Kind

REASON_REQUIRED = "请填写调整原因。"
ALREADY_LEFT = "该成员已办理离开手续。"
ALREADY_REVERSED = "该分录已冲正。"
CANNOT_REVERSE = "冲正分录本身不能再冲正。"
RETURN_CREDITED = "%(year)s 年度收益已记入账户，不能重复记入；更正请冲正。"
INVALID_TERMS = "方案条款无效：%(error)s"
SYNC_REASON = "按书记任职同步"


# --- plan versions -----------------------------------------------------------


@transaction.atomic
def annuity_plan_version_save(
    *,
    version: AnnuityPlanVersion,
    steps: Iterable[tuple[int, Decimal]] | None = None,
) -> AnnuityPlanVersion:
    """Save a version (and replace its vesting steps), refusing one whose
    rates break the caps or whose terms the rules reject. A used version
    refuses any change (``UsedTableGuard``)."""
    version.full_clean()
    step_list = (
        sorted(steps)
        if steps is not None
        else (
            [(s.years, s.fraction) for s in version.vesting_steps.all()]
            if version.pk
            else []
        )
    )
    try:
        version.terms(step_list)
    except ValueError as exc:
        raise ValidationError(_(INVALID_TERMS) % {"error": exc}) from exc
    version.save()
    if steps is not None:
        for step in version.vesting_steps.all():
            step.delete()
        AnnuityVestingStep.objects.bulk_create(
            AnnuityVestingStep(version=version, years=y, fraction=f)
            for y, f in step_list
        )
    return version


def annuity_plan_demo_load() -> AnnuityPlan:
    """The demo plan of DOMAIN A8 (fixtures/payroll_annuity_reference.json)."""
    if not AnnuityPlan.objects.filter(code="SECRETARY").exists():
        call_command("loaddata", "payroll_annuity_reference", verbosity=0)
    return AnnuityPlan.objects.get(code="SECRETARY")


def annuity_version_mark_used(version: AnnuityPlanVersion) -> None:
    if version.used_at is None:
        version.used_at = clock.now()
        version.save(update_fields=["used_at"])


# --- memberships -------------------------------------------------------------


def _record(
    membership: AnnuityMembership,
    *,
    action: str,
    reason: str,
    actor: Any,
    changes: dict[str, Any],
) -> None:
    AnnuityMembershipChange.objects.create(
        membership=membership,
        actor=actor,
        action=action,
        reason=reason,
        changes=changes,
    )


def _iso(day: date | None) -> str | None:
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
            _record(
                membership,
                action="create",
                reason=SYNC_REASON,
                actor=None,
                changes={"started_on": _iso(start), "ended_on": _iso(end)},
            )
            created += 1
            continue
        if membership.is_manual:
            continue
        if (membership.started_on, membership.ended_on) == (start, end):
            continue
        changes = {
            "started_on": [_iso(membership.started_on), _iso(start)],
            "ended_on": [_iso(membership.ended_on), _iso(end)],
        }
        membership.started_on = start
        membership.ended_on = end
        membership.is_excluded = end is not None and end < start
        membership.save(update_fields=["started_on", "ended_on", "is_excluded"])
        _record(
            membership, action="sync", reason=SYNC_REASON, actor=None, changes=changes
        )
        updated += 1
    return {"created": created, "updated": updated}


@transaction.atomic
def annuity_membership_set(
    *,
    plan: AnnuityPlan,
    worker: Any,
    started_on: date,
    ended_on: date | None,
    is_excluded: bool = False,
    reason: str,
    actor: Any,
    membership: AnnuityMembership | None = None,
) -> AnnuityMembership:
    """An exception by hand: add, change or exclude a membership, with a
    written reason. The sync leaves it alone from then on."""
    if not reason.strip():
        raise ValidationError(_(REASON_REQUIRED))
    if membership is None:
        membership = AnnuityMembership(plan=plan, worker=worker)
        before: dict[str, Any] = {}
        action = "manual_create"
    else:
        membership = AnnuityMembership.objects.select_for_update().get(pk=membership.pk)
        before = {
            "started_on": _iso(membership.started_on),
            "ended_on": _iso(membership.ended_on),
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
        "started_on": _iso(started_on),
        "ended_on": _iso(ended_on),
        "is_excluded": is_excluded,
    }
    _record(
        membership,
        action=action,
        reason=reason.strip()[:300],
        actor=actor,
        changes={k: [before.get(k), v] for k, v in after.items()},
    )
    return membership


# --- accounts and balances ---------------------------------------------------


def common_account(plan: AnnuityPlan | int) -> AnnuityAccount:
    plan_id = plan if isinstance(plan, int) else plan.pk
    account, _created = AnnuityAccount.objects.get_or_create(
        plan_id=plan_id,
        worker=None,
        defaults={"opened_on": clock.today()},
    )
    return account


def balances(
    accounts: Iterable[int], on: date | None = None
) -> dict[int, dict[str, Decimal]]:
    """{account id: {part: balance}} summed in Python over the entries."""
    result: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {Part.EMPLOYER: ZERO, Part.MEMBER: ZERO}
    )
    entries = AnnuityEntry.objects.filter(account_id__in=list(accounts))
    if on is not None:
        entries = entries.filter(booked_on__lte=on)
    for account_id, part, amount in entries.values_list("account_id", "part", "amount"):
        result[account_id][part] += amount
    return result


def account_balance(account: AnnuityAccount, on: date | None = None) -> dict:
    return dict(balances([account.pk], on)[account.pk])


def membership_started_on(account: AnnuityAccount) -> date | None:
    """The start of the member's first membership of the plan."""
    return (
        AnnuityMembership.objects.filter(
            plan_id=account.plan_id, worker_id=account.worker_id, is_excluded=False
        )
        .order_by("started_on")
        .values_list("started_on", flat=True)
        .first()
    )


def annuity_vesting(
    *, account: AnnuityAccount, on: date, events: Iterable[str] = ()
) -> rules.Vesting:
    """The vested part of the account's employer money on ``on``."""
    employer = account_balance(account, on)[Part.EMPLOYER]
    started = membership_started_on(account) or on
    version = annuity_version_in_force(on) or annuity_version_in_force(date.max)
    if version is None:
        raise ValidationError(_("尚无企业年金方案。"))
    return rules.vested_employer_amount(
        employer,
        membership_started_on=started,
        on=on,
        terms=version.terms(),
        events=events,
    )


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
    """LOCK_HOOKS: post the members' and the employer's parts of a locked
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
    before = {"ended_on": _iso(membership.ended_on)}
    if membership.ended_on is None or membership.ended_on > left_on:
        membership.ended_on = max(left_on, membership.started_on)
    membership.leaving_reason = reason
    membership.is_manual = True
    membership.save(update_fields=["ended_on", "leaving_reason", "is_manual"])
    _record(
        membership,
        action="leave",
        reason=note or LeavingReason(reason).label,
        actor=actor,
        changes={
            "ended_on": [before["ended_on"], _iso(membership.ended_on)],
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


@transaction.atomic
def annuity_return_credit(*, annuity_return: AnnuityReturn) -> Decimal:
    """Credit a year's return to every account in proportion to its balance
    on 31 December, each part separately, rounded to the fen; the rounding
    remainder goes to the common account, so the credits sum to the return."""
    if AnnuityEntry.objects.filter(annuity_return=annuity_return).exists():
        raise ValidationError(_(RETURN_CREDITED) % {"year": annuity_return.year})
    year_end = date(annuity_return.year, 12, 31)
    common = common_account(annuity_return.plan_id)
    account_ids = list(
        AnnuityAccount.objects.filter(plan_id=annuity_return.plan_id).values_list(
            "pk", flat=True
        )
    )
    by_key: dict[tuple[int, str], Decimal] = {}
    for account_id, parts in balances(account_ids, year_end).items():
        for part, amount in parts.items():
            by_key[(account_id, part)] = amount
    common_key = (common.pk, Part.EMPLOYER)
    by_key.setdefault(common_key, ZERO)
    if annuity_return.rate is not None:
        total = return_total(sum(by_key.values(), ZERO), annuity_return.rate)
    else:
        total = annuity_return.amount
    shares = distribute_return(by_key, total, common_key)
    entries = [
        AnnuityEntry(
            account_id=account_id,
            part=part,
            kind=Kind.RETURN,
            booked_on=year_end,
            amount=amount,
            annuity_return=annuity_return,
            note=_("%(year)s 年度投资收益") % {"year": annuity_return.year},
            params={
                "balance": str(by_key[(account_id, part)]),
                "rate": str(annuity_return.rate or ""),
                "total": str(total),
            },
        )
        for (account_id, part), amount in shares.items()
        if amount
    ]
    AnnuityEntry.objects.bulk_create(entries, batch_size=2000)
    AnnuityReturn.objects.filter(pk=annuity_return.pk).update(credited=total)
    annuity_return.credited = total
    return total


def memberships_active_on(plan: AnnuityPlan, day: date) -> Any:
    return AnnuityMembership.objects.filter(
        plan=plan, started_on__lte=day, is_excluded=False
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
