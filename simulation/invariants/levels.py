"""Levels: a worker's level equals the A3 formula."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.rules import full_years_between

from .violations import LEVEL_FORMULA, Violation


@dataclass(frozen=True)
class LevelFacts:
    """What A3 reads for one worker on 1 January of ``year``."""

    worker: str
    year: int
    post: str
    post_lowest: int
    post_highest: int
    level_before: int  # in force on 31 December
    level_after: int  # in force on 1 January
    started_on: date
    education_years: int
    certificate_levels: int  # the highest certificate held on 31 December
    failed_years: int  # countable years graded 不合格 (known on 1 January)
    early_promotions: int  # early promotions earned up to 1 January
    years_per_level: int = 3


def a3_level(facts: LevelFacts) -> int:
    """A3: the higher of the current level and the A2 formula recomputed to
    31 December (不合格 years left out), plus early promotions; within the
    post's range."""
    # Service through 31 December inclusive: full years to 1 January.
    service = full_years_between(facts.started_on, date(facts.year, 1, 1))
    countable = max(0, service - facts.failed_years)
    formula = (
        facts.post_lowest
        + (countable + facts.education_years) // facts.years_per_level
        + facts.certificate_levels
        + facts.early_promotions
    )
    current = min(max(facts.level_before, facts.post_lowest), facts.post_highest)
    return min(facts.post_highest, max(current, formula))


def check_level(facts: LevelFacts) -> list[Violation]:
    expected = a3_level(facts)
    if facts.level_after == expected:
        return []
    return [
        Violation(
            LEVEL_FORMULA,
            facts.worker,
            f"{facts.year}-01-01",
            f"level {facts.level_after}, A3 gives {expected} (was "
            f"{facts.level_before}; {facts.post} {facts.post_lowest}–"
            f"{facts.post_highest}, started {facts.started_on}, education "
            f"+{facts.education_years}, certificate +{facts.certificate_levels}, "
            f"failed years {facts.failed_years}, early {facts.early_promotions})",
        )
    ]
