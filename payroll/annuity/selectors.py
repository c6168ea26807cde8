"""Reads of the annuity: who sees which account, statements, summaries and the
15,000 yuan target report (DOMAIN A8). Balances are Python sums over entries; the
target report is summed by the database, one grouped query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import gettext as _

from core.decimals import ZERO, round_cents
from core.models import User
from core.selectors import (
    UserOrAnonymous,
    member_account_filter,
    scope_filter,
    user_sees_plan_figures,
)
from payroll.annuity.fetch import annuity_version_in_force
from payroll.models.annuity import AnnuityAccount, AnnuityEntry, AnnuityMembership
from payroll.models.annuity_plans import AnnuityPlan
from payroll.rules import annuity as rules

Part = AnnuityEntry.Part
Kind = AnnuityEntry.Kind


def annuity_account_list_visible_to(
    *, user: UserOrAnonymous
) -> QuerySet[AnnuityAccount]:
    accounts = AnnuityAccount.objects.filter(worker__isnull=False).select_related(
        "plan", "worker__community__street__district"
    )
    return member_account_filter(accounts, user, "worker__community")


def own_membership(user: UserOrAnonymous) -> AnnuityMembership | None:
    """A secretary's own latest membership (she may have no account yet)."""
    if not isinstance(user, User) or not user.worker_id:
        return None
    return (
        AnnuityMembership.objects.filter(worker_id=user.worker_id)
        .order_by("-started_on")
        .first()
    )


def user_sees_annuity_plan(user: UserOrAnonymous) -> bool:
    return user_sees_plan_figures(user)


@dataclass
class YearRow:
    year: int
    employer: Decimal = ZERO
    member: Decimal = ZERO
    returns: Decimal = ZERO
    forfeited: Decimal = ZERO
    reversals: Decimal = ZERO


@dataclass
class Statement:
    account: AnnuityAccount
    on: date
    employer: Decimal
    member: Decimal
    total: Decimal
    vesting: rules.Vesting
    vested_total: Decimal
    entries: list[AnnuityEntry]
    years: list[YearRow] = field(default_factory=list)
    memberships: list[AnnuityMembership] = field(default_factory=list)


def account_statement(account: AnnuityAccount, on: date) -> Statement:
    """Balances by part on ``on``, the vested amount, the ledger, and
    contributions and returns by year."""
    reversed_ids = set(
        AnnuityEntry.objects.filter(
            account=account, reverses__isnull=False
        ).values_list("reverses_id", flat=True)
    )
    entries = list(
        AnnuityEntry.objects.filter(account=account)
        .select_related("cycle", "reverses")
        .order_by("booked_on", "pk")
    )
    for e in entries:
        e.reversed_by_id = e.pk if e.pk in reversed_ids else None
    booked = [e for e in entries if e.booked_on <= on]
    employer = sum((e.amount for e in booked if e.part == Part.EMPLOYER), ZERO)
    member = sum((e.amount for e in booked if e.part == Part.MEMBER), ZERO)
    years: dict[int, YearRow] = {}
    for e in entries:
        row = years.setdefault(e.booked_on.year, YearRow(e.booked_on.year))
        if e.kind == Kind.CONTRIBUTION:
            if e.part == Part.EMPLOYER:
                row.employer += e.amount
            else:
                row.member += e.amount
        elif e.kind == Kind.RETURN:
            row.returns += e.amount
        elif e.kind == Kind.FORFEIT:
            row.forfeited += e.amount
        else:
            row.reversals += e.amount
    vesting = annuity_vesting(account=account, on=on)
    # The plan's common account belongs to no member.
    memberships = (
        list(
            AnnuityMembership.objects.filter(
                plan_id=account.plan_id, worker_id=account.worker_id
            )
            .prefetch_related("changes__actor")
            .order_by("started_on")
        )
        if account.worker_id is not None
        else []
    )
    return Statement(
        account=account,
        on=on,
        employer=employer,
        member=member,
        total=employer + member,
        vesting=vesting,
        vested_total=vesting.vested + member,
        entries=entries,
        years=[years[y] for y in sorted(years)],
        memberships=memberships,
    )


