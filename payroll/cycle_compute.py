"""Fetch, then calculate: everything a chunk of payslips needs, in a few queries.

``payslips_compute`` is the hot path of a payroll cycle: for N workers it runs
a constant number of queries, then the pure rules, and returns plain results
for the service to store in bulk.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from core.models import Worker
from payroll.annuity_compute import (
    AnnuityTables,
    annuity_tables_for,
    chunk_contributions,
)
from payroll.corrections import corrections_for
from payroll.models import ScaleVersion
from payroll.models.cycles import (
    ContributionBase,
    ContributionRates,
    PayrollCycle,
    Payslip,
    TaxDeclaration,
    TaxTable,
    YearEndBonus,
)
from payroll.rules import contributions, tax
from payroll.rules.earnings import month_earnings
from payroll.rules.lines import PayLine
from payroll.rules.payslip import (
    PayslipInput,
    PayslipResult,
    PayslipTerms,
    PriorTotals,
    compute_payslip,
)
from payroll.rules.scale import Scale
from payroll.selectors import month_inputs, scale_for

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
    from payroll.selectors import scale_version_in_force

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


def base_limits(
    rates: ContributionRates, scale: Scale
) -> tuple[contributions.ContributionBaseLimits, contributions.ContributionBaseLimits]:
    """Social insurance limits from the rates table; housing fund limits from
    the minimum wage and 3× the city's average monthly wage (DOMAIN A7)."""
    si = contributions.ContributionBaseLimits(
        floor=rates.si_base_floor, ceiling=rates.si_base_ceiling
    )
    hf = contributions.ContributionBaseLimits.for_housing_fund(
        minimum_wage=scale.minimum_wage,
        city_average_monthly_wage=scale.city_average_wage / 12,
        cap_multiple=rates.hf_cap_multiple,
    )
    return si, hf


def standard_monthly_pay(
    scale: Scale, post: str, level: int, one_shoulder: bool
) -> Decimal:
    """S(n) + post allowance (+ 一肩挑): the base of a worker with no full
    month in the previous year (DOMAIN A7)."""
    pay = scale.standard_pay[level] + scale.post_allowance.get(post, Decimal("0"))
    if one_shoulder:
        pay += scale.one_shoulder_supplement
    return pay


def _prior_totals(
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


def payslips_compute(
    cycle: PayrollCycle,
    worker_ids: list[int],
    community_ids: list[int],
    tables: CycleTables,
    annuity_members: list[int] | None = None,
) -> list[tuple[int, int, PayslipResult]]:
    """(worker id, community id, result) for every worker employed in the month.

    Queries select by community (a chunk holds whole communities), which is
    far cheaper than long ``IN`` lists of worker ids; rows of workers outside
    ``worker_ids`` are dropped in Python.
    """
    year, month = cycle.year, cycle.month
    last = date(year, month, calendar.monthrange(year, month)[1])
    wanted = set(worker_ids)
    workers = Worker.objects.filter(community_id__in=community_ids)
    by_community = {"worker__community_id__in": community_ids}
    facts = {
        pk: (community_id, joined_on)
        for pk, community_id, joined_on in workers.values_list(
            "pk", "community_id", "joined_on"
        )
        if pk in wanted
    }
    inputs = [
        inp for inp in month_inputs(workers, year, month) if inp.worker_id in wanted
    ]
    bases = {
        row.worker_id: row
        for row in ContributionBase.objects.filter(
            **by_community, starts_on__lte=last, ends_on__gte=last
        )
    }
    declarations = {
        d.worker_id: d for d in TaxDeclaration.objects.filter(**by_community, year=year)
    }
    bonuses = {
        b.worker_id: b
        for b in YearEndBonus.objects.filter(**by_community, year=year, month=month)
    }
    prior = _prior_totals(list(facts), year, month)
    adjustments = corrections_for(cycle, [inp.worker_id for inp in inputs])
    si_limits, hf_limits = base_limits(tables.rates, tables.scale)
    scale = tables.scale
    annuity = chunk_contributions(
        year=year,
        month=month,
        community_ids=community_ids,
        inputs=inputs,
        annuity=tables.annuity,
        standard_pay=lambda inp: standard_monthly_pay(
            scale, inp.post, inp.level, inp.one_shoulder
        ),
        member_ids=annuity_members,
    )
    results = []
    # Workers with the same post, level, grade, stars and days earn the same
    # lines; the pure rule runs once per distinct case.
    earnings_by_case: dict[tuple[Any, ...], tuple[PayLine, ...]] = {}
    for inp in inputs:
        community_id, joined_on = facts[inp.worker_id]
        case = (
            inp.post, inp.level, inp.days_worked, inp.days_in_month, inp.one_shoulder,
            inp.grade, inp.grade_year, inp.stars, inp.star_rated_on,
        )  # fmt: skip
        earnings = earnings_by_case.get(case)
        if earnings is None:
            earnings = earnings_by_case[case] = month_earnings(inp, scale)
        base_row = bases.get(inp.worker_id)
        if base_row is not None:
            si_base, hf_base = (
                base_row.social_insurance_base,
                base_row.housing_fund_base,
            )
        else:
            standard = standard_monthly_pay(
                scale, inp.post, inp.level, inp.one_shoulder
            )
            si_base = contributions.clamp_base(standard, si_limits)
            hf_base = contributions.clamp_base(standard, hf_limits)
        declaration = declarations.get(inp.worker_id)
        bonus = bonuses.get(inp.worker_id)
        contribution = annuity.get(inp.worker_id)
        months = tax.months_employed(
            year=year,
            month=month,
            joined_on=joined_on,
            counts_from_january=bool(declaration and declaration.counts_from_january),
        )
        payslip_input = PayslipInput(
            worker_id=inp.worker_id,
            year=year,
            month=month,
            earnings=earnings,
            social_insurance_base=si_base,
            housing_fund_base=hf_base,
            months_employed=months,
            prior=prior.get(inp.worker_id, PriorTotals()),
            special_additional_monthly=declaration.monthly_total
            if declaration
            else Decimal("0"),
            full_year_deduction_from_january=bool(
                declaration and declaration.full_year_deduction_from_january
            ),
            adjustments=adjustments.get(inp.worker_id, ()),
            yearly_floor_post=inp.post if month == 12 else None,
            yearly_floor_scale=scale if month == 12 else None,
            bonus=bonus.amount if bonus else None,
            bonus_merged=bool(bonus and bonus.merge_into_comprehensive_income),
            annuity=contribution.lines if contribution else (),
            annuity_deductible=contribution.deductible
            if contribution
            else Decimal("0"),
        )
        results.append(
            (inp.worker_id, community_id, compute_payslip(payslip_input, tables.terms))
        )
    return results


def lines_as_json(lines: tuple[PayLine, ...]) -> list[list[Any]]:
    """The compact stored form of a payslip's lines (see Payslip.lines)."""
    return [
        [
            line.code,
            line.kind,
            str(line.amount),
            line.rule,
            line.version,
            dict(line.params),
        ]
        for line in lines
    ]


def employed_worker_ids(queryset: Any, year: int, month: int) -> list[int]:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return list(
        queryset.filter(joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .order_by("community_id", "pk")
        .values_list("pk", "community_id")
    )
