"""Reads of the level history: levels on a day, certificates and the progression state of DOMAIN A3."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from core.models import WorkerCertificate
from payroll.models import (
    LevelChange,
)
from payroll.rules.progression import ProgressionState
from payroll.rules.scale import PostRange


def worker_filter(workers: QuerySet | Iterable[int], path: str = "worker") -> Q:
    if isinstance(workers, QuerySet):
        return Q(**{f"{path}_id__in": workers.values("pk")})
    return Q(**{f"{path}_id__in": list(workers)})


@dataclass(frozen=True)
class LevelStep:
    effective_on: date
    old_level: int | None
    new_level: int
    old_post_id: int | None
    post_id: int
    reason: str
    params: dict[str, Any]


def level_history_by_worker(
    workers: QuerySet | Iterable[int],
) -> dict[int, list[LevelStep]]:
    """``{worker_id: [LevelStep, ...]}`` in date order, one query."""
    history: dict[int, list[LevelStep]] = defaultdict(list)
    rows = (
        LevelChange.objects.filter(worker_filter(workers))
        .order_by("worker_id", "effective_on", "id")
        .values_list(
            "worker_id",
            "effective_on",
            "old_level",
            "new_level",
            "old_post_id",
            "post_id",
            "reason",
            "params",
        )
    )
    for worker_id, *values in rows:
        history[worker_id].append(LevelStep(*values))
    return dict(history)


def level_on(
    steps: list[LevelStep], day: date, *, current_level: int, current_post_id: int
) -> tuple[int, int]:
    """(level, post_id) in force on ``day`` from the history; the worker's
    current values when the history says nothing earlier."""
    before = [s for s in steps if s.effective_on <= day]
    if before:
        return before[-1].new_level, before[-1].post_id
    after = [s for s in steps if s.effective_on > day]
    if after and after[0].old_level is not None:
        return after[0].old_level, after[0].old_post_id or after[0].post_id
    return current_level, current_post_id


def certificates_by_worker(
    workers: QuerySet | Iterable[int], day: date
) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    rows = WorkerCertificate.objects.filter(
        worker_filter(workers), obtained_on__lte=day
    ).values_list("worker_id", "kind")
    for worker_id, kind in rows:
        result[worker_id].append(kind)
    return dict(result)


BASELINE_REASONS = (LevelChange.Reason.PLACEMENT, LevelChange.Reason.PROGRESSION)


def progression_state(
    *,
    steps: list[LevelStep],
    level: int,
    post: PostRange,
    started_on: date,
) -> ProgressionState | None:
    """Where a worker stands for progression; None without a placement."""
    baseline = next((s for s in reversed(steps) if s.reason in BASELINE_REASONS), None)
    if baseline is None:
        return None
    if baseline.reason == LevelChange.Reason.PLACEMENT:
        on = baseline.effective_on
        counting_from = on.year if (on.month, on.day) == (1, 1) else on.year + 1
        carried = int(baseline.params.get("carried_years", 0) or 0)
    else:
        counting_from = baseline.effective_on.year
        carried = int(baseline.params.get("carried_years", 0) or 0)
    early = [s for s in steps if s.params.get("early_step") == "1"]
    first_service = (
        started_on.year
        if (started_on.month, started_on.day) == (1, 1)
        else started_on.year + 1
    )
    return ProgressionState(
        level=level,
        post=post,
        counting_from_year=counting_from,
        carried_years=carried,
        early_promotions_used=len(early),
        last_early_year=max((s.effective_on.year for s in early), default=None),
        first_service_year=first_service,
    )
