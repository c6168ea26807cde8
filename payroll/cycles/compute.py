"""Calculate: the payslips of one chunk from the inputs ``payroll.cycles.fetch``
reads.

``payslips_compute`` is the hot path of a payroll cycle: for N workers it runs
a constant number of queries, then the pure rules, and returns plain results
for ``payroll.cycles.store`` to store in bulk.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from core.models import Worker
from payroll.annuity.fetch import chunk_contributions
from payroll.cycles.corrections import corrections_for
from payroll.cycles.fetch import CycleTables, month_inputs, prior_totals
from payroll.models.cycles import (
    ContributionBase,
    ContributionRates,
    PayrollCycle,
    TaxDeclaration,
    YearEndBonus,
)
from payroll.rules import contributions, tax
from payroll.rules.earnings import month_earnings
from payroll.rules.lines import PayLine
from payroll.rules.payslip import (
    PayslipInput,
    PayslipResult,
    PriorTotals,
    compute_payslip,
)
from payroll.rules.scale import Scale


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
    prior = prior_totals(list(facts), year, month)
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
