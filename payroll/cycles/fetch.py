"""Fetch: every input a chunk of payslips reads, in a constant number of queries.

The dated tables in force for a cycle (scale, contribution rates, tax tables,
annuity terms) and the month inputs of its workers, as plain frozen data for
``payroll.cycles.compute``.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from core.models import Worker, WorkerPosition
from payroll.annuity.fetch import AnnuityTables, annuity_tables_for
from payroll.levels.selectors import level_history_by_worker, level_on, worker_filter
from payroll.models import (
    ScaleVersion,
)
from payroll.models.cycles import (
    ContributionRates,
    PayrollCycle,
    Payslip,
    TaxTable,
)
from payroll.rules import contributions, tax
from payroll.rules.earnings import (
    MonthInput,
    days_in_month,
    days_worked,
    last_day_worked,
)
from payroll.rules.payslip import (
    PayslipTerms,
    PriorTotals,
)
from payroll.rules.scale import Scale
from payroll.scales.selectors import post_ranges, scale_for
from ratings.rules import grade_in_force, star_valid_on
from ratings.selectors import grades_by_worker, stars_by_worker

MISSING_TABLE = "缺少 %(what)s（%(period)s 起生效）：请先在管理后台维护。"


class CycleSetupError(ValueError):
    pass


@dataclass(frozen=True)
class CycleTables:
    scale_version: ScaleVersion
    scale: Scale
    rates: ContributionRates
    cumulative_table: TaxTable
    monthly_table: TaxTable | None
    terms: PayslipTerms
    annuity: AnnuityTables | None = None


_scale_cache: dict[tuple[int, Any], Scale] = {}


def _cached_scale(version: ScaleVersion) -> Scale:
    """A used scale version never changes, so its Scale can be kept per process."""
    key = (version.pk, version.used_at)
    if version.used_at is None or key not in _scale_cache:
        scale = scale_for(version)
        if version.used_at is None:
            return scale
        _scale_cache[key] = scale
    return _scale_cache[key]


def tax_table_in_force(kind: str, day: date) -> TaxTable | None:
    return (
        TaxTable.objects.filter(kind=kind, effective_on__lte=day)
        .order_by("-effective_on")
        .prefetch_related("brackets")
        .first()
    )


def contribution_rates_in_force(day: date) -> ContributionRates | None:
    return (
        ContributionRates.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )


def as_rule_table(table: TaxTable) -> tax.TaxTable:
    return tax.TaxTable.from_rows(
        [(b.upper, b.rate, b.quick_deduction) for b in table.brackets.all()],
        version=f"{table.kind}:{table.effective_on}",
    )


_tables_cache: dict[tuple[Any, ...], CycleTables] = {}


def tables_for_computing(cycle: PayrollCycle) -> CycleTables:
    """``tables_for`` for a cycle that is computing, kept per process: its
    tables were marked used when it started, and used tables never change, so
    the chunks of one cycle need not read them again."""
    key = (
        cycle.pk,
        cycle.scale_version_id,
        cycle.contribution_rates_id,
        cycle.chunks_total,
    )
    tables = _tables_cache.get(key)
    if tables is None:
        if len(_tables_cache) > 32:
            _tables_cache.clear()
        tables = _tables_cache[key] = tables_for(cycle)
    return tables


def tables_for(cycle: PayrollCycle) -> CycleTables:
    """The dated tables in force on the cycle's first day, as plain data."""
    from payroll.scales.selectors import scale_version_in_force

    first = date(cycle.year, cycle.month, 1)
    period = cycle.period
    version = cycle.scale_version or scale_version_in_force(first)
    if version is None:
        raise CycleSetupError(MISSING_TABLE % {"what": "薪酬表", "period": period})
    rates = cycle.contribution_rates or contribution_rates_in_force(first)
    if rates is None:
        raise CycleSetupError(
            MISSING_TABLE % {"what": "社保公积金参数", "period": period}
        )
    cumulative = tax_table_in_force(TaxTable.Kind.CUMULATIVE, first)
    if cumulative is None:
        raise CycleSetupError(
            MISSING_TABLE % {"what": "综合所得预扣率表", "period": period}
        )
    monthly = tax_table_in_force(TaxTable.Kind.MONTHLY, first)
    version_label = f"{rates.effective_on}"
    terms = PayslipTerms(
        social_insurance=contributions.SocialInsuranceRates(
            employee_pension=rates.si_employee_pension,
            employee_medical=rates.si_employee_medical,
            employee_unemployment=rates.si_employee_unemployment,
            employer_pension=rates.si_employer_pension,
            employer_medical=rates.si_employer_medical,
            employer_unemployment=rates.si_employer_unemployment,
            employer_work_injury=rates.si_employer_work_injury,
            version=version_label,
        ),
        housing_fund=contributions.HousingFundRates(
            employee_rate=rates.hf_employee_rate,
            employer_rate=rates.hf_employer_rate,
            version=version_label,
        ),
        withholding=tax.WithholdingTerms(
            table=as_rule_table(cumulative),
            monthly_standard_deduction=cumulative.monthly_standard_deduction,
            version=f"cumulative:{cumulative.effective_on}",
        ),
        bonus_table=as_rule_table(monthly) if monthly else None,
    )
    scale = _cached_scale(version)
    return CycleTables(
        scale_version=version,
        scale=scale,
        rates=rates,
        cumulative_table=cumulative,
        monthly_table=monthly,
        terms=terms,
        annuity=annuity_tables_for(first, scale),
    )


