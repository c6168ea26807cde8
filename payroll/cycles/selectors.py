"""Reads of payroll cycles: who sees which cycle and payslip, and their totals."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from core.decimals import ZERO, sum_amounts
from core.models import Community
from core.selectors import (
    UserOrAnonymous,
    district_record_filter,
    pay_record_filter,
    scope_filter,
    user_is_worker,
    user_sees_city,
)
from payroll.models.cycles import PayrollCycle, Payslip

# A worker sees a month once it is approved for payment: a computed cycle may
# still be recomputed.
RELEASED = (PayrollCycle.Status.APPROVED, PayrollCycle.Status.LOCKED)
MONEY: DecimalField = DecimalField(max_digits=14, decimal_places=2)


def payroll_cycle_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[PayrollCycle]:
    cycles = PayrollCycle.objects.select_related(
        "district", "computed_by", "approved_by", "locked_by"
    )
    return district_record_filter(cycles, user)


def user_sees_whole_cycle(user: UserOrAnonymous, cycle: PayrollCycle) -> bool:
    """Whether the user reads the cycle's own totals: city-wide users always;
    a district's staff those of their district's cycle. Anyone narrower (a
    district's staff on a city cycle, a street officer, a secretary) reads
    their part."""
    if user_sees_city(user):
        return True
    return (
        cycle.district_id is not None
        and not getattr(user, "street_id", None)
        and not getattr(user, "community_id", None)
    )


# The four amounts a payslip stores and a cycle's totals sum.
AMOUNTS = ("gross", "deductions", "net", "employer_cost")


def _sums(payslips: QuerySet[Payslip], *group: str) -> QuerySet:
    """``payslips`` counted and summed by the database, grouped by ``group``
    (none: one row). Unordered: the model's ordering would join the workers
    and sort every payslip before the sums."""
    return (
        payslips.order_by()
        .values(*group)
        .annotate(
            count=Count("*"),
            **{
                name: Coalesce(Sum(name), Value(ZERO), output_field=MONEY)
                for name in AMOUNTS
            },
        )
        .values_list(*group, "count", *AMOUNTS)
    )


def _as_totals(count: int, *sums: Decimal) -> dict[str, int | str]:
    return {
        "payslips": count,
        **{n: str(v) for n, v in zip(AMOUNTS, sums, strict=True)},
    }


def cycle_totals(
    cycle: PayrollCycle, payslips: QuerySet[Payslip] | None = None
) -> dict[str, int | str]:
    """Totals of the cycle (or of ``payslips``, a part of it), summed by the
    database over the stored (rounded) rows."""
    if payslips is None:
        payslips = Payslip.objects.filter(cycle=cycle)
    count, *sums = (
        payslips.order_by()
        .aggregate(
            count=Count("*"),
            **{n: Coalesce(Sum(n), Value(ZERO), output_field=MONEY) for n in AMOUNTS},
        )
        .values()
    )
    return _as_totals(count, *sums)


def cycle_totals_of_parts(
    cycles: list[PayrollCycle], user: UserOrAnonymous
) -> dict[int, dict[str, int | str]]:
    """``cycle_totals`` of the user's part of each of ``cycles``, read in one
    grouped query (a list page asks once, however many cycles it shows)."""
    by_cycle = {c.pk: _as_totals(0, ZERO, ZERO, ZERO, ZERO) for c in cycles}
    rows = _sums(
        scope_filter(Payslip.objects.filter(cycle_id__in=list(by_cycle)), user),
        "cycle_id",
    )
    for cycle_id, count, *sums in rows:
        by_cycle[cycle_id] = _as_totals(count, *sums)
    return by_cycle


# Where a community's code and name are read at each level of the totals.
LEVEL_PATHS = {
    "community": ("code", "name"),
    "street": ("street__code", "street__name"),
    "district": ("street__district__code", "street__district__name"),
}


def _community_labels(*path: str) -> dict[int, tuple]:
    """{community id: the values at ``path``} for every community: one small
    query (a city has some hundreds), without a list of ids to send."""
    return {
        pk: tuple(values)
        for pk, *values in Community.objects.order_by().values_list("pk", *path)
    }


def cycle_totals_by(
    cycle: PayrollCycle, level: str, payslips: QuerySet[Payslip] | None = None
) -> list[dict[str, str | int | Decimal]]:
    """Totals by community, street or district of stored payslips
    (``payslips``: a part of the cycle, default all of it): summed by the
    database per community (the covering index alone, no join), then rolled
    up to the level over a few hundred rows."""
    if payslips is None:
        payslips = Payslip.objects.filter(cycle=cycle)
    per_community = list(_sums(payslips, "community_id"))
    labels = _community_labels(*LEVEL_PATHS[level])
    groups: dict[tuple, list] = {}
    for community_id, count, *sums in per_community:
        group = groups.setdefault(labels[community_id], [0, ZERO, ZERO, ZERO, ZERO])
        group[0] += count
        for i, value in enumerate(sums, start=1):
            group[i] += value
    return [
        {
            "code": code,
            "name": name,
            "payslips": values[0],
            "gross": values[1],
            "deductions": values[2],
            "net": values[3],
            "employer_cost": values[4],
        }
        for (code, name), values in sorted(groups.items())
    ]


def payslip_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Payslip]:
    """Payslips the user may open: payroll staff and auditors in scope, and
    everyone her own (core.selectors.pay_record_q); a worker's own login only
    of approved or paid months."""
    payslips = pay_record_filter(
        Payslip.objects.select_related("worker", "community", "cycle"), user
    )
    if user_is_worker(user):
        payslips = payslips.filter(cycle__status__in=RELEASED)
    return payslips


def payslip_list_in_scope(*, user: UserOrAnonymous) -> QuerySet[Payslip]:
    """Payslips of the user's communities, readable or not: totals are
    computed over these, and opening one not hers is refused with a reason."""
    return scope_filter(
        Payslip.objects.select_related("worker", "community", "cycle"), user
    )


def cycle_part(cycle: PayrollCycle, user: UserOrAnonymous) -> QuerySet[Payslip]:
    """The payslips of ``cycle`` in the user's scope: a district's part of a
    city cycle, a community's part for its secretary."""
    return scope_filter(Payslip.objects.filter(cycle=cycle), user)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


__all__ = ["sum_amounts"]


PAID_STATUSES = ("computed", "approved", "locked")


def cycle_history(
    cycle: PayrollCycle, user: UserOrAnonymous, months: int = 13
) -> list[dict]:
    """The user's part of the payroll for ``cycle``'s month and the months
    before it: gross, net, employer cost and headcount per month (one query)."""
    from django.db.models import Count, Sum

    periods = []
    year, month = cycle.year, cycle.month
    for _step in range(months):
        periods.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    periods.reverse()
    first = periods[0]
    in_periods = (
        Q(year__gt=first[0]) | Q(year=first[0], month__gte=first[1]),
        Q(year__lt=cycle.year) | Q(year=cycle.year, month__lte=cycle.month),
    )
    if user_sees_city(user):
        # The whole city: the totals each cycle stored when it was computed
        # (13 rows), not a sum over every payslip of the year.
        return _history_rows(
            periods,
            _stored_sums(PayrollCycle.objects.filter(*in_periods)),
        )
    payslips = scope_filter(
        Payslip.objects.filter(cycle__status__in=PAID_STATUSES), user
    ).filter(*in_periods)
    sums = {
        (row["year"], row["month"]): row
        for row in payslips.order_by()
        .values("year", "month")
        .annotate(
            gross_sum=Sum("gross"),
            net_sum=Sum("net"),
            employer_sum=Sum("employer_cost"),
            # One payslip per worker and month (a unique constraint): a plain
            # count, not PostgreSQL's sort for COUNT(DISTINCT) over the year.
            people=Count("*"),
        )
    }
    return _history_rows(periods, sums)


def _stored_sums(cycles: QuerySet[PayrollCycle]) -> dict[tuple[int, int], dict]:
    """Per month, the sums of the paid cycles' stored totals."""
    sums: dict[tuple[int, int], dict] = {}
    for year, month, totals in cycles.filter(status__in=PAID_STATUSES).values_list(
        "year", "month", "totals"
    ):
        totals = totals or {}
        row = sums.setdefault(
            (year, month),
            {"gross_sum": ZERO, "net_sum": ZERO, "employer_sum": ZERO, "people": 0},
        )
        row["gross_sum"] += Decimal(totals.get("gross", "0"))
        row["net_sum"] += Decimal(totals.get("net", "0"))
        row["employer_sum"] += Decimal(totals.get("employer_cost", "0"))
        row["people"] += int(totals.get("payslips", 0))
    return sums


def _history_rows(periods: list[tuple[int, int]], sums: dict) -> list[dict]:
    return [
        {
            "label": f"{y}-{m:02d}",
            "gross": sums.get((y, m), {}).get("gross_sum") or ZERO,
            "net": sums.get((y, m), {}).get("net_sum") or ZERO,
            "employer_cost": sums.get((y, m), {}).get("employer_sum") or ZERO,
            "headcount": sums.get((y, m), {}).get("people") or 0,
        }
        for y, m in periods
    ]


def cycle_by_district(
    cycle: PayrollCycle, user: UserOrAnonymous
) -> list[tuple[str, Decimal, Decimal]]:
    """Net pay by district: the month before against this cycle's month, in the
    user's scope: (district, previous, this)."""
    from django.db.models import Sum

    year, month = (
        (cycle.year, cycle.month - 1) if cycle.month > 1 else (cycle.year - 1, 12)
    )
    rows: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    base = scope_filter(Payslip.objects.filter(cycle__status__in=PAID_STATUSES), user)
    # Summed per community by the database (the covering index alone), then
    # by district over a few hundred rows.
    months = [
        list(
            base.filter(year=y, month=m)
            .order_by()
            .values_list("community_id")
            .annotate(net_sum=Sum("net"))
        )
        for y, m in ((year, month), (cycle.year, cycle.month))
    ]
    names = _community_labels("street__district__name")
    for index, sums in enumerate(months):
        for community_id, net in sums:
            rows[names[community_id][0]][index] += net
    return [(name, values[0], values[1]) for name, values in sorted(rows.items())]
