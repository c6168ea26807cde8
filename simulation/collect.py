"""Reads what the city stored into the plain facts ``simulation.invariants``
checks, and runs the checks. Queries grow with the months, not per payslip."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.decimals import ZERO
from core.models import Worker, WorkerCertificate
from core.money import decimal_of
from funding.models import FundYear
from funding.selectors import fund_year_figures_many, policy_on
from payroll.annuity.selectors import balances
from payroll.cycles.fetch import as_rule_table, tax_table_in_force
from payroll.models import (
    AnnuityAccount,
    AnnuityEntry,
    AnnuityReturn,
    LevelChange,
    PayrollCycle,
    Payslip,
    TaxDeclaration,
    TaxTable,
)
from payroll.rules.annuity import ANNUITY_EMPLOYER, ANNUITY_MEMBER
from payroll.rules.earnings import days_worked
from payroll.rules.floor import YEARLY_FLOOR_TOP_UP
from payroll.rules.placement import highest_certificate_levels
from payroll.rules.scale import Scale
from payroll.rules.tax import IIT
from payroll.scales.selectors import scale_for, scale_version_in_force
from ratings.models import AnnualGrade
from ratings.rules import FAIL
from simulation import invariants as inv


@dataclass
class CheckResult:
    violations: list[inv.Violation]
    payslips: int

    @property
    def counts(self) -> dict[str, int]:
        return inv.summarise(self.violations)


def _months(start: date, months: int) -> list[tuple[int, int]]:
    year, month = start.year, start.month
    result = []
    for _ in range(months):
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


class _Scales:
    """The scale in force on a day, read once per version."""

    def __init__(self) -> None:
        self.by_version: dict[int, Scale] = {}

    def on(self, day: date) -> Scale | None:
        version = scale_version_in_force(day)
        if version is None:
            return None
        if version.pk not in self.by_version:
            self.by_version[version.pk] = scale_for(version)
        return self.by_version[version.pk]


def _label(worker: Any) -> str:
    return f"{worker[1]} #{worker[0]}"


def check_city(
    *, start: date, months: int, extra: Iterable[inv.Violation] = ()
) -> CheckResult:
    """Every invariant over the months simulated from ``start``."""
    periods = _months(start, months)
    violations: list[inv.Violation] = list(extra)
    violations += _check_cycles(periods)
    scales = _Scales()
    workers = {
        row[0]: row
        for row in Worker.objects.values_list(
            "pk", "full_name", "joined_on", "left_on", "started_on", "education"
        )
    }
    payslip_count, years = _check_payslips(periods, workers, scales, violations)
    violations += _check_years(years, workers, scales)
    violations += inv.check_annuity(annuity_facts())
    first_year = start.year if start.month == 1 else start.year + 1
    for year in sorted({y for y, _m in periods}):
        if year > first_year or (year == first_year and year > start.year):
            violations += _check_levels(year, workers, scales)
    violations += _check_fund_years()
    return CheckResult(violations=violations, payslips=payslip_count)


def _check_cycles(periods: list[tuple[int, int]]) -> list[inv.Violation]:
    found = {
        (c.year, c.month): c
        for c in PayrollCycle.objects.filter(district__isnull=True).exclude(
            status=PayrollCycle.Status.CANCELLED
        )
    }
    facts = []
    for year, month in periods:
        cycle = found.get((year, month))
        facts.append(
            inv.CycleFact(
                period=f"{year}-{month:02d}",
                status=cycle.status if cycle else "missing",
                error=cycle.error if cycle else "",
            )
        )
    return inv.check_cycles(facts)


def _check_payslips(
    periods: list[tuple[int, int]],
    workers: dict[int, tuple],
    scales: _Scales,
    violations: list[inv.Violation],
) -> tuple[int, dict[tuple[int, int], list[tuple]]]:
    """The per-payslip checks; returns the count and each worker-year's
    payslips (month, lines, tax_ytd) for the yearly checks."""
    count = 0
    years: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for year, month in periods:
        scale = scales.on(date(year, month, 1))
        rows = Payslip.objects.filter(
            year=year, month=month, cycle__status=PayrollCycle.Status.LOCKED
        ).values_list(
            "worker_id",
            "gross",
            "deductions",
            "net",
            "employer_cost",
            "lines",
            "tax_ytd",
        )
        for worker_id, gross, deductions, net, employer, raw, ytd in rows.iterator(
            chunk_size=2000
        ):
            count += 1
            worker = workers[worker_id]
            lines = tuple(
                inv.Line(code=c, kind=k, amount=Decimal(a), params=p)
                for c, k, a, _r, _v, p in raw
            )
            days, total = days_worked(worker[2], worker[3], year, month)
            payslip = inv.PayslipFact(
                worker=_label(worker),
                year=year,
                month=month,
                gross=gross,
                deductions=deductions,
                net=net,
                employer_cost=employer,
                lines=lines,
                days=days,
                days_in_month=total,
                minimum_wage=scale.minimum_wage if scale else ZERO,
                floor_excluded=scale.floor_excluded_codes if scale else frozenset(),
            )
            violations += inv.check_lines_sum(payslip)
            violations += inv.check_net(payslip)
            violations += inv.check_monthly_floor(payslip)
            years[(worker_id, year)].append((month, lines, ytd))
    return count, years


def _check_years(
    years: dict[tuple[int, int], list[tuple]],
    workers: dict[int, tuple],
    scales: _Scales,
) -> list[inv.Violation]:
    found: list[inv.Violation] = []
    declarations = {
        (d.worker_id, d.year): d for d in TaxDeclaration.objects.all().iterator()
    }
    tables: dict[int, tuple[Any, Decimal] | None] = {}
    for (worker_id, year), months in sorted(years.items()):
        worker = workers[worker_id]
        months.sort(key=lambda m: m[0])
        last_month, last_lines, ytd = months[-1]
        post = next(
            (
                line.params.get("post", "")
                for line in last_lines
                if line.code == "basic"
            ),
            "",
        )
        declaration = declarations.get((worker_id, year))
        left_on = worker[3]
        totals = inv.WorkerYear(
            worker=_label(worker),
            year=year,
            last_month=last_month,
            left_in_year=bool(left_on and left_on.year == year),
            joined_on=worker[2],
            left_on=left_on if left_on and left_on.year == year else None,
            post=post,
            income=Decimal(ytd.get("income", "0")),
            tax_exempt_income=Decimal(ytd.get("tax_exempt_income", "0")),
            special_deductions=Decimal(ytd.get("special_deductions", "0")),
            special_additional_deductions=Decimal(
                ytd.get("special_additional_deductions", "0")
            ),
            other_deductions=Decimal(ytd.get("other_deductions", "0")),
            floor_total=Decimal(ytd.get("floor_total", "0")),
            withheld=sum(
                (
                    line.amount
                    for _m, lines, _y in months
                    for line in lines
                    if line.code == IIT
                ),
                ZERO,
            ),
            yearly_top_up=sum(
                (
                    line.amount
                    for _m, lines, _y in months
                    for line in lines
                    if line.code == YEARLY_FLOOR_TOP_UP
                ),
                ZERO,
            ),
            credit=next(
                (
                    Decimal(line.params.get("credit", "0"))
                    for line in last_lines
                    if line.code == IIT
                ),
                ZERO,
            ),
            counts_from_january=bool(declaration and declaration.counts_from_january),
            full_year_deduction_from_january=bool(
                declaration and declaration.full_year_deduction_from_january
            ),
        )
        if year not in tables:
            table = tax_table_in_force(TaxTable.Kind.CUMULATIVE, date(year, 12, 1))
            tables[year] = (
                (as_rule_table(table), table.monthly_standard_deduction)
                if table
                else None
            )
        in_force = tables[year]
        if in_force is not None:
            rule_table, standard = in_force
            found += inv.check_annual_tax(totals, rule_table, standard)
        scale = scales.on(date(year, last_month, 1))
        if scale is not None:
            floor = inv.yearly_floor(
                post=post,
                year=year,
                joined_on=worker[2],
                left_on=totals.left_on,
                average_wage=scale.city_average_wage,
                principal_ratio=scale.floor_principal_ratio,
                other_ratio=scale.floor_other_ratio,
                principal_post=scale.principal_post,
            )
            found += inv.check_yearly_floor(totals, floor)
    return found


def annuity_facts() -> inv.AnnuityFacts:
    member_lines = employer_lines = ZERO
    for lines in Payslip.objects.filter(
        cycle__status=PayrollCycle.Status.LOCKED
    ).values_list("lines", flat=True):
        for code, _kind, amount, *_rest in lines:
            if code == ANNUITY_MEMBER:
                member_lines += Decimal(amount)
            elif code == ANNUITY_EMPLOYER:
                employer_lines += Decimal(amount)
    Kind, Part = AnnuityEntry.Kind, AnnuityEntry.Part
    sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    by_account: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account_id, kind, part, amount in AnnuityEntry.objects.values_list(
        "account_id", "kind", "part", "amount"
    ):
        sums[(kind, part)] += amount
        by_account[account_id] += amount
    accounts = list(AnnuityAccount.objects.select_related("worker"))
    selector = balances([a.pk for a in accounts])
    labelled = {}
    negative = []
    for account in accounts:
        label = f"account {account.worker or '企业账户'} #{account.pk}"
        parts = selector.get(account.pk, {})
        labelled[label] = (sum(parts.values(), ZERO), by_account[account.pk])
        negative += [(label, part, v) for part, v in parts.items() if v < ZERO]

    def kind_total(kind: str) -> Decimal:
        return sums[(kind, Part.MEMBER)] + sums[(kind, Part.EMPLOYER)]

    return inv.AnnuityFacts(
        member_lines=member_lines,
        employer_lines=employer_lines,
        member_contributions=sums[(Kind.CONTRIBUTION, Part.MEMBER)],
        employer_contributions=sums[(Kind.CONTRIBUTION, Part.EMPLOYER)],
        returns_credited=sum(
            (
                r or ZERO
                for r in AnnuityReturn.objects.values_list("credited", flat=True)
            ),
            ZERO,
        ),
        entries_total=sum(sums.values(), ZERO),
        forfeits_total=kind_total(Kind.FORFEIT),
        reversals_total=sum(
            (v for (k, _p), v in sums.items() if k not in _KNOWN_KINDS), ZERO
        ),
        accounts=labelled,
        negative_parts=negative,
    )


_KNOWN_KINDS = {
    AnnuityEntry.Kind.CONTRIBUTION,
    AnnuityEntry.Kind.RETURN,
    AnnuityEntry.Kind.FORFEIT,
}


def _check_levels(
    year: int, workers: dict[int, tuple], scales: _Scales
) -> list[inv.Violation]:
    """A3 on 1 January of ``year`` for every worker employed on that day."""
    jan1 = date(year, 1, 1)
    dec31 = date(year - 1, 12, 31)
    scale = scales.on(jan1)
    if scale is None:
        return []
    history: dict[int, list[LevelChange]] = defaultdict(list)
    for change in LevelChange.objects.select_related("post").order_by(
        "effective_on", "pk"
    ):
        history[change.worker_id].append(change)
    certificates: dict[int, list[str]] = defaultdict(list)
    for worker_id, kind in WorkerCertificate.objects.filter(
        obtained_on__lte=dec31
    ).values_list("worker_id", "kind"):
        certificates[worker_id].append(kind)
    fails: dict[int, set[int]] = defaultdict(set)
    for worker_id, grade_year in AnnualGrade.objects.filter(
        grade=FAIL, year__lt=year, created_at__date__lte=jan1
    ).values_list("worker_id", "year"):
        fails[worker_id].add(grade_year)
    found = []
    for pk, name, joined_on, left_on, started_on, education in workers.values():
        if joined_on >= jan1 or (left_on is not None and left_on < jan1):
            continue
        steps = history.get(pk, [])
        if any(s.reason == LevelChange.Reason.OVERRIDE for s in steps):
            continue  # an override's difference is staff's decision
        before = [s for s in steps if s.effective_on < jan1]
        after = [s for s in steps if s.effective_on <= jan1]
        if not before or not after:
            continue
        current = after[-1]
        _kind, cert = highest_certificate_levels(
            certificates.get(pk, []), scale.certificate_levels
        )
        facts = inv.LevelFacts(
            worker=f"{name} #{pk}",
            year=year,
            post=current.post.code,
            post_lowest=current.post.lowest_level,
            post_highest=current.post.highest_level,
            level_before=before[-1].new_level,
            level_after=current.new_level,
            started_on=started_on,
            education_years=scale.education_years.get(education, 0),
            certificate_levels=cert,
            failed_years=len({y for y in fails.get(pk, set()) if y >= started_on.year}),
            # The early promotions earned so far: the runs of 优秀 years the
            # latest recomputation names (cumulative, not one per record).
            early_promotions=len(
                [
                    run
                    for run in (current.params or {}).get("early_pairs", "").split(",")
                    if run
                ]
            ),
            years_per_level=scale.years_per_level,
        )
        found += inv.check_level(facts)
    return found


def _check_fund_years() -> list[inv.Violation]:
    fund_years = list(FundYear.objects.select_related("community").order_by("pk"))
    figures = fund_year_figures_many(fund_years)
    by_key = {(fy.community_id, fy.year): fy for fy in fund_years}
    found = []
    for fy in fund_years:
        following = by_key.get((fy.community_id, fy.year + 1))
        closed = fy.status == FundYear.Status.CLOSED
        fact = inv.FundYearFact(
            label=f"{fy.community.name} #{fy.community_id}",
            year=fy.year,
            carried_in=fy.carried_in,
            allocation=decimal_of(fy.allocation),
            spent=figures[fy.pk].spent,
            closed=closed,
            carried_out=fy.carried_out or ZERO,
            carry_over_allowed=policy_on(date(fy.year + 1, 1, 1))
            .as_rule()
            .carry_over_allowed
            if closed
            else True,
            next_carried_in=following.carried_in if following else None,
        )
        found += inv.check_fund_year(fact)
    return found


def fund_available_now(period: str) -> list[inv.Violation]:
    """Available = allocation + carried in − committed − spent, taken before
    any clamping, for every open fund year (checked after each month)."""
    fund_years = list(
        FundYear.objects.filter(status=FundYear.Status.OPEN).select_related("community")
    )
    found = []
    figures = fund_year_figures_many(fund_years)
    for fy in fund_years:
        f = figures[fy.pk]
        raw = f.allocation + f.carried_in - f.committed - f.spent
        found += inv.check_available(
            f"{fy.community.name} #{fy.community_id} {fy.year}", period, raw
        )
    return found
