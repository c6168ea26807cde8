"""The review before approval (issue 9): what changed since last month.

The checker reads, before approving: the total and per-district difference
from the previous cycle, every worker whose net pay moved by more than the
dated share (``CycleReviewPolicy``), every correction line with the month it
reaches, the floor top-ups, the recoveries carried forward, the workers with
no income tax, and the workers paid last month and missing now. A fixed
number of queries, whatever the number of workers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from core.decimals import ZERO, round_cents
from core.models import Worker
from payroll.cycles.corrections import ADJUSTMENT
from payroll.models import CycleReviewPolicy, PayrollCycle, Payslip
from payroll.rules.earnings import FLOOR_TOP_UP
from payroll.rules.floor import YEARLY_FLOOR_TOP_UP

# The recovery lines (A11): what a month takes of an earlier recovery, and
# what it gives back to carry forward.
from payroll.rules.payslip import RECOVERY, RECOVERY_DEFERRED

TOP_UP_CODES = (FLOOR_TOP_UP, YEARLY_FLOOR_TOP_UP)
SHOWN = 200  # rows per list on the page; the counts are always complete


@dataclass(frozen=True)
class Row:
    worker_id: int
    name: str
    community: str
    amount: Decimal = ZERO
    before: Decimal | None = None
    share: Decimal | None = None
    detail: str = ""


@dataclass(frozen=True)
class DistrictDelta:
    code: str
    name: str
    payslips_before: int
    payslips_now: int
    net_before: Decimal
    net_now: Decimal

    @property
    def difference(self) -> Decimal:
        return self.net_now - self.net_before


@dataclass
class CycleReview:
    previous: PayrollCycle | None
    share: Decimal | None
    payslips_before: int = 0
    payslips_now: int = 0
    gross_before: Decimal = ZERO
    gross_now: Decimal = ZERO
    net_before: Decimal = ZERO
    net_now: Decimal = ZERO
    districts: list[DistrictDelta] = field(default_factory=list)
    net_changes: list[Row] = field(default_factory=list)
    corrections: list[Row] = field(default_factory=list)
    correction_workers: int = 0
    correction_total: Decimal = ZERO
    top_ups: list[Row] = field(default_factory=list)
    recoveries: list[Row] = field(default_factory=list)
    no_tax: list[Row] = field(default_factory=list)
    missing: list[Row] = field(default_factory=list)
    joined: int = 0

    @property
    def net_difference(self) -> Decimal:
        return self.net_now - self.net_before

    @property
    def gross_difference(self) -> Decimal:
        return self.gross_now - self.gross_before


def previous_cycle(cycle: PayrollCycle) -> PayrollCycle | None:
    """The same scope's latest earlier cycle that was paid or approved."""
    return (
        PayrollCycle.objects.filter(
            Q(year__lt=cycle.year) | Q(year=cycle.year, month__lt=cycle.month),
            scope_key=cycle.scope_key,
            status__in=(PayrollCycle.Status.APPROVED, PayrollCycle.Status.LOCKED),
        )
        .order_by("-year", "-month")
        .first()
    )


def review_share(day: date) -> Decimal | None:
    policy = (
        CycleReviewPolicy.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )
    return policy.net_change_share if policy else None


PAYSLIP_FIELDS = (
    "worker_id",
    "worker__full_name",
    "community__name",
    "community__street__district__code",
    "community__street__district__name",
    "gross",
    "net",
    "income_tax",
)


def cycle_review(cycle: PayrollCycle) -> CycleReview:
    """Everything the checker reads before approving ``cycle``."""
    previous = previous_cycle(cycle)
    review = CycleReview(
        previous=previous, share=review_share(date(cycle.year, cycle.month, 1))
    )
    districts: dict[tuple[str, str], list[Any]] = defaultdict(
        lambda: [0, 0, ZERO, ZERO]
    )
    before: dict[int, tuple[str, str, Decimal]] = {}
    if previous is not None:
        for (
            worker_id,
            name,
            community,
            code,
            district,
            gross,
            net,
            _tax,
        ) in Payslip.objects.filter(cycle=previous).values_list(*PAYSLIP_FIELDS):
            before[worker_id] = (name, community, net)
            review.payslips_before += 1
            review.gross_before += gross
            review.net_before += net
            entry = districts[(code, district)]
            entry[0] += 1
            entry[2] += net
    now: set[int] = set()
    correction_workers: set[int] = set()
    rows = Payslip.objects.filter(cycle=cycle).values_list(*PAYSLIP_FIELDS, "lines")
    for worker_id, name, community, code, district, gross, net, tax, lines in rows:
        now.add(worker_id)
        review.payslips_now += 1
        review.gross_now += gross
        review.net_now += net
        entry = districts[(code, district)]
        entry[1] += 1
        entry[3] += net
        if worker_id in before:
            _review_net(review, worker_id, name, community, before[worker_id][2], net)
        else:
            review.joined += 1
        if tax == ZERO and gross > ZERO:
            review.no_tax.append(Row(worker_id, name, community, amount=gross))
        for code_, _kind, amount, _rule, _version, params in lines:
            value = Decimal(amount)
            if code_ == ADJUSTMENT:
                correction_workers.add(worker_id)
                review.correction_total += value
                review.corrections.append(
                    Row(
                        worker_id,
                        name,
                        community,
                        amount=value,
                        detail=f"{params.get('period', '')} {params.get('item', '')}",
                    )
                )
            elif code_ in TOP_UP_CODES:
                review.top_ups.append(
                    Row(worker_id, name, community, amount=value, detail=code_)
                )
            elif code_ in (RECOVERY, RECOVERY_DEFERRED):
                review.recoveries.append(
                    Row(
                        worker_id,
                        name,
                        community,
                        amount=value,
                        detail=params.get("still_to_recover", ""),
                    )
                )
    review.correction_workers = len(correction_workers)
    gone = [pk for pk in before if pk not in now]
    left = dict(
        Worker.objects.filter(pk__in=gone).values_list("pk", "left_on") if gone else []
    )
    for pk in gone:
        name, community, net = before[pk]
        left_on = left.get(pk)
        review.missing.append(
            Row(
                pk,
                name,
                community,
                amount=net,
                detail=left_on.isoformat() if left_on else "",
            )
        )
    review.districts = [
        DistrictDelta(code, name, n_before, n_now, net_before, net_now)
        for (code, name), (n_before, n_now, net_before, net_now) in sorted(
            districts.items()
        )
    ]
    review.net_changes.sort(key=lambda r: -abs(r.amount))
    return review


def _review_net(
    review: CycleReview,
    worker_id: int,
    name: str,
    community: str,
    before: Decimal,
    now: Decimal,
) -> None:
    if review.share is None:
        return
    change = now - before
    if before == ZERO:
        share = None if change == ZERO else Decimal("1")
    else:
        share = round_cents(abs(change) / abs(before) * 100) / 100
    if share is not None and share > review.share:
        review.net_changes.append(
            Row(worker_id, name, community, amount=change, before=before, share=share)
        )
