"""Monthly earnings of a worker (DOMAIN A4) and the monthly pay floor (A5).

Pure: a frozen ``MonthInput`` and a ``Scale`` in, ``PayLine``s out. Each line
is rounded once, half up, to the fen; gross is the sum of the rounded lines.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.decimals import ZERO, round_cents, sum_amounts
from payroll.rules.lines import EARNING, PayLine
from payroll.rules.scale import Scale

BASIC = "basic"
PERFORMANCE = "performance"
POST_ALLOWANCE = "post_allowance"
ONE_SHOULDER = "one_shoulder"
STAR_ALLOWANCE = "star_allowance"
FLOOR_TOP_UP = "floor_top_up"
EARNING_CODES = (
    BASIC,
    PERFORMANCE,
    POST_ALLOWANCE,
    ONE_SHOULDER,
    STAR_ALLOWANCE,
    FLOOR_TOP_UP,
)
DEFAULT_GRADE = "pass"  # DOMAIN A4: no annual grade yet is paid as 合格


@dataclass(frozen=True)
class MonthInput:
    """What the earnings rule needs for one worker and one month.

    ``level`` and ``post`` are those in force on the last day worked in the
    month; ``grade`` is the grade in force (see ratings.rules.grade_in_force),
    ``stars`` the worker's valid star rating on that day, if any.
    """

    worker_id: int
    year: int
    month: int
    post: str
    level: int
    days_worked: int
    days_in_month: int
    one_shoulder: bool = False
    grade: str | None = None
    grade_year: int | None = None
    stars: int | None = None
    star_rated_on: date | None = None


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def days_worked(
    joined_on: date, left_on: date | None, year: int, month: int
) -> tuple[int, int]:
    """Calendar days worked in the month, join day and leave day included, and
    the days of the month. Joined 2026-03-10 → (22, 31); left 2026-03-10 →
    (10, 31); joined and left 2026-03-10 → (1, 31)."""
    total = days_in_month(year, month)
    first, last = date(year, month, 1), date(year, month, total)
    start = max(first, joined_on)
    end = min(last, left_on) if left_on else last
    if end < start:
        return 0, total
    return (end - start).days + 1, total


def last_day_worked(
    joined_on: date, left_on: date | None, year: int, month: int
) -> date:
    end = date(year, month, days_in_month(year, month))
    if left_on and left_on < end:
        end = left_on
    return max(end, min(joined_on, end))


def prorate(full: Decimal, days: int, total_days: int) -> Decimal:
    """A monthly amount for ``days`` of ``total_days``, rounded half up once:
    3,360.00 for 10 of 31 days → 1,083.87."""
    if days >= total_days:
        return round_cents(full)
    return round_cents(full * days / total_days)


def _base_params(inp: MonthInput) -> dict[str, str]:
    return {
        "level": str(inp.level),
        "post": inp.post,
        "days": str(inp.days_worked),
        "days_in_month": str(inp.days_in_month),
    }


def month_earnings(inp: MonthInput, scale: Scale) -> tuple[PayLine, ...]:
    """DOMAIN A4 and the monthly part of A5 for one worker-month.

    - basic = S(n) × basic ratio (70%);
    - performance = S(n) × performance ratio (30%) × grade coefficient
      (优秀 1.2, 合格 1.0, 基本合格 0.8, 不合格 0; no grade = 合格);
    - post allowance by post, plus the 一肩挑 supplement;
    - star allowance for a valid star rating only;
    - each line × days worked ÷ days in month, rounded;
    - a floor top-up if the gross (without special allowances) is below the
      minimum wage × days worked ÷ days in month.

    Example: level 7 (S = 6,000.00), 合格, staff, full month → basic 4,200.00,
    performance 1,800.00, gross 6,000.00.
    """
    days, total_days = inp.days_worked, inp.days_in_month
    if days <= 0:
        return ()
    standard = scale.standard_pay[inp.level]
    base = _base_params(inp)
    lines: list[PayLine] = []

    def add(code: str, full: Decimal, rule: str, **params: str) -> None:
        lines.append(
            PayLine(
                code=code,
                kind=EARNING,
                amount=prorate(full, days, total_days),
                rule=rule,
                version=scale.code,
                params={**base, "full": str(round_cents(full)), **params},
            )
        )

    add(
        BASIC,
        standard * scale.basic_ratio,
        "A4.basic",
        standard=str(standard),
        ratio=str(scale.basic_ratio),
    )
    grade = inp.grade or DEFAULT_GRADE
    coefficient = scale.grade_coefficients[grade]
    add(
        PERFORMANCE,
        standard * scale.performance_ratio * coefficient,
        "A4.performance",
        standard=str(standard),
        ratio=str(scale.performance_ratio),
        grade=grade,
        grade_year=str(inp.grade_year or ""),
        graded="1" if inp.grade else "0",
        coefficient=str(coefficient),
    )
    allowance = scale.post_allowance.get(inp.post, ZERO)
    if allowance:
        add(POST_ALLOWANCE, allowance, "A4.post_allowance", allowance=str(allowance))
    if inp.one_shoulder and scale.one_shoulder_supplement:
        add(
            ONE_SHOULDER,
            scale.one_shoulder_supplement,
            "A4.one_shoulder",
            supplement=str(scale.one_shoulder_supplement),
        )
    if inp.stars is not None:
        star_amount = scale.star_allowances.get(inp.stars, ZERO)
        add(
            STAR_ALLOWANCE,
            star_amount,
            "A4.star_allowance",
            stars=str(inp.stars),
            allowance=str(star_amount),
            rated_on=inp.star_rated_on.isoformat() if inp.star_rated_on else "",
        )
    top_up = floor_top_up(lines, scale, days=days, total_days=total_days)
    if top_up is not None:
        lines.append(top_up)
    return tuple(lines)


def floor_top_up(
    lines: list[PayLine], scale: Scale, *, days: int, total_days: int
) -> PayLine | None:
    """DOMAIN A5 (monthly): gross without special allowances must reach the
    minimum wage (prorated like the other lines); the shortfall is a line.
    Gross 2,000.00 against 2,490.00 → top-up 490.00."""
    counted = sum_amounts(
        line.amount for line in lines if line.code not in scale.floor_excluded_codes
    )
    floor = prorate(scale.minimum_wage, days, total_days)
    if counted >= floor:
        return None
    return PayLine(
        code=FLOOR_TOP_UP,
        kind=EARNING,
        amount=floor - counted,
        rule="A5.monthly_floor",
        version=scale.code,
        params={
            "minimum_wage": str(scale.minimum_wage),
            "floor": str(floor),
            "counted": str(counted),
            "days": str(days),
            "days_in_month": str(total_days),
        },
    )