def prior_totals(
    worker_ids: list[int], year: int, month: int
) -> dict[int, PriorTotals]:
    """Year-to-date after each worker's latest payslip of the year before
    ``month`` (payslips ordered by month, so the latest wins)."""
    if month == 1:
        return {}
    # By worker, not by community: a worker who moved keeps her year-to-date.
    in_chunk = Payslip.objects.filter(worker_id__in=worker_ids, year=year)
    latest: dict[int, Any] = dict(
        in_chunk.filter(month=month - 1).values_list("worker_id", "tax_ytd")
    )
    if month > 2:
        # Workers not paid last month (unpaid leave, a late start): their
        # latest earlier payslip, found without decoding every month's row.
        earlier = in_chunk.filter(month__lt=month - 1).exclude(
            worker_id__in=list(latest)
        )
        months: dict[int, int] = {}
        for worker_id, paid_month in earlier.values_list("worker_id", "month"):
            months[worker_id] = max(paid_month, months.get(worker_id, 0))
        if months:
            for worker_id, paid_month, ytd in earlier.filter(
                worker_id__in=list(months)
            ).values_list("worker_id", "month", "tax_ytd"):
                if months[worker_id] == paid_month:
                    latest[worker_id] = ytd
    return {pk: PriorTotals.from_dict(ytd) for pk, ytd in latest.items()}


def employed_worker_ids(queryset: Any, year: int, month: int) -> list[int]:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return list(
        queryset.filter(joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .order_by("community_id", "pk")
        .values_list("pk", "community_id")
    )


ONE_SHOULDER_POSITIONS = ("secretary", "director")


def one_shoulder_on(workers: QuerySet | Iterable[int], day: date) -> set[int]:
    """Workers holding both 书记 and 主任 on ``day`` (一肩挑), one query."""
    held: dict[int, set[str]] = defaultdict(set)
    rows = WorkerPosition.objects.filter(
        worker_filter(workers),
        position__in=ONE_SHOULDER_POSITIONS,
        started_on__lte=day,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    for worker_id, position in rows.values_list("worker_id", "position"):
        held[worker_id].add(position)
    return {w for w, p in held.items() if p >= set(ONE_SHOULDER_POSITIONS)}


def month_inputs(workers: QuerySet[Worker], year: int, month: int) -> list[MonthInput]:
    """Earnings inputs of every worker in ``workers`` employed in the month.

    Six queries whatever the number of workers. Level and post are those in
    force on the last day worked; the grade is the one in force for the year;
    the star rating the one valid on the last day worked.
    """
    total = days_in_month(year, month)
    first, last = date(year, month, 1), date(year, month, total)
    employed = workers.filter(joined_on__lte=last).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first)
    )
    rows = list(employed.values_list("pk", "level", "post_id", "joined_on", "left_on"))
    posts = {pk: r.code for pk, r in post_ranges().items()}
    subquery = employed.values("pk")
    history = level_history_by_worker(Worker.objects.filter(pk__in=subquery))
    one_shoulder = one_shoulder_on(Worker.objects.filter(pk__in=subquery), last)
    grades = grades_by_worker(Worker.objects.filter(pk__in=subquery))
    stars = stars_by_worker(Worker.objects.filter(pk__in=subquery))
    inputs = []
    for pk, level, post_id, joined_on, left_on in rows:
        days, _total = days_worked(joined_on, left_on, year, month)
        if days <= 0:
            continue
        day = last_day_worked(joined_on, left_on, year, month)
        level_then, post_then = level_on(
            history.get(pk, []), day, current_level=level, current_post_id=post_id
        )
        grade = grade_in_force(grades.get(pk, {}), year)
        star = star_valid_on(stars.get(pk, []), day)
        inputs.append(
            MonthInput(
                worker_id=pk,
                year=year,
                month=month,
                post=posts[post_then],
                level=level_then,
                days_worked=days,
                days_in_month=total,
                one_shoulder=pk in one_shoulder,
                grade=grade[1] if grade else None,
                grade_year=grade[0] if grade else None,
                stars=star.stars if star else None,
                star_rated_on=star.rated_on if star else None,
            )
        )
    return inputs