def plan_summary(plan: AnnuityPlan, on: date) -> dict[str, object]:
    accounts = list(
        AnnuityAccount.objects.filter(plan=plan).values_list("pk", flat=True)
    )
    common = AnnuityAccount.objects.filter(plan=plan, worker=None).first()
    common_pk = common.pk if common else None
    by_account = balances(accounts)
    employer = member = common_balance = ZERO
    for account_id, parts in by_account.items():
        if account_id == common_pk:
            common_balance = sum(parts.values(), ZERO)
            continue
        employer += parts[Part.EMPLOYER]
        member += parts[Part.MEMBER]
    return {
        "plan": plan,
        "version": annuity_version_in_force(on),
        "versions": list(plan.versions.prefetch_related("vesting_steps")),
        "members": memberships_active_on(plan, on).count(),
        "accounts": len(accounts) - (1 if common else 0),
        "employer": employer,
        "member": member,
        "common": common_balance,
        "total": employer + member + common_balance,
        "returns": list(plan.returns.all()),
    }


@dataclass
class TargetRow:
    code: str
    name: str
    members: int = 0
    yearly_base: Decimal = ZERO
    contributions: Decimal = ZERO
    average_base: Decimal = ZERO
    average_contribution: Decimal = ZERO
    meets_target: bool = False


def target_report(
    *, plan: AnnuityPlan, year: int, user: UserOrAnonymous
) -> tuple[list[TargetRow], TargetRow, Decimal]:
    """The average yearly contribution base per secretary, by district, against
    the plan's target (无锡: 年均缴费基数1.5万元以上, DOMAIN A8 / Part B 5).

    A member's yearly base is the sum of the monthly bases of her member
    contributions booked in the year (reversed ones left out). Since the text
    is ambiguous (base or amount), the yearly contribution (employer +
    member) is shown too.
    """
    # One grouped query: the district's distinct members, its contributions and
    # the monthly bases of its member contributions (a blank base left out),
    # summed by the database rather than over every posting in Python.
    money: DecimalField = DecimalField(max_digits=14, decimal_places=2)
    base = Cast(NullIf(KeyTextTransform("base", "params"), Value("")), money)
    reversed_entries = AnnuityEntry.objects.filter(reverses=OuterRef("pk"))
    district = "account__worker__community__street__district"
    grouped = (
        scope_filter(
            AnnuityEntry.objects.filter(
                account__plan=plan,
                kind=Kind.CONTRIBUTION,
                booked_on__range=(date(year, 1, 1), date(year, 12, 31)),
                account__worker__isnull=False,
            ).filter(~Exists(reversed_entries)),
            user,
            "account__worker__community",
        )
        .order_by()
        .values_list(f"{district}__code", f"{district}__name")
        .annotate(
            members=Count("account__worker_id", distinct=True),
            contributions=Coalesce(Sum("amount"), Value(ZERO), output_field=money),
            yearly_base=Coalesce(
                Sum(base, filter=Q(part=Part.MEMBER)),
                Value(ZERO),
                output_field=money,
            ),
        )
    )
    groups: dict[tuple[str, str], TargetRow] = {
        (code, name): TargetRow(
            code,
            name,
            members=members,
            yearly_base=yearly_base,
            contributions=contributions,
        )
        for code, name, members, contributions, yearly_base in grouped
    }
    version = annuity_version_in_force(date(year, 12, 31))
    target = version.target_yearly_base if version else Decimal("15000.00")
    total = TargetRow("", "")
    rows = []
    for key in sorted(groups):
        row = groups[key]
        total.members += row.members
        total.yearly_base += row.yearly_base
        total.contributions += row.contributions
        rows.append(row)
    for row in [*rows, total]:
        if row.members:
            row.average_base = round_cents(row.yearly_base / row.members)
            row.average_contribution = round_cents(row.contributions / row.members)
        row.meets_target = row.average_base > target
    return rows, total, target


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
    if account.worker_id is None:
        return None  # the plan's common account
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


def memberships_active_on(plan: AnnuityPlan, day: date) -> QuerySet[AnnuityMembership]:
    return AnnuityMembership.objects.filter(
        plan=plan, started_on__lte=day, is_excluded=False
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
