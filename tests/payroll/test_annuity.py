"""Annuity services: plan versions, memberships, payroll contributions, caps,
postings, vesting, leaving, returns, and the reconciliation of the ledger."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from core.decimals import ZERO
from core.models import Position, Role, WorkerPosition
from payroll.annuity.selectors import (
    account_balance,
    annuity_vesting,
    balances,
    memberships_active_on,
)
from payroll.annuity.services.memberships import (
    annuity_membership_set,
    annuity_membership_sync,
)
from payroll.annuity.services.plans import annuity_plan_version_save
from payroll.annuity.services.postings import (
    annuity_cycle_post,
    annuity_entry_reverse,
    annuity_member_leave,
    common_account,
)
from payroll.annuity.services.returns import annuity_return_credit
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_start,
)
from payroll.models import (
    AnnuityAccount,
    AnnuityBase,
    AnnuityEntry,
    AnnuityMembership,
    AnnuityMembershipChange,
    AnnuityPlan,
    AnnuityPlanVersion,
    AnnuityReturn,
    LeavingReason,
    PayrollCycle,
    Payslip,
)
from payroll.rules.annuity import ANNUITY_EMPLOYER, ANNUITY_MEMBER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Part = AnnuityEntry.Part


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            cycle = payroll_cycle_start(**kwargs)
        cycle.refresh_from_db()
        return cycle

    return run


def _plan():
    return AnnuityPlan.objects.get(code="SECRETARY")


def _members_in(year, month):
    first = date(year, month, 1)
    return set(
        memberships_active_on(AnnuityPlan.objects.get(), first).values_list(
            "worker_id", flat=True
        )
    )


def _locked(city, start, year, month):
    cycle = start(year=year, month=month, actor=city["maker"])
    assert cycle.status == PayrollCycle.Status.COMPUTED, cycle.error
    payroll_cycle_approve(cycle=cycle, actor=city["checker"])
    return payroll_cycle_lock(cycle=cycle, actor=city["checker"])


# --- plan versions ------------------------------------------------------------


def _version(plan, **overrides):
    values = {
        "plan": plan,
        "effective_on": date(2027, 1, 1),
        "employer_rate": Decimal("0.08"),
        "member_rate": Decimal("0.04"),
    }
    values.update(overrides)
    return AnnuityPlanVersion(**values)


STEPS = [(y, Decimal(y) / 8) for y in range(1, 9)]


@pytest.mark.parametrize(
    ("employer", "member"),
    [("0.09", "0.02"), ("0.08", "0.05"), ("0.0801", "0.0399")],
)
def test_version_whose_rates_break_the_caps_is_refused(city, employer, member):
    version = _version(
        _plan(), employer_rate=Decimal(employer), member_rate=Decimal(member)
    )

    with pytest.raises(ValidationError, match="上限"):
        annuity_plan_version_save(version=version, steps=STEPS)
    assert not AnnuityPlanVersion.objects.filter(effective_on="2027-01-01").exists()


def test_version_at_the_caps_is_saved_with_its_steps(city):
    version = annuity_plan_version_save(version=_version(_plan()), steps=STEPS)

    assert version.terms().vesting_schedule[-1] == (8, Decimal("1"))
    assert version.vesting_steps.count() == 8


def test_version_vesting_beyond_eight_years_is_refused(city):
    steps = [(1, Decimal("0.5")), (9, Decimal("1"))]

    with pytest.raises(ValidationError, match="8"):
        annuity_plan_version_save(version=_version(_plan()), steps=steps)


def test_used_version_refuses_changes(city, start):
    start(year=2026, month=3, actor=city["maker"])
    version = AnnuityPlanVersion.objects.get(effective_on=date(2026, 1, 1))
    assert version.used_at is not None

    version.employer_rate = Decimal("0.07")
    with pytest.raises(ValidationError):
        annuity_plan_version_save(version=version)
    with pytest.raises(ValidationError):
        version.vesting_steps.first().delete()


# --- memberships --------------------------------------------------------------


def test_demo_secretaries_are_members_from_the_month_after_appointment(city):
    positions = WorkerPosition.objects.filter(position=Position.SECRETARY)

    assert AnnuityMembership.objects.count() == positions.count() > 0
    for position in positions:
        membership = position.annuity_membership
        assert membership.started_on.day == 1
        assert membership.started_on > position.started_on
        assert (membership.started_on - position.started_on).days <= 31
        assert membership.changes.get().action == "create"


def test_sync_is_idempotent_and_follows_the_end_of_the_position(city):
    plan = _plan()
    assert annuity_membership_sync(plan=plan) == {"created": 0, "updated": 0}
    position = WorkerPosition.objects.filter(position=Position.SECRETARY).first()
    position.ended_on = date(2026, 6, 15)
    position.save()

    assert annuity_membership_sync(plan=plan) == {"created": 0, "updated": 1}
    assert annuity_membership_sync(plan=plan) == {"created": 0, "updated": 0}
    membership = position.annuity_membership
    membership.refresh_from_db()
    assert membership.ended_on == date(2026, 6, 15)
    change = membership.changes.last()
    assert change.action == "sync"
    assert change.changes["ended_on"] == [None, "2026-06-15"]


def test_exception_by_hand_needs_a_reason_is_kept_and_survives_the_sync(city):
    plan = _plan()
    membership = AnnuityMembership.objects.first()
    actor = UserFactory(role=Role.CITY_STAFF)

    with pytest.raises(ValidationError):
        annuity_membership_set(
            plan=plan,
            worker=membership.worker,
            membership=membership,
            started_on=membership.started_on,
            ended_on=None,
            is_excluded=True,
            reason=" ",
            actor=actor,
        )
    annuity_membership_set(
        plan=plan,
        worker=membership.worker,
        membership=membership,
        started_on=membership.started_on,
        ended_on=None,
        is_excluded=True,
        reason="本人书面申请暂缓参加",
        actor=actor,
    )
    annuity_membership_sync(plan=plan)

    membership.refresh_from_db()
    assert membership.is_excluded
    assert membership.is_manual
    change = AnnuityMembershipChange.objects.filter(membership=membership).last()
    assert (change.actor, change.reason) == (actor, "本人书面申请暂缓参加")
    assert change.changes["is_excluded"] == [False, True]


# --- contributions in payroll -------------------------------------------------


def test_members_pay_their_part_and_the_employer_its_part(city, start):
    cycle = start(year=2026, month=3, actor=city["maker"])

    members = _members_in(2026, 3)
    assert members
    for payslip in cycle.payslips.all():
        codes = {line.code: line for line in payslip.pay_lines()}
        if payslip.worker_id not in members:
            assert ANNUITY_MEMBER not in codes
            continue
        base = AnnuityBase.objects.get(worker=payslip.worker, year=2026)
        assert base.source == AnnuityBase.Source.STANDARD_PAY
        member, employer = codes[ANNUITY_MEMBER], codes[ANNUITY_EMPLOYER]
        assert member.kind == "deduction"
        assert employer.kind == "employer"
        assert member.amount == (base.base * Decimal("0.04")).quantize(Decimal("0.01"))
        assert employer.amount == (base.base * Decimal("0.08")).quantize(
            Decimal("0.01")
        )
        assert Decimal(payslip.tax_ytd["other_deductions"]) == member.amount


def test_base_from_last_years_payslips_and_tax_deductible_cap(city, start):
    maker = city["maker"]
    # last year's payslips: a computed month moved back to 2025
    march = start(year=2026, month=3, actor=maker)
    march.payslips.update(year=2025)
    AnnuityBase.objects.all().delete()
    worker_id = min(_members_in(2026, 3))
    grosses = list(
        Payslip.objects.filter(worker_id=worker_id, year=2025).values_list(
            "gross", flat=True
        )
    )

    start(year=2026, month=1, actor=maker)

    base = AnnuityBase.objects.get(worker_id=worker_id, year=2026)
    assert base.source == AnnuityBase.Source.PAYSLIPS
    assert base.base == (sum(grosses) / len(grosses)).quantize(Decimal("0.01"))

    # a base above 3 × the city's average monthly wage (11,000): deductible
    # only 4% of 33,000
    other = max(_members_in(2026, 1) & _members_in(2026, 2))
    AnnuityBase.objects.update_or_create(
        plan=_plan(),
        worker_id=other,
        year=2026,
        defaults={"base": Decimal("40000.00"), "source": AnnuityBase.Source.MANUAL},
    )
    PayrollCycle.objects.filter(year=2026, month=1).update(status="locked")
    cycle = start(year=2026, month=2, actor=maker)
    payslip = cycle.payslips.get(worker_id=other)
    member = next(x for x in payslip.pay_lines() if x.code == ANNUITY_MEMBER)
    assert member.amount == Decimal("1600.00")
    assert member.params["deductible"] == "1320.00"
    january = Payslip.objects.get(worker_id=other, year=2026, month=1)
    assert Decimal(payslip.tax_ytd["other_deductions"]) == Decimal(
        january.tax_ytd["other_deductions"]
    ) + Decimal("1320.00")


def test_cycle_breaking_the_caps_fails_and_posts_nothing(city, start):
    worker_id = min(_members_in(2026, 3))
    AnnuityBase.objects.create(
        plan=_plan(),
        worker_id=worker_id,
        year=2026,
        base=Decimal("500000.00"),
        source=AnnuityBase.Source.MANUAL,
    )

    cycle = start(year=2026, month=3, actor=city["maker"])

    assert cycle.status == PayrollCycle.Status.FAILED
    assert "单位缴费合计" in cycle.error
    assert "单位和个人缴费合计" in cycle.error
    assert "12%" in cycle.error
    assert not AnnuityEntry.objects.exists()
    with pytest.raises(ValidationError):
        payroll_cycle_approve(cycle=cycle, actor=city["checker"])


# --- postings and the ledger --------------------------------------------------


def test_lock_posts_both_parts_once(city, start):
    cycle = _locked(city, start, 2026, 3)

    entries = AnnuityEntry.objects.filter(cycle=cycle)
    members = _members_in(2026, 3)
    assert entries.count() == 2 * len(members)
    assert {e.booked_on for e in entries} == {date(2026, 3, 31)}
    assert annuity_cycle_post(cycle) == 0
    assert entries.count() == 2 * len(members)


def test_entries_cannot_be_changed_or_deleted_only_reversed(city, start):
    _locked(city, start, 2026, 3)
    entry = AnnuityEntry.objects.filter(part=Part.MEMBER).first()

    entry.amount = Decimal("1.00")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AnnuityEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(ValidationError):
        AnnuityEntry.objects.filter(pk=entry.pk).delete()

    entry.refresh_from_db()
    reversal = annuity_entry_reverse(
        entry=entry, actor=city["checker"], reason="重复缴费"
    )
    assert reversal.amount == -entry.amount
    assert account_balance(entry.account)[Part.MEMBER] == ZERO
    with pytest.raises(ValidationError):
        annuity_entry_reverse(entry=entry, actor=None, reason="再次")
    with pytest.raises(ValidationError):
        annuity_entry_reverse(entry=reversal, actor=None, reason="再次")


# --- vesting and leaving ------------------------------------------------------


@pytest.fixture
def member_account(city):
    """A member since 2020-04-01 with 10,000.00 employer and 5,000.00 member
    money in the account."""
    membership = AnnuityMembership.objects.first()
    annuity_membership_set(
        plan=_plan(),
        worker=membership.worker,
        membership=membership,
        started_on=date(2020, 4, 1),
        ended_on=None,
        reason="补录任职日期",
        actor=None,
    )
    account = AnnuityAccount.objects.create(
        plan=_plan(), worker=membership.worker, opened_on=date(2020, 4, 1)
    )
    for part, amount in ((Part.EMPLOYER, "10000.00"), (Part.MEMBER, "5000.00")):
        AnnuityEntry.objects.create(
            account=account,
            part=part,
            kind=AnnuityEntry.Kind.CONTRIBUTION,
            booked_on=date(2020, 4, 30),
            amount=Decimal(amount),
        )
    return account, membership


@pytest.mark.parametrize(
    ("on", "vested"),
    [
        (date(2020, 5, 1), "0.00"),
        (date(2021, 3, 31), "0.00"),  # under one year: nothing
        (date(2021, 4, 1), "1250.00"),  # 12.5% per full year
        (date(2023, 4, 1), "3750.00"),
        (date(2028, 3, 31), "8750.00"),  # 7 full years
        (date(2028, 4, 1), "10000.00"),  # 100% at 8 years
        (date(2035, 1, 1), "10000.00"),
    ],
)
def test_vesting_follows_the_schedule(member_account, on, vested):
    account, _membership = member_account

    vesting = annuity_vesting(account=account, on=on)

    assert vesting.vested == Decimal(vested)
    assert vesting.vested + vesting.unvested == Decimal("10000.00")


@pytest.mark.parametrize("event", sorted(LeavingReason.values[:5]))
def test_each_immediate_vesting_event_vests_everything(member_account, event):
    account, membership = member_account

    vesting = annuity_vesting(account=account, on=date(2020, 6, 1), events=[event])
    forfeiture = annuity_member_leave(
        membership=membership, left_on=date(2020, 6, 1), reason=event, actor=None
    )

    assert vesting.vested == Decimal("10000.00")
    assert forfeiture.to_common_account == ZERO
    assert account_balance(account)[Part.EMPLOYER] == Decimal("10000.00")


def test_leaving_moves_the_unvested_part_to_the_common_account(member_account):
    account, membership = member_account

    forfeiture = annuity_member_leave(
        membership=membership,
        left_on=date(2023, 5, 15),
        reason=LeavingReason.RESIGNED,
        actor=None,
    )

    assert forfeiture.kept == Decimal("3750.00")
    assert forfeiture.to_common_account == Decimal("6250.00")
    common = common_account(account.plan)
    assert account_balance(account) == {
        Part.EMPLOYER: Decimal("3750.00"),
        Part.MEMBER: Decimal("5000.00"),  # the member's own part always vests
    }
    assert account_balance(common)[Part.EMPLOYER] == Decimal("6250.00")
    membership.refresh_from_db()
    assert membership.ended_on == date(2023, 5, 15)
    assert membership.changes.last().action == "leave"
    with pytest.raises(ValidationError):
        annuity_member_leave(
            membership=membership,
            left_on=date(2023, 6, 1),
            reason=LeavingReason.RESIGNED,
            actor=None,
        )


# --- returns and reconciliation -----------------------------------------------


def test_return_by_rate_is_shared_by_balance_remainder_to_common(city, start):
    _locked(city, start, 2026, 3)
    _locked(city, start, 2026, 4)
    before = balances(AnnuityAccount.objects.values_list("pk", flat=True))
    whole = sum((sum(p.values(), ZERO) for p in before.values()), ZERO)
    entry = AnnuityReturn.objects.create(
        plan=_plan(), year=2026, rate=Decimal("0.0337")
    )

    total = annuity_return_credit(annuity_return=entry)

    assert total == (whole * Decimal("0.0337")).quantize(Decimal("0.01"))
    credited = AnnuityEntry.objects.filter(annuity_return=entry)
    assert sum(e.amount for e in credited) == total
    for e in credited.exclude(account__worker=None):
        share = before[e.account_id][e.part] * total / whole
        # Cut down to the fen: the common account takes the rest, never less
        # than nothing.
        assert Decimal("0") <= share - e.amount < Decimal("0.01")
    with pytest.raises(ValidationError):
        annuity_return_credit(annuity_return=entry)


def test_return_by_amount_leaves_the_rounding_to_the_common_account(city):
    plan = _plan()
    workers = [m.worker for m in AnnuityMembership.objects.all()[:3]]
    for worker in workers:
        account = AnnuityAccount.objects.create(
            plan=plan, worker=worker, opened_on=date(2026, 1, 1)
        )
        AnnuityEntry.objects.create(
            account=account,
            part=Part.MEMBER,
            kind=AnnuityEntry.Kind.CONTRIBUTION,
            booked_on=date(2026, 1, 31),
            amount=Decimal("100.00"),
        )
    entry = AnnuityReturn.objects.create(plan=plan, year=2026, amount=Decimal("1.00"))

    annuity_return_credit(annuity_return=entry)

    credited = AnnuityEntry.objects.filter(annuity_return=entry)
    assert (
        sorted(e.amount for e in credited.exclude(account__worker=None))
        == [Decimal("0.33")] * 3
    )
    assert credited.get(account__worker=None).amount == Decimal("0.01")


def test_ledger_reconciles_with_payslips_contributions_and_returns(city, start):
    _locked(city, start, 2026, 3)
    _locked(city, start, 2026, 4)
    membership = AnnuityMembership.objects.filter(
        worker__annuity_accounts__isnull=False
    ).first()
    annuity_member_leave(
        membership=membership,
        left_on=date(2026, 4, 30),
        reason=LeavingReason.RESIGNED,
        actor=None,
    )
    entry = AnnuityReturn.objects.create(plan=_plan(), year=2026, rate=Decimal("0.041"))
    annuity_return_credit(annuity_return=entry)

    member_lines = employer_lines = ZERO
    for payslip in Payslip.objects.filter(cycle__status="locked"):
        for line in payslip.pay_lines():
            if line.code == ANNUITY_MEMBER:
                member_lines += line.amount
            if line.code == ANNUITY_EMPLOYER:
                employer_lines += line.amount
    contributions = AnnuityEntry.objects.filter(kind="contribution")
    assert member_lines == sum(e.amount for e in contributions.filter(part=Part.MEMBER))
    assert employer_lines == sum(
        e.amount for e in contributions.filter(part=Part.EMPLOYER)
    )
    accounts = list(AnnuityAccount.objects.all())
    by_account = balances([a.pk for a in accounts])
    for account in accounts:
        entries = AnnuityEntry.objects.filter(account=account)
        assert sum(by_account[account.pk].values()) == sum(e.amount for e in entries)
    everything = sum((sum(b.values(), ZERO) for b in by_account.values()), ZERO)
    assert everything == member_lines + employer_lines + entry.credited
    forfeits = AnnuityEntry.objects.filter(kind="forfeit")
    assert forfeits.count() in (0, 2)
    assert sum(e.amount for e in forfeits) == ZERO


def test_cycle_with_one_credit_above_five_times_the_average_fails(start):
    call_command(
        "seed_demo", "--communities", "8", "--workers-per-community", "4", "--seed", "5"
    )
    plan = AnnuityPlan.objects.get()
    members = sorted(_members_in(2026, 11))
    assert len(members) >= 6
    AnnuityBase.objects.create(
        plan=plan,
        worker_id=members[0],
        year=2026,
        base=Decimal("400000.00"),
        source=AnnuityBase.Source.MANUAL,
    )

    cycle = start(year=2026, month=11, actor=UserFactory(role=Role.FINANCE))

    assert cycle.status == PayrollCycle.Status.FAILED
    assert "倍" in cycle.error
    assert "人均单位缴费" in cycle.error


def test_annuity_lines_read_as_sentences():
    from payroll.explain.sentences import derivation
    from payroll.rules.annuity import (
        AnnuityPlanTerms,
        AnnuityTaxLimits,
        monthly_contributions,
    )

    terms = AnnuityPlanTerms(
        employer_rate=Decimal("0.08"),
        member_rate=Decimal("0.04"),
        employer_cap_rate=Decimal("0.08"),
        total_cap_rate=Decimal("0.12"),
        max_credit_ratio=Decimal("5"),
        vesting_schedule=((8, Decimal("1")),),
    )
    limits = AnnuityTaxLimits(Decimal("0.04"), Decimal("3"), Decimal("11000"))
    contribution = monthly_contributions(Decimal("40000.00"), terms, limits)

    member = derivation(contribution.member)
    employer = derivation(contribution.employer)

    assert "1,600.00" in member
    assert "1,320.00" in member
    assert "3,200.00" in employer


def test_a_member_paid_for_part_of_a_month_does_not_fail_the_cycle(city, start):
    """The caps are yearly rules on wages: a member paid for part of a month
    (with the yearly floor's top-up of her leaving month) stays within them."""
    from core.models import Worker
    from core.services import worker_save

    worker = Worker.objects.get(pk=sorted(_members_in(2026, 3))[0])
    worker.left_on = date(2026, 3, 10)
    worker_save(actor=None, worker=worker)

    cycle = start(year=2026, month=3, actor=city["maker"])

    assert cycle.status == PayrollCycle.Status.COMPUTED, cycle.error
    payslip = cycle.payslips.get(worker=worker)
    codes = {line.code: line for line in payslip.pay_lines()}
    assert codes["basic"].amount < Decimal(codes["basic"].params["full"])
    assert ANNUITY_EMPLOYER in codes


def test_a_base_stored_meanwhile_by_another_cycle_holds(city, start, monkeypatch):
    """Two cycles of one year computed at once (January and February
    catching up) both find a member without a base: the one stored first
    holds, and the second cycle computes with it instead of failing on the
    one-base-a-year constraint (seen with two Celery workers)."""
    from payroll.annuity import fetch

    original = fetch.previous_year_grosses
    stored = Decimal("9876.00")

    def another_cycle_stores_first(worker_ids, year):
        for worker_id in worker_ids:
            AnnuityBase.objects.create(
                plan=_plan(), worker_id=worker_id, year=year, base=stored,
                source=AnnuityBase.Source.MANUAL,
            )  # fmt: skip
        return original(worker_ids, year)

    monkeypatch.setattr(fetch, "previous_year_grosses", another_cycle_stores_first)
    cycle = start(year=2026, month=3, actor=city["maker"])

    assert cycle.status == PayrollCycle.Status.COMPUTED, cycle.error
    members = _members_in(2026, 3)
    member_slip = cycle.payslips.filter(worker_id__in=members).first()
    codes = {line.code: line for line in member_slip.pay_lines()}
    assert codes[ANNUITY_MEMBER].amount == (stored * Decimal("0.04")).quantize(
        Decimal("0.01")
    )
