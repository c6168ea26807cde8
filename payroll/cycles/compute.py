"""Calculate: the payslips of one chunk from the inputs ``payroll.cycles.fetch``
reads.

``payslips_compute`` is the hot path of a payroll cycle: it runs the pure
rules over a chunk's ``ChunkInputs`` (no query) and returns plain results for
``payroll.cycles.store`` to store in bulk.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.money import decimal_of
from payroll.cycles.fetch import ChunkInputs, CycleTables, opening_totals
from payroll.models.tables import ContributionRates
from payroll.rules import contributions, tax
from payroll.rules.earnings import month_earnings, prorate
from payroll.rules.floor import days_employed_in_year
from payroll.rules.lines import PayLine
from payroll.rules.payslip import (
    PayslipInput,
    PayslipResult,
    PriorTotals,
    compute_payslip,
    months_employed_after_opening,
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


def payslips_compute(
    chunk: ChunkInputs, tables: CycleTables
) -> list[tuple[int, int, PayslipResult]]:
    """(worker id, community id, result) for every worker of the chunk employed
    in the month: the pure rules over what ``fetch.chunk_inputs`` read, with
    no query."""
    year, month = chunk.year, chunk.month
    si_limits, hf_limits = base_limits(tables.rates, tables.scale)
    scale = tables.scale
    results = []
    # Workers with the same post, level, grade, stars and days earn the same
    # lines; the pure rule runs once per distinct case.
    earnings_by_case: dict[tuple[Any, ...], tuple[PayLine, ...]] = {}
    for inp in chunk.inputs:
        community_id, joined_on, left_on = chunk.facts[inp.worker_id]
        case = (
            inp.post, inp.level, inp.days_worked, inp.days_in_month, inp.one_shoulder,
            inp.grade, inp.grade_year, inp.stars, inp.star_rated_on,
        )  # fmt: skip
        earnings = earnings_by_case.get(case)
        if earnings is None:
            earnings = earnings_by_case[case] = month_earnings(inp, scale)
        base_row = chunk.bases.get(inp.worker_id)
        if base_row is not None:
            # The limits in force for the month apply (they change each July).
            si_base = contributions.clamp_base(
                base_row.social_insurance_base, si_limits
            )
            hf_base = contributions.clamp_base(base_row.housing_fund_base, hf_limits)
        else:
            standard = contributions.standard_monthly_pay(
                scale, inp.post, inp.level, inp.one_shoulder
            )
            si_base = contributions.clamp_base(standard, si_limits)
            hf_base = contributions.clamp_base(standard, hf_limits)
        if inp.days_worked < inp.days_in_month:
            # A part month contributes for its calendar days, as every pay line
            # is paid for them (A4): a worker paid for three days is never
            # charged a whole month's contributions into negative net pay.
            si_base = prorate(si_base, inp.days_worked, inp.days_in_month)
            hf_base = prorate(hf_base, inp.days_worked, inp.days_in_month)
        declaration = chunk.declarations.get(inp.worker_id)
        bonus = chunk.bonuses.get(inp.worker_id)
        contribution = chunk.annuity.get(inp.worker_id)
        opening = chunk.openings.get(inp.worker_id)
        worker_prior = chunk.prior.get(inp.worker_id)
        if opening is not None:
            months = months_employed_after_opening(
                opening_months=opening.months_employed,
                opening_month=opening.as_of_month,
                month=month,
            )
            if worker_prior is None or not worker_prior.months_paid:
                worker_prior = opening_totals(opening)
        else:
            months = tax.months_employed(
                year=year,
                month=month,
                joined_on=joined_on,
                counts_from_january=bool(
                    declaration and declaration.counts_from_january
                ),
            )
        # The yearly floor (A5) in December, or in the month a worker leaves.
        floor_check = month == 12 or (
            left_on is not None and (left_on.year, left_on.month) == (year, month)
        )
        days_employed, year_days = days_employed_in_year(joined_on, left_on, year)
        payslip_input = PayslipInput(
            worker_id=inp.worker_id,
            year=year,
            month=month,
            earnings=earnings,
            social_insurance_base=si_base,
            housing_fund_base=hf_base,
            months_employed=months,
            prior=worker_prior or PriorTotals(),
            special_additional_monthly=declaration.monthly_total
            if declaration
            else Decimal("0"),
            full_year_deduction_from_january=bool(
                declaration and declaration.full_year_deduction_from_january
            ),
            adjustments=chunk.adjustments.get(inp.worker_id, ()),
            yearly_floor_post=inp.post if floor_check else None,
            yearly_floor_scale=scale if floor_check else None,
            yearly_floor_days=days_employed,
            days_in_year=year_days,
            gross_floor=prorate(scale.minimum_wage, inp.days_worked, inp.days_in_month),
            recovery_carried=worker_prior.to_recover if worker_prior else Decimal("0"),
            floor_excluded=scale.floor_excluded_codes,
            bonus=decimal_of(bonus.amount) if bonus else None,
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
