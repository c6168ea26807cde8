"""Reads for a worker's own pages.

Which rows are hers is decided by ``core.selectors`` (through the apps'
``*_visible_to`` selectors); this module only shapes them for her pages:
the months she was paid, a payslip with the sentence behind each line, the
year's statement, her level history and when the next step is due, her
ratings and, for a secretary, her annuity account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from core.decimals import ZERO, round_cents
from core.models import Post, User, Worker
from core.selectors import worker_list_visible_to
from payroll.annuity.selectors import Statement as AnnuityStatement
from payroll.annuity.selectors import (
    account_statement,
    annuity_account_list_visible_to,
)
from payroll.cycles.selectors import RELEASED, payslip_list_visible_to
from payroll.cycles.store import INCOME_TAX_CODES
from payroll.declarations.selectors import deduction_claim_list_visible_to
from payroll.explain import sentences as derivations
from payroll.levels.services import progression_plan
from payroll.models import (
    AnnuityAccount,
    DeductionClaim,
    LevelChange,
    PayrollCycle,
    Payslip,
)
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER, PayLine
from payroll.rules.payslip import PriorTotals
from payroll.rules.tax import IIT
from ratings import rules as rating_rules
from ratings.models import AnnualGrade, StarRating
from ratings.selectors import annual_grade_list_visible_to, star_rating_list_visible_to

ADJUSTMENT = "adjustment"
# Lines that pay or recover an earlier month, and the recovery carried over
# when a month cannot take all of it (DOMAIN A11).
CORRECTION_CODES = {ADJUSTMENT, "recovery", "recovery_deferred"}
# Sections of a payslip, in the order a worker reads them.
SECTIONS = (EARNING, DEDUCTION, EMPLOYER)


def _own_worker_id(user: User) -> int:
    """The worker this login belongs to; 404 for a login that has none."""
    if user.worker_id is None:
        raise Http404
    return user.worker_id


def own_worker(user: User) -> Worker:
    """The worker this login belongs to; 404 for a login that has none."""
    worker = worker_list_visible_to(user=user).filter(pk=_own_worker_id(user)).first()
    if worker is None:
        raise Http404
    return worker


def own_payslips(user: User) -> QuerySet[Payslip]:
    """Her payslips of approved or paid months, newest first."""
    return (
        payslip_list_visible_to(user=user)
        .filter(worker_id=_own_worker_id(user), cycle__status__in=RELEASED)
        .order_by("-year", "-month")
    )


@dataclass
class MonthRow:
    payslip: Payslip
    is_paid: bool
    corrected_in: list[str] = field(default_factory=list)


def corrections_by_period(payslips: list[Payslip]) -> dict[str, list[str]]:
    """{"2026-03": ["2026-05", ...]}: the later months whose payslips carry
    corrections of a month."""
    found: dict[str, set[str]] = defaultdict(set)
    for payslip in payslips:
        for line in payslip.pay_lines():
            if line.code == ADJUSTMENT:
                found[str(line.params.get("period", ""))].add(payslip.cycle.period)
    return {period: sorted(months) for period, months in found.items()}


def month_rows(user: User) -> list[MonthRow]:
    payslips = list(own_payslips(user).select_related("cycle"))
    corrected = corrections_by_period(payslips)
    return [
        MonthRow(
            payslip=p,
            is_paid=p.cycle.status == PayrollCycle.Status.LOCKED,
            corrected_in=corrected.get(p.cycle.period, []),
        )
        for p in payslips
    ]


@dataclass
class ExplainedLine:
    line: PayLine
    name: str
    derivation: str
    corrects: str = ""  # the month an adjustment line corrects


@dataclass
class PayslipView:
    payslip: Payslip
    sections: list[tuple[str, list[ExplainedLine]]]
    corrections: list[ExplainedLine]
    corrected_later: list[tuple[str, ExplainedLine]]
    to_recover: Decimal
    pdf_url: str


def _explained(line: PayLine, post_names: dict[str, str]) -> ExplainedLine:
    return ExplainedLine(
        line=line,
        name=derivations.line_name(line.code),
        derivation=derivations.derivation(line, post_names),
        corrects=str(line.params.get("period", "")) if line.code == ADJUSTMENT else "",
    )


def payslip_pdf_url(payslip: Payslip) -> str:
    """The official PDF of a payslip, once the documents app provides one."""
    for name in ("payroll:payslip-pdf", "documents:payslip-pdf"):
        try:
            return reverse(name, args=[payslip.pk])
        except NoReverseMatch:
            continue
    return ""


def payslip_view(user: User, payslip: Payslip) -> PayslipView:
    """Every line of her payslip with its sentence, the corrections it pays or
    recovers, later corrections of this month, and what is still to recover."""
    post_names = {p.code: p.label for p in Post.objects.all()}
    lines = [_explained(line, post_names) for line in payslip.pay_lines()]
    sections = [
        (
            kind,
            [
                x
                for x in lines
                if x.line.kind == kind and x.line.code not in CORRECTION_CODES
            ],
        )
        for kind in SECTIONS
    ]
    later = own_payslips(user).filter(year__gte=payslip.year).exclude(pk=payslip.pk)
    corrected_later = []
    for other in later.select_related("cycle"):
        for line in other.pay_lines():
            if line.code == ADJUSTMENT and line.params.get("period") == (
                payslip.cycle.period
            ):
                corrected_later.append(
                    (other.cycle.period, _explained(line, post_names))
                )
    return PayslipView(
        payslip=payslip,
        sections=[(kind, rows) for kind, rows in sections if rows],
        corrections=[x for x in lines if x.line.code in CORRECTION_CODES],
        corrected_later=corrected_later,
        to_recover=Decimal(str(payslip.tax_ytd.get("to_recover", "0") or "0")),
        pdf_url=payslip_pdf_url(payslip),
    )


@dataclass
class StatementMonth:
    period: str
    payslip: Payslip
    gross: Decimal
    contributions: Decimal  # social insurance, housing fund, annuity
    income_tax: Decimal
    net: Decimal
    ytd: PriorTotals


@dataclass
class YearStatement:
    year: int
    months: list[StatementMonth]
    gross: Decimal
    contributions: Decimal
    income_tax: Decimal
    net: Decimal
    ytd: PriorTotals | None
    years: list[int]


def year_statement(user: User, year: int) -> YearStatement:
    """Month by month: gross, deductions, tax withheld, net, and the
    cumulative figures of the tax year as stored on each payslip."""
    payslips = list(own_payslips(user).select_related("cycle").order_by("month"))
    years = sorted({p.year for p in payslips}, reverse=True)
    months = []
    for payslip in (p for p in payslips if p.year == year):
        lines = payslip.pay_lines()
        tax = sum((x.amount for x in lines if x.code in INCOME_TAX_CODES), ZERO)
        contributions = sum(
            (
                x.amount
                for x in lines
                if x.kind == DEDUCTION and x.code not in INCOME_TAX_CODES
            ),
            ZERO,
        )
        months.append(
            StatementMonth(
                period=payslip.cycle.period,
                payslip=payslip,
                gross=payslip.gross,
                contributions=contributions,
                income_tax=tax,
                net=payslip.net,
                ytd=PriorTotals.from_dict(payslip.tax_ytd),
            )
        )
    return YearStatement(
        year=year,
        months=months,
        gross=sum((m.gross for m in months), ZERO),
        contributions=sum((m.contributions for m in months), ZERO),
        income_tax=sum((m.income_tax for m in months), ZERO),
        net=sum((m.net for m in months), ZERO),
        ytd=months[-1].ytd if months else None,
        years=years,
    )


@dataclass(frozen=True)
class NextStep:
    on: date
    level: int
    early: bool
    assumes_pass: bool  # the years not yet graded are taken as 合格


def level_changes(worker: Worker) -> QuerySet[LevelChange]:
    return (
        LevelChange.objects.filter(worker=worker)
        .select_related("post", "old_post")
        .order_by("-effective_on", "-id")
    )


def next_progression(worker: Worker, today: date, horizon: int = 12) -> NextStep | None:
    """When her level next rises by the progression rule (DOMAIN A3): the
    first 1 January on which payroll's own yearly plan moves her, with her
    grades so far and the years not graded yet counting as passed; None at
    the top of her post, without a placement, or with no adopted scale."""
    if worker.level >= worker.post.highest_level:
        return None
    graded = set(
        AnnualGrade.objects.filter(worker=worker).values_list("year", flat=True)
    )
    one = Worker.objects.filter(pk=worker.pk)
    for year in range(today.year + 1, today.year + 1 + horizon):
        try:
            plan = progression_plan(year=year, workers=one)
        except ValidationError:
            return None  # no scale version in force
        decision = plan[0][1] if plan else None
        if decision is None:
            return None
        if decision.moves:
            return NextStep(
                on=date(year, 1, 1),
                level=decision.new_level,
                early=decision.as_params().get("early_step") == "1",
                assumes_pass=any(y not in graded for y in range(today.year, year)),
            )
    return None


@dataclass
class RatingsView:
    grades: list[AnnualGrade]
    stars: list[
        tuple[StarRating, str]
    ]  # (rating, "in_force" | "expired" | "replaced" | "future")
    in_force: StarRating | None


def own_ratings(user: User, today: date) -> RatingsView:
    grades = list(
        annual_grade_list_visible_to(user=user)
        .filter(worker_id=_own_worker_id(user))
        .order_by("-year")
    )
    ratings = list(
        star_rating_list_visible_to(user=user)
        .filter(worker_id=_own_worker_id(user))
        .order_by("-rated_on")
    )
    current = rating_rules.star_valid_on([r.as_rule() for r in ratings], today)
    in_force = next(
        (r for r in ratings if current and r.rated_on == current.rated_on), None
    )
    rows = []
    for rating in ratings:
        if rating is in_force:
            state = "in_force"
        elif rating.rated_on > today:
            state = "future"
        elif in_force is not None and rating.rated_on < in_force.rated_on:
            state = "replaced"
        elif rating.valid_until < today:
            state = "expired"
        else:
            state = "replaced"
        rows.append((rating, state))
    return RatingsView(grades=grades, stars=rows, in_force=in_force)


def own_annuity_account(user: User) -> AnnuityAccount | None:
    return (
        annuity_account_list_visible_to(user=user)
        .filter(worker_id=_own_worker_id(user))
        .first()
    )


def own_annuity(user: User, today: date) -> AnnuityStatement | None:
    """Her annuity account's statement, if she is (or was) a plan member."""
    account = own_annuity_account(user)
    return account_statement(account, today) if account is not None else None


