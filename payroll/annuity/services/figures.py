"""The annuity figures of a cycle before anything is posted (DOMAIN A8): a
chunk's member figures, read from its payslips, and the plan-year cap check
of a computed cycle. They read and write no ledger entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy

from core.decimals import ZERO
from payroll.annuity.fetch import annuity_version_in_force, legal_caps_in_force
from payroll.models.annuity import AnnuityEntry, AnnuityMembership
from payroll.models.cycles import PayrollCycle, Payslip
from payroll.rules import annuity as rules
from payroll.rules.payslip import PayslipResult

Part = AnnuityEntry.Part
Kind = AnnuityEntry.Kind


YEAR_CAP_PREFIX = gettext_lazy("按计划年度测算（截至 %(period)s）：")


def _member_payslips(
    cycle: PayrollCycle,
) -> list[tuple[int, int, Decimal, list[list[object]]]]:
    """(payslip id, worker id, gross, lines) of the cycle's payslips that may
    carry annuity lines: those of workers with any membership."""
    members = AnnuityMembership.objects.values("worker_id")
    return list(
        Payslip.objects.filter(cycle=cycle, worker_id__in=members).values_list(
            "pk", "worker_id", "gross", "lines"
        )
    )


def _annuity_amounts(
    lines: list[list[object]],
) -> tuple[Decimal, Decimal, dict[str, object]]:
    """(member, employer, the member line's parameters) of a payslip's stored
    rows (``PayLine.to_row``: code, kind, amount, ...), read without turning
    every row into a ``PayLine``: the year's payslips of every member are
    read at each cycle's cap check."""
    member = employer = ZERO
    params: dict[str, object] = {}
    for row in lines:
        code = row[0]
        if code == rules.ANNUITY_MEMBER:
            member += Decimal(row[2])  # type: ignore[arg-type]
            params = dict(row[5])  # type: ignore[call-overload]
        elif code == rules.ANNUITY_EMPLOYER:
            employer += Decimal(row[2])  # type: ignore[arg-type]
    return member, employer, params


def annuity_chunk_figures(
    results: Iterable[tuple[int, int, PayslipResult]],
) -> list[list[int | str]]:
    """[worker id, full-time pay, employer, member, gross] of the members
    among a chunk's payslip results, kept on the chunk for the cap check."""
    figures: list[list[int | str]] = []
    for worker_id, _community_id, result in results:
        employer = member = None
        for line in result.lines:
            if line.code == rules.ANNUITY_MEMBER:
                member = line.amount
            elif line.code == rules.ANNUITY_EMPLOYER:
                employer = line.amount
        # The month's full-time pay (each earnings line before proration)
        # stands for the months of the year still to come.
        full = [
            Decimal(line.params["full"])
            for line in result.lines
            if "full" in line.params
        ]
        wages = sum(full, Decimal("0.00")) if full else result.gross
        if member is not None or employer is not None:
            figures.append(
                [
                    worker_id,
                    str(wages),
                    str(employer or 0),
                    str(member or 0),
                    str(result.gross),
                ]
            )
    return figures


def _membership_months(
    plan_id: int, worker_ids: list[int], year: int
) -> dict[int, tuple[int, int]]:
    """(first, last) month of ``year`` in each member's memberships: the
    wages of the plan's members are those of their months as members."""
    spans: dict[int, tuple[int, int]] = {}
    for worker_id, started_on, ended_on in AnnuityMembership.objects.filter(
        plan_id=plan_id, worker_id__in=worker_ids, is_excluded=False
    ).values_list("worker_id", "started_on", "ended_on"):
        first = 1 if started_on.year < year else started_on.month
        last = 12 if ended_on is None or ended_on.year > year else ended_on.month
        if started_on.year > year or (ended_on and ended_on.year < year):
            continue
        known = spans.get(worker_id)
        spans[worker_id] = (
            (min(known[0], first), max(known[1], last)) if known else (first, last)
        )
    return spans


def _year_before(
    worker_ids: list[int], year: int, month: int, spans: dict[int, tuple[int, int]]
) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """(gross, employer, member) of each member's payslips of the plan year
    before ``month`` and within her membership: the year so far, whatever
    cycle paid it.

    A locked payslip's annuity amounts are the contribution entries its lock
    posted (``annuity_cycle_post``, the same amounts, as the city simulation
    checks): they are summed in one query instead of decoding every line of
    the year's payslips at each cycle; only payslips of cycles not yet
    locked are read line by line."""
    rows = list(
        Payslip.objects.filter(
            worker_id__in=worker_ids, year=year, month__lt=month
        ).values_list("pk", "worker_id", "month", "gross", "cycle__status")
    )
    posted: dict[int, tuple[Decimal, Decimal]] = {}
    for payslip_id, part, amount in AnnuityEntry.objects.filter(
        kind=Kind.CONTRIBUTION,
        payslip__worker_id__in=worker_ids,
        payslip__year=year,
        payslip__month__lt=month,
        payslip__cycle__status=PayrollCycle.Status.LOCKED,
    ).values_list("payslip_id", "part", "amount"):
        member, employer = posted.get(payslip_id, (ZERO, ZERO))
        if part == Part.MEMBER:
            member += amount
        elif part == Part.EMPLOYER:
            employer += amount
        posted[payslip_id] = (member, employer)
    unlocked = [
        pk for pk, *_rest, status in rows if status != PayrollCycle.Status.LOCKED
    ]
    lines = (
        dict(Payslip.objects.filter(pk__in=unlocked).values_list("pk", "lines"))
        if unlocked
        else {}
    )
    totals: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    for payslip_id, worker_id, paid_month, gross, _status in rows:
        span = spans.get(worker_id, (1, 12))
        if not span[0] <= paid_month <= span[1]:
            continue
        if payslip_id in lines:
            member, employer, _params = _annuity_amounts(lines[payslip_id])
        else:
            member, employer = posted.get(payslip_id, (ZERO, ZERO))
        before = totals.get(worker_id, (ZERO, ZERO, ZERO))
        totals[worker_id] = (
            before[0] + gross,
            before[1] + employer,
            before[2] + member,
        )
    return totals


def annuity_cycle_check(cycle: PayrollCycle) -> list[rules.CapViolation]:
    """The caps over the plan year (《企业年金办法》, DOMAIN A8): employer ≤
    8% and employer + member ≤ 12% of the members' wages of the year, no
    employer credit above 5× the average, the plan's caps or the legal ones
    whichever are lower. The year so far (earlier payslips and this cycle's)
    counts in full (the months of membership only); the months still to
    come as a member add their wages at this month's full-time pay and
    nothing to the contributions, so a breach is reported
    only when the year as a whole must break a cap (a month running ahead of
    its pay computes), and December measures the whole year exactly. Reads
    the figures the chunks kept, and the year's earlier payslips."""
    rows = [
        row
        for figures in cycle.chunks.values_list("annuity", flat=True)
        for row in figures or ()
    ]
    if not rows:
        return []
    first = date(cycle.year, cycle.month, 1)
    version = annuity_version_in_force(first)
    if version is None:
        return []
    from core.models import Worker

    ids = [r[0] for r in rows]
    names = dict(Worker.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    spans = _membership_months(version.plan_id, ids, cycle.year)
    before = _year_before(ids, cycle.year, cycle.month, spans)
    periods = []
    for worker_id, wages, employer, member, *rest in rows:
        gross = Decimal(rest[0]) if rest else Decimal(wages)
        earlier = before.get(worker_id, (ZERO, ZERO, ZERO))
        year_to_date = rules.MemberPeriod(
            member=names.get(worker_id, str(worker_id)),
            wages=earlier[0] + gross,
            employer_contribution=earlier[1] + Decimal(employer),
            member_contribution=earlier[2] + Decimal(member),
        )
        periods.append(
            rules.plan_year_projection(
                year_to_date,
                full_time_month_wages=Decimal(wages),
                # Only the months of the year she stays a member.
                months_remaining=max(0, spans.get(worker_id, (1, 12))[1] - cycle.month),
            )
        )
    violations = rules.check_caps(periods, version.terms(), legal_caps_in_force(first))
    prefix = str(YEAR_CAP_PREFIX) % {"period": cycle.period}
    return [
        rules.CapViolation(v.code, prefix + v.message, v.params) for v in violations
    ]
