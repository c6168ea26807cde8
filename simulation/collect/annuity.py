"""The annuity's facts: the contribution lines of the payslips, the ledger's
entries and the accounts' balances.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from core.decimals import ZERO
from payroll.annuity.selectors import balances
from payroll.models import (
    AnnuityAccount,
    AnnuityEntry,
    AnnuityReturn,
    PayrollCycle,
    Payslip,
)
from payroll.rules.annuity import ANNUITY_EMPLOYER, ANNUITY_MEMBER
from simulation import invariants as inv

from .levels import _KNOWN_KINDS


def annuity_facts() -> inv.AnnuityFacts:
    member_lines = employer_lines = ZERO
    for lines in Payslip.objects.filter(
        cycle__status=PayrollCycle.Status.LOCKED
    ).values_list("lines", flat=True):
        for code, _kind, amount, *_rest in lines:
            if code == ANNUITY_MEMBER:
                member_lines += Decimal(amount)
            elif code == ANNUITY_EMPLOYER:
                employer_lines += Decimal(amount)
    Kind, Part = AnnuityEntry.Kind, AnnuityEntry.Part
    sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    by_account: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account_id, kind, part, amount in AnnuityEntry.objects.values_list(
        "account_id", "kind", "part", "amount"
    ):
        sums[(kind, part)] += amount
        by_account[account_id] += amount
    accounts = list(AnnuityAccount.objects.select_related("worker"))
    selector = balances([a.pk for a in accounts])
    labelled = {}
    negative = []
    for account in accounts:
        label = f"account {account.worker or '企业账户'} #{account.pk}"
        parts = selector.get(account.pk, {})
        labelled[label] = (sum(parts.values(), ZERO), by_account[account.pk])
        negative += [(label, part, v) for part, v in parts.items() if v < ZERO]

    def kind_total(kind: str) -> Decimal:
        return sums[(kind, Part.MEMBER)] + sums[(kind, Part.EMPLOYER)]

    return inv.AnnuityFacts(
        member_lines=member_lines,
        employer_lines=employer_lines,
        member_contributions=sums[(Kind.CONTRIBUTION, Part.MEMBER)],
        employer_contributions=sums[(Kind.CONTRIBUTION, Part.EMPLOYER)],
        returns_credited=sum(
            (
                r or ZERO
                for r in AnnuityReturn.objects.values_list("credited", flat=True)
            ),
            ZERO,
        ),
        entries_total=sum(sums.values(), ZERO),
        forfeits_total=kind_total(Kind.FORFEIT),
        reversals_total=sum(
            (v for (k, _p), v in sums.items() if k not in _KNOWN_KINDS), ZERO
        ),
        accounts=labelled,
        negative_parts=negative,
    )
