"""Pure rules of the service fund (DOMAIN A9). No Django, no database.

Every figure (the 200,000 floor, the 50,000 district threshold, the 7-day
notice, carry-over) arrives as an argument taken from a dated policy row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.decimals import ZERO, round_cents, sum_amounts


@dataclass(frozen=True)
class Policy:
    """The fund policy in force on a day (a FundPolicy row, as plain values)."""

    minimum_allocation: Decimal
    district_approval_threshold: Decimal
    notice_days: int
    carry_over_allowed: bool
    max_receipt_bytes: int
    allowed_receipt_types: tuple[str, ...]


@dataclass(frozen=True)
class ForbiddenUse:
    """A use the fund may never pay for, recognised by its keywords."""

    code: str
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Figures:
    """Where a fund year stands. ``available`` is never below zero."""

    allocation: Decimal
    carried_in: Decimal
    committed: Decimal
    spent: Decimal
    available: Decimal
    overspent: Decimal
    # Spending above the projects' approved amounts (A9 forbids it; rows
    # recorded before the check existed can still show it).
    over_approved: Decimal = ZERO


def allocation_meets_floor(allocation: Decimal, minimum: Decimal) -> bool:
    """A9: each community gets at least the floor a year.

    200,000.00 with floor 200,000 -> True; 199,999.99 -> False.
    """
    return allocation >= minimum


def sources_match(allocation: Decimal, shares: Iterable[Decimal]) -> bool:
    """A9: the city, district and street shares add up to the allocation.

    100,000 + 60,000 + 40,000 against 200,000 -> True.
    """
    return sum_amounts(round_cents(s) for s in shares) == round_cents(allocation)


def outstanding_commitment(reserved: Decimal, spent: Decimal) -> Decimal:
    """What an approved project still holds back: its reservation less spending.

    Reserved 30,000, spent 12,000 -> 18,000; spent 35,000 -> 0 (the excess
    is already counted as spending).
    """
    return max(round_cents(reserved - spent), ZERO)


def fund_figures(
    *,
    allocation: Decimal,
    carried_in: Decimal,
    committed: Decimal,
    spent: Decimal,
    over_approved: Decimal = ZERO,
) -> Figures:
    """A9: available = allocation + carried in − committed − spent, floor 0.

    200,000 + 10,000 − 150,000 − 30,000 -> 30,000 available;
    200,000 + 0 − 150,000 − 60,000 -> 0 available and 10,000 overspent.
    """
    raw = round_cents(allocation + carried_in - committed - spent)
    return Figures(
        allocation=round_cents(allocation),
        carried_in=round_cents(carried_in),
        committed=round_cents(committed),
        spent=round_cents(spent),
        available=max(raw, ZERO),
        overspent=max(-raw, ZERO),
        over_approved=round_cents(over_approved),
    )


def approval_fits(available: Decimal, estimated_cost: Decimal) -> bool:
    """A9: an approval reserves the estimated cost; refused if it overspends.

    Available 30,000, cost 30,000 -> True; cost 30,000.01 -> False.
    """
    return round_cents(estimated_cost) <= round_cents(available)


def expense_overspend(
    *, available: Decimal, project_outstanding: Decimal, amount: Decimal
) -> Decimal:
    """By how much an expense would overspend the fund (0 if it fits).

    The expense first draws on its project's outstanding reservation, then on
    what is available. Outstanding 5,000, available 1,000, expense 8,000 ->
    2,000 over.
    """
    excess = round_cents(amount) - project_outstanding - available
    return max(round_cents(excess), ZERO)


def project_over_approved(*, approved: Decimal, spent: Decimal) -> Decimal:
    """How far a project's spending is above its approved amount (0 if not).

    Approved 42,000, spent 51,000 -> 9,000; spent 40,000 -> 0.
    """
    return max(round_cents(spent - approved), ZERO)


def expense_short_by(*, approved: Decimal, spent: Decimal, amount: Decimal) -> Decimal:
    """A9: a project's spending never exceeds its approved amount.

    By how much an expense is short of room (0 if it fits): approved 42,000,
    spent 33,600, expense 9,000 -> 600 short; expense 8,400 -> 0.
    """
    return max(round_cents(spent + amount - approved), ZERO)


def budget_change_fits(*, available: Decimal, previous: Decimal, new: Decimal) -> bool:
    """A9: a budget change must fit in what the fund year has available.

    Only the increase draws on the fund: available 5,000, 42,000 -> 47,000
    fits; -> 47,000.01 does not; any decrease fits.
    """
    return round_cents(new - previous) <= round_cents(available)


def needs_district_approval(estimated_cost: Decimal, threshold: Decimal) -> bool:
    """A9: a project *above* the threshold also needs the district's approval.

    Threshold 50,000: 50,000.00 -> False; 50,000.01 -> True.
    """
    return estimated_cost > threshold


def notice_ends_on(started_on: date, notice_days: int) -> date:
    """The last day of the public notice; day one is the day it is posted.

    Posted 2026-03-02 for 7 days -> last day 2026-03-08.
    """
    return started_on + timedelta(days=max(notice_days, 1) - 1)


def notice_is_over(started_on: date, notice_days: int, today: date) -> bool:
    """The notice is over the day after its last day (2026-03-09 above)."""
    return today > notice_ends_on(started_on, notice_days)


def carry_over(
    *, allocation: Decimal, carried_in: Decimal, spent: Decimal, allowed: bool
) -> Decimal:
    """A9: at closing, what is left goes to next year when the setting allows.

    200,000 + 10,000 − 180,000 -> 30,000 carried; 0 when not allowed; never
    below zero. Commitments not spent are released at closing.
    """
    if not allowed:
        return ZERO
    return max(round_cents(allocation + carried_in - spent), ZERO)


def closing_balance(
    *,
    allocation: Decimal,
    carried_in: Decimal,
    spent: Decimal,
    carried_commitment: Decimal,
    allowed: bool,
) -> Decimal:
    """What a closed year hands to the next one.

    When carry-over is allowed, everything left (allocation + carried in −
    spent); otherwise only the remaining commitments of the projects carried
    forward, which travel with them. 200,000 − 150,000 with 30,000 carried:
    50,000 allowed, 30,000 not allowed.
    """
    left = max(round_cents(allocation + carried_in - spent), ZERO)
    if allowed:
        return left
    return min(round_cents(carried_commitment), left)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def forbidden_uses_in(
    texts: Iterable[str], uses: Iterable[ForbiddenUse]
) -> list[tuple[ForbiddenUse, str]]:
    """A9 / B6.3: the forbidden uses whose keywords a declaration mentions.

    "社区办公室装修" matches 办公 (office expenses) and 装修 (refitting).
    Returns (use, keyword) pairs, one per use, in the order of ``uses``.
    """
    haystack = _normalise(" ".join(t for t in texts if t))
    found = []
    for use in uses:
        for keyword in use.keywords:
            word = _normalise(keyword)
            if word and word in haystack:
                found.append((use, keyword))
                break
    return found


# Receipts -------------------------------------------------------------------

_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
_EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg"}
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def receipt_type(filename: str) -> str:
    """The receipt type from the file name's extension ('' if unknown)."""
    _stem, dot, extension = filename.rpartition(".")
    return _EXTENSIONS.get(extension.lower(), "") if dot else ""


def receipt_problems(
    *, filename: str, size: int, head: bytes, policy: Policy
) -> list[str]:
    """Codes of what is wrong with an uploaded receipt ([] if it is fine).

    ``type``: not an allowed type; ``content``: the bytes do not match the
    type (a renamed file); ``size``: larger than allowed; ``empty``.
    """
    problems = []
    kind = receipt_type(filename)
    if kind not in policy.allowed_receipt_types:
        problems.append("type")
    elif not head.startswith(_MAGIC[kind]):
        problems.append("content")
    if size <= 0:
        problems.append("empty")
    elif size > policy.max_receipt_bytes:
        problems.append("size")
    return problems


def sanitise_filename(filename: str, *, max_length: int = 80) -> str:
    """A display name with no folders, no control or shell characters.

    '../../x.pdf' -> 'x.pdf'; 'C:\\\\tmp\\\\发票 1.pdf' -> '发票_1.pdf'; a name
    left empty becomes 'file'. The name is only shown; the stored file gets
    a random name chosen by the service.
    """
    name = unicodedata.normalize("NFKC", filename).replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip("._")
    if not name:
        return "file"
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        keep = max_length - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and keep > 0 else name[:max_length]
    return name