@dataclass
class ClaimRow:
    claim: DeductionClaim
    tax_effect: Decimal  # about how much less tax a month, at her latest rate


@dataclass
class DeclarationsView:
    rows: list[ClaimRow]
    rate: Decimal | None
    totals: list[tuple[int, Decimal]]

    @property
    def rate_percent(self) -> str:
        return f"{(self.rate or ZERO) * 100:.0f}%"


def latest_tax_rate(user: User) -> Decimal | None:
    """The withholding rate of her latest payslip (3% for most workers)."""
    latest = own_payslips(user).first()
    if latest is None:
        return None
    for line in latest.pay_lines():
        if line.code == IIT:
            return Decimal(line.params.get("rate", "0"))
    return None


def own_declarations(user: User, today: date) -> DeclarationsView:
    """Her declarations, newest first, with the monthly tax they save at her
    latest rate, and the approved monthly total of each year."""
    claims = list(
        deduction_claim_list_visible_to(user=user)
        .filter(worker_id=_own_worker_id(user))
        .order_by("-year", "-submitted_at", "-pk")
    )
    rate = latest_tax_rate(user)
    rows = [
        ClaimRow(
            claim=claim,
            tax_effect=round_cents(claim.monthly_amount * rate)
            if rate and claim.status != DeductionClaim.Status.WITHDRAWN
            else ZERO,
        )
        for claim in claims
    ]
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for claim in claims:
        if claim.status == DeductionClaim.Status.APPROVED:
            totals[claim.year] += claim.monthly_amount
    return DeclarationsView(
        rows=rows, rate=rate, totals=sorted(totals.items(), reverse=True)
    )
