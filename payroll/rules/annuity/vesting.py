"""Vesting of the employer part (within at most 8 years, in full on the
statutory events) and what a leaving member forfeits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.decimals import round_cents
from core.rules import full_years_between

from .plans import AnnuityPlanTerms


def vested_fraction(
    years: int, schedule: Sequence[tuple[int, Decimal]] | AnnuityPlanTerms
) -> Decimal:
    """The vested fraction after ``years`` full years of membership.

    The fraction of the last step whose years are ≤ ``years``; 0 before the
    first step. Demo schedule: 0 → 0, 1 → 0.125, 7 → 0.875, 8 and more → 1.
    """
    if isinstance(schedule, AnnuityPlanTerms):
        schedule = schedule.vesting_schedule
    fraction = Decimal(0)
    for step_years, step_fraction in schedule:
        if step_years <= years:
            fraction = step_fraction
    return fraction


@dataclass(frozen=True)
class Vesting:
    """The split of an employer balance at a date.

    ``vested + unvested == balance`` exactly; ``event`` is the immediate
    vesting event applied, or ``""``.
    """

    years: int
    fraction: Decimal
    vested: Decimal
    unvested: Decimal
    event: str
    params: Mapping[str, str]


def vested_employer_amount(
    employer_balance: Decimal,
    *,
    membership_started_on: date,
    on: date,
    terms: AnnuityPlanTerms,
    events: Iterable[str] = (),
) -> Vesting:
    """How much of the employer part (with its returns) is vested on ``on``.

    DOMAIN A8, 《企业年金办法》: the schedule by full years of
    membership, or everything at once if one of ``events`` is an immediate
    vesting event of the plan. The member's own part always vests at once
    and is not passed here.

    Employer balance 10,000.00, member since 2022-04-01: on 2025-05-15
    (3 full years) → vested 3,750.00, unvested 6,250.00; on retirement →
    vested 10,000.00.
    """
    years = full_years_between(membership_started_on, on)
    immediate = sorted(str(e) for e in set(events) & terms.immediate_vesting_events)
    fraction = Decimal(1) if immediate else vested_fraction(years, terms)
    vested = round_cents(employer_balance * fraction)
    unvested = employer_balance - vested
    event = immediate[0] if immediate else ""
    return Vesting(
        years=years,
        fraction=fraction,
        vested=vested,
        unvested=unvested,
        event=event,
        params={
            "balance": str(employer_balance),
            "membership_started_on": membership_started_on.isoformat(),
            "on": on.isoformat(),
            "years": str(years),
            "fraction": str(fraction),
            "event": event,
            "vested": str(vested),
            "unvested": str(unvested),
        },
    )


@dataclass(frozen=True)
class Forfeiture:
    """What happens to the employer part when a member leaves.

    ``kept`` stays in the member's account; ``to_common_account`` leaves the
    member's employer sub-account and goes to the plan's common account
    (企业账户). They sum to the balance.
    """

    kept: Decimal
    to_common_account: Decimal
    vesting: Vesting


def forfeit_on_leaving(
    employer_balance: Decimal,
    *,
    membership_started_on: date,
    left_on: date,
    terms: AnnuityPlanTerms,
    events: Iterable[str] = (),
) -> Forfeiture:
    """Forfeit the unvested employer part on leaving (DOMAIN A8, Part B 5).

    Leaving after 3 full years with an employer balance of 10,000.00 keeps
    3,750.00 and moves 6,250.00 to the common account; leaving without own
    fault (``VestingEvent.LEFT_WITHOUT_OWN_FAULT``) keeps all 10,000.00.
    """
    vesting = vested_employer_amount(
        employer_balance,
        membership_started_on=membership_started_on,
        on=left_on,
        terms=terms,
        events=events,
    )
    return Forfeiture(
        kept=vesting.vested, to_common_account=vesting.unvested, vesting=vesting
    )
