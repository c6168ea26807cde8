"""Fetch: every input a chunk of payslips reads, in a constant number of queries.

The dated tables in force for a cycle (scale, contribution rates, tax tables,
annuity terms) and the month inputs of its workers, as plain frozen data for
``payroll.cycles.compute``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from core.models import Worker
from core.money import decimal_of
from payroll.annuity.fetch import AnnuityTables, annuity_tables_for, chunk_contributions
from payroll.cycles.corrections import corrections_for
from payroll.levels.selectors import month_inputs
from payroll.models import (
    ScaleVersion,
)
from payroll.models.cycles import PayrollCycle, Payslip
from payroll.models.inputs import OpeningBalance, TaxDeclaration, YearEndBonus
from payroll.models.tables import ContributionBase, ContributionRates, TaxTable
from payroll.rules import contributions, tax
from payroll.rules.earnings import (
    MonthInput,
)
from payroll.rules.lines import PayLine
from payroll.rules.payslip import (
    PayslipTerms,
    PriorTotals,
)
from payroll.rules.scale import Scale
from payroll.scales.selectors import scale_for

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

    def dated_rows(self) -> list[Any]:
        """The dated table rows this cycle reads; each freezes once used."""
        rows = [self.scale_version, self.rates, self.cumulative_table]
        if self.monthly_table is not None:
            rows.append(self.monthly_table)
        if self.annuity is not None:
            rows.append(self.annuity.version)
        return rows


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


def tables_for_computing(cycle: PayrollCycle) -> CycleTables:
    """The tables a chunk of a computing cycle reads.

    Read again for every chunk (about 15 small queries, a few milliseconds
    against a chunk's second): a per-process cache would have to be keyed on
    every table it holds, and a recompute after a new tax table or plan
    version must use the new one, the one its start marked used.
    """
    return tables_for(cycle)


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
        bonus_separate_until=monthly.bonus_separate_until if monthly else None,
    )
    scale = scale_for(version)
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
    ``month`` (payslips ordered by month, so the latest wins). In January,
    only what is still to recover from last December is carried (A11)."""
    # By worker, not by community: a worker who moved keeps her year-to-date.
    if month == 1:
        carried: dict[int, PriorTotals] = {}
        for worker_id, ytd in Payslip.objects.filter(
            worker_id__in=worker_ids, year=year - 1, month=12
        ).values_list("worker_id", "tax_ytd"):
            to_recover = Decimal((ytd or {}).get("to_recover", "0"))
            if to_recover:
                carried[worker_id] = PriorTotals(to_recover=to_recover)
        return carried
    in_chunk = Payslip.objects.filter(worker_id__in=worker_ids, year=year)
    latest: dict[int, Any] = dict(
        in_chunk.filter(month=month - 1).values_list("worker_id", "tax_ytd")
    )
    missing = [pk for pk in worker_ids if pk not in latest]
    if month > 2 and missing:
        # Workers not paid last month (unpaid leave, a late start; usually
        # none or a few): their latest earlier payslip, found without
        # decoding every month's row.
        earlier = Payslip.objects.filter(
            worker_id__in=missing, year=year, month__lt=month - 1
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


def opening_balances(
    community_ids: list[int], year: int, month: int
) -> dict[int, OpeningBalance]:
    """Opening year-to-date figures (DOMAIN A7) of a chunk's workers that a
    cycle of ``month`` starts from (those as of an earlier month)."""
    return {
        row.worker_id: row
        for row in OpeningBalance.objects.filter(
            worker__community_id__in=community_ids, year=year, as_of_month__lt=month
        )
    }


def opening_totals(opening: OpeningBalance) -> PriorTotals:
    """An imported opening balance as the year-to-date the first cycle
    starts from (DOMAIN A7); the typed amounts become Decimals here."""
    return PriorTotals.from_opening(
        income=decimal_of(opening.gross_income),
        tax_exempt_income=decimal_of(opening.tax_exempt_income),
        special_deductions=decimal_of(opening.special_deductions),
        special_additional_deductions=decimal_of(opening.special_additional_deductions),
        other_deductions=decimal_of(opening.other_deductions),
        tax_withheld=decimal_of(opening.tax_withheld),
        months_employed=opening.months_employed,
        floor_total=decimal_of(opening.floor_total),
    )


def employed_worker_ids(
    queryset: QuerySet[Worker], year: int, month: int
) -> list[tuple[int, int]]:
    """(worker id, community id) of everyone employed in the month, by community."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return list(
        queryset.filter(joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .order_by("community_id", "pk")
        .values_list("pk", "community_id")
    )


@dataclass(frozen=True)
class ChunkInputs:
    """Everything the payslips of one chunk are computed from, read once.

    ``facts`` is worker -> (community, joined on, left on); the other mappings
    are by worker id: the contribution base row, the tax declaration and the
    year-end bonus of the month if any, the year-to-date before this month,
    the imported opening figures (A7), the back-pay lines of corrected months,
    and the annuity contribution of members (``payroll.annuity.fetch``).
    """

    year: int
    month: int
    inputs: list[MonthInput]
    facts: dict[int, tuple[int, date, date | None]]
    bases: dict[int, ContributionBase]
    declarations: dict[int, TaxDeclaration]
    bonuses: dict[int, YearEndBonus]
    prior: dict[int, PriorTotals]
    openings: dict[int, OpeningBalance]
    adjustments: dict[int, tuple[PayLine, ...]]
    annuity: dict[int, Any]


def chunk_inputs(
    cycle: PayrollCycle,
    worker_ids: list[int],
    community_ids: list[int],
    tables: CycleTables,
    annuity_members: list[int] | None = None,
) -> ChunkInputs:
    """The inputs of every worker of ``worker_ids`` in a constant number of
    queries.

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
        pk: (community_id, joined_on, left_on)
        for pk, community_id, joined_on, left_on in workers.values_list(
            "pk", "community_id", "joined_on", "left_on"
        )
        if pk in wanted
    }
    inputs = [
        inp for inp in month_inputs(workers, year, month) if inp.worker_id in wanted
    ]
    scale = tables.scale
    return ChunkInputs(
        year=year,
        month=month,
        inputs=inputs,
        facts=facts,
        bases={
            row.worker_id: row
            for row in ContributionBase.objects.filter(
                **by_community, starts_on__lte=last, ends_on__gte=last
            )
        },
        declarations={
            d.worker_id: d
            for d in TaxDeclaration.objects.filter(**by_community, year=year)
        },
        bonuses={
            b.worker_id: b
            for b in YearEndBonus.objects.filter(**by_community, year=year, month=month)
        },
        prior=prior_totals(list(facts), year, month),
        openings=opening_balances(community_ids, year, month),
        adjustments=corrections_for(cycle, [inp.worker_id for inp in inputs]),
        annuity=chunk_contributions(
            year=year,
            month=month,
            community_ids=community_ids,
            inputs=inputs,
            annuity=tables.annuity,
            standard_pay=lambda inp: contributions.standard_monthly_pay(
                scale, inp.post, inp.level, inp.one_shoulder
            ),
            member_ids=annuity_members,
        ),
    )
