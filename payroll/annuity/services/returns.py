"""Writes of the annuity: a year's investment return credited to every account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.decimals import ZERO
from payroll.annuity.selectors import balances
from payroll.annuity.services.postings import common_account
from payroll.models.annuity import (
    AnnuityAccount,
    AnnuityEntry,
    AnnuityReturn,
)
from payroll.rules.annuity_returns import distribute_return, return_total

Part = AnnuityEntry.Part
Kind = AnnuityEntry.Kind

RETURN_CREDITED = "%(year)s 年度收益已记入账户，不能重复记入；更正请冲正。"


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
