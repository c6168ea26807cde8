"""Progression (晋级), DOMAIN A3. Pure: plain values in, a decision out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from payroll.rules.scale import PostRange
from ratings.rules import EXCELLENT, FAIL

REGULAR = "progression"
EARLY = "early_promotion"
POST_CHANGE = "change_of_post"


@dataclass(frozen=True)
class ProgressionState:
    """Where a worker stands before the run for ``effective_year``.

    ``counting_from_year`` is the first calendar year that counts toward the
    next regular step (the year after placement, or the year of the last
    regular step); ``carried_years`` are countable years left over from it.
    ``last_early_year`` is the effective year of the last early promotion.
    """

    level: int
    post: PostRange
    counting_from_year: int
    carried_years: int = 0
    early_promotions_used: int = 0
    last_early_year: int | None = None
    first_service_year: int = 0


@dataclass(frozen=True)
class ProgressionDecision:
    effective_year: int
    old_level: int
    new_level: int
    regular_steps: int
    early_step: bool
    countable_years: int
    carried_years: int
    failed_years: tuple[int, ...]
    excellent_pair: tuple[int, int] | None
    capped: bool

    @property
    def moves(self) -> bool:
        return self.new_level != self.old_level

    def as_params(self) -> dict[str, str]:
        return {
            "effective_year": str(self.effective_year),
            "regular_steps": str(self.regular_steps),
            "early_step": "1" if self.early_step else "0",
            "countable_years": str(self.countable_years),
            "carried_years": str(self.carried_years),
            "failed_years": ",".join(str(y) for y in self.failed_years),
            "excellent_pair": "-".join(str(y) for y in self.excellent_pair)
            if self.excellent_pair
            else "",
            "capped": "1" if self.capped else "0",
        }


def progress(
    state: ProgressionState,
    *,
    effective_year: int,
    grades: Mapping[int, str],
    years_per_level: int = 3,
    early_promotion_streak: int = 2,
    max_early_promotions: int = 2,
) -> ProgressionDecision:
    """DOMAIN A3 for the change effective on 1 January of ``effective_year``.

    - Years ``counting_from_year`` … ``effective_year - 1`` count, except a year
      graded 不合格; every ``years_per_level`` countable years give one level.
    - ``early_promotion_streak`` consecutive 优秀 years ending with the last
      year give one extra level, at most ``max_early_promotions`` times in a
      career, and a year is never used for two early promotions.
    - The level never goes above the post's highest.

    Example: counting from 2023, grades 2023 合格, 2024 不合格, 2025 合格 → 2
    countable years, no step on 2026-01-01; with 2024 合格 → one step.
    """
    years = range(state.counting_from_year, effective_year)
    failed = tuple(y for y in years if grades.get(y) == FAIL)
    countable = state.carried_years + len(years) - len(failed)
    steps = countable // years_per_level
    carry = countable - steps * years_per_level

    pair: tuple[int, int] | None = None
    first = effective_year - early_promotion_streak
    streak = range(first, effective_year)
    if (
        early_promotion_streak > 0
        and state.early_promotions_used < max_early_promotions
        and first >= state.first_service_year
        and all(grades.get(y) == EXCELLENT for y in streak)
        and (state.last_early_year is None or first >= state.last_early_year)
    ):
        pair = (first, effective_year - 1)
    after_regular = max(state.level, min(state.post.highest, state.level + steps))
    early = pair is not None and after_regular < state.post.highest
    new_level = after_regular + (1 if early else 0)
    return ProgressionDecision(
        effective_year=effective_year,
        old_level=state.level,
        new_level=new_level,
        regular_steps=steps,
        early_step=early,
        countable_years=countable,
        carried_years=carry,
        failed_years=failed,
        excellent_pair=pair if early else None,
        capped=state.level + steps + (1 if pair else 0) > state.post.highest,
    )


def change_post(level: int, new_post: PostRange) -> int:
    """DOMAIN A3: on a change of post the level is kept, raised to the new
    post's lowest or cut to its highest. Staff level 2 → deputy (4–15) is 4."""
    return new_post.clamp(level)
