"""Progression (晋级), DOMAIN A3. Pure: plain values in, a decision out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from core.rules import full_years_between
from payroll.rules.scale import PostRange
from ratings.rules import EXCELLENT, FAIL

REGULAR = "progression"
EARLY = "early_promotion"
POST_CHANGE = "change_of_post"


def change_post(level: int, new_post: PostRange) -> int:
    """DOMAIN A3: on a change of post the level is kept, raised to the new
    post's lowest or cut to its highest. Staff level 2 → deputy (4–15) is 4."""
    return new_post.clamp(level)


# --- progression by the formula (DOMAIN A3 as clarified) -----------------------


@dataclass(frozen=True)
class ProgressionFacts:
    """What the A2 formula needs on 31 December, and the worker's level.

    ``education_years`` and ``certificate_levels`` are those of the education
    and the highest certificate held on 31 December; ``override_difference``
    is a placement override's level minus the level the formula gave then.
    """

    level: int
    post: PostRange
    started_on: date
    education_years: int
    certificate_levels: int
    override_difference: int = 0


@dataclass(frozen=True)
class RecomputedLevel:
    effective_year: int
    old_level: int
    new_level: int
    formula_level: int
    service_years: int
    failed_years: tuple[int, ...]
    countable_years: int
    education_years: int
    certificate_levels: int
    early_pairs: tuple[tuple[int, int], ...]
    override_difference: int
    capped: bool

    @property
    def moves(self) -> bool:
        return self.new_level != self.old_level

    @property
    def early_promotions(self) -> int:
        return len(self.early_pairs)

    def as_params(self) -> dict[str, str]:
        return {
            "effective_year": str(self.effective_year),
            "formula_level": str(self.formula_level),
            "service_years": str(self.service_years),
            "failed_years": ",".join(str(y) for y in self.failed_years),
            "countable_years": str(self.countable_years),
            "education_years": str(self.education_years),
            "certificate_levels": str(self.certificate_levels),
            "early_pairs": ",".join(f"{a}-{b}" for a, b in self.early_pairs),
            "early_step": "1" if self.early_pairs else "0",
            "override_difference": str(self.override_difference),
            "capped": "1" if self.capped else "0",
        }


def early_promotions_earned(
    grades: Mapping[int, str],
    *,
    before_year: int,
    first_year: int,
    streak: int = 2,
    maximum: int = 2,
) -> tuple[tuple[int, ...], ...]:
    """The runs of ``streak`` consecutive 优秀 years (from ``first_year``, up
    to ``before_year − 1``) that each gave one early level, at most
    ``maximum``, no year used twice (DOMAIN A3). 优秀 2016–2025 → (2016,
    2017), (2018, 2019)."""
    if streak <= 0:
        return ()
    earned: list[tuple[int, ...]] = []
    year = first_year
    while year + streak - 1 < before_year and len(earned) < maximum:
        run = tuple(range(year, year + streak))
        if all(grades.get(y) == EXCELLENT for y in run):
            earned.append(run)
            year += streak
        else:
            year += 1
    return tuple(earned)


def recompute_level(
    facts: ProgressionFacts,
    *,
    effective_year: int,
    grades: Mapping[int, str],
    years_per_level: int = 3,
    early_promotion_streak: int = 2,
    max_early_promotions: int = 2,
) -> RecomputedLevel:
    """DOMAIN A3 on 1 January of ``effective_year``: the higher of the current
    level and the A2 formula recomputed with the full years of service to 31
    December less the years graded 不合格, the education and highest
    certificate held then, plus the early promotions earned and any
    override's difference, never above the post's highest. A re-run changes
    nothing; a step is never a year late.

    Example: staff (1–12) since 2017-03-01, bachelor (3), 2024 不合格 → on
    2026-01-01 8 years of service, 7 countable: 1 + (7 + 3) // 3 = 4.
    """
    service = full_years_between(facts.started_on, date(effective_year, 1, 1))
    first_year = facts.started_on.year
    failed = tuple(
        sorted(
            y
            for y, g in grades.items()
            if g == FAIL and first_year <= y < effective_year
        )
    )
    countable = max(0, service - len(failed))
    pairs = early_promotions_earned(
        grades,
        before_year=effective_year,
        first_year=first_year,
        streak=early_promotion_streak,
        maximum=max_early_promotions,
    )
    pairs2 = tuple((run[0], run[-1]) for run in pairs)
    uncapped = (
        facts.post.lowest
        + (countable + facts.education_years) // years_per_level
        + facts.certificate_levels
        + len(pairs)
        + facts.override_difference
    )
    formula = min(facts.post.highest, uncapped)
    return RecomputedLevel(
        effective_year=effective_year,
        old_level=facts.level,
        new_level=max(facts.level, formula),
        formula_level=formula,
        service_years=service,
        failed_years=failed,
        countable_years=countable,
        education_years=facts.education_years,
        certificate_levels=facts.certificate_levels,
        early_pairs=pairs2,
        override_difference=facts.override_difference,
        capped=uncapped > facts.post.highest,
    )
