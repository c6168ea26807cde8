"""Crediting a plan's yearly investment return to its accounts (DOMAIN A8).

Pure: the balances come in, the credits go out. The return is shared in
proportion to each balance, every share cut toward zero to the fen, and the
remainder goes to the plan's common account (企业账户), so that the credits
add up to the return exactly and the common account is never credited less
than nothing for a positive return (rounding half up could overshoot).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

from core.decimals import CENT, ZERO, round_cents

Key = TypeVar("Key", bound=Hashable)


def return_total(total_balance: Decimal, rate: Decimal) -> Decimal:
    """The plan's return from a rate: 100,000.00 at 3.5% → 3,500.00."""
    return round_cents(total_balance * rate)


def distribute_return(
    balances: Mapping[Key, Decimal], total: Decimal, common: Key
) -> dict[Key, Decimal]:
    """Each key's share of ``total``; ``common`` takes the remainder.

    Balances 100.00 / 200.00 / 0.00 (common) sharing 1.00 → 0.33 and 0.66,
    the common account 0.01; sharing 0.10 → 0.03, 0.06, 0.01. Keys with a
    zero balance get nothing; with no balance at all, everything goes to the
    common account. The result always sums to ``total``, and the common
    account's share has the sign of ``total`` (never negative for a gain).
    """
    whole = sum(balances.values(), ZERO)
    shares: dict[Key, Decimal] = {}
    if whole != 0:
        for key, balance in balances.items():
            if key == common or balance == 0:
                continue
            shares[key] = (total * balance / whole).quantize(CENT, rounding=ROUND_DOWN)
    shares[common] = total - sum(shares.values(), ZERO)
    return shares
