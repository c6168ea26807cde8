"""Reads of payroll: scale versions as rule data, and rule inputs in bulk.

``month_inputs`` builds the earnings inputs of MANY workers with a fixed
number of queries (workers, level history, posts, positions, grades, stars),
so the payroll cycle can call it per chunk without per-worker queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from core.models import Post, Worker, WorkerCertificate, WorkerPosition
from payroll.models import (
    PARAMETER_KINDS,
    LevelChange,
    ParameterCode,
    ScaleVersion,
)
from payroll.rules.earnings import (
    MonthInput,
    days_in_month,
    days_worked,
    last_day_worked,
)
from payroll.rules.progression import ProgressionState
from payroll.rules.scale import PostRange, Scale
from ratings.rules import grade_in_force, star_valid_on
from ratings.selectors import grades_by_worker, stars_by_worker

ONE_SHOULDER_POSITIONS = ("secretary", "director")


class ScaleMissingError(LookupError):
    """No adopted version is in force, or a version lacks a table row."""


def scale_version_list() -> QuerySet[ScaleVersion]:
    return ScaleVersion.objects.all()


def scale_version_in_force(day: date) -> ScaleVersion | None:
    """The adopted version whose effective date is the latest on or before day."""
    return (
        ScaleVersion.objects.filter(
            status=ScaleVersion.Status.ADOPTED, effective_on__lte=day
        )
        .order_by("-effective_on", "-pk")
        .first()
    )


def scale_for(version: ScaleVersion) -> Scale:
    """The version's rows as a frozen ``Scale`` (7 queries)."""
    params: dict[str, Any] = {}
    for parameter in version.parameters.all():
        params[parameter.code] = parameter.value
    missing = [code for code in PARAMETER_KINDS if params.get(code) is None]
    if missing:
        raise ScaleMissingError(
            f"scale version {version.code} lacks parameters: {', '.join(missing)}"
        )
    return Scale(
        code=version.code,
        standard_pay={r.level: r.standard_pay for r in version.level_pays.all()},
        post_allowance={
            r.post.code: r.amount
            for r in version.post_allowances.select_related("post")
        },
        one_shoulder_supplement=params[ParameterCode.ONE_SHOULDER_SUPPLEMENT],
        basic_ratio=params[ParameterCode.BASIC_RATIO],
        performance_ratio=params[ParameterCode.PERFORMANCE_RATIO],
        grade_coefficients={
            r.grade: r.coefficient for r in version.grade_coefficients.all()
        },
        star_allowances={r.stars: r.amount for r in version.star_allowances.all()},
        minimum_wage=params[ParameterCode.MINIMUM_WAGE],
        education_years={r.education: r.years for r in version.education_years.all()},
        certificate_levels={r.kind: r.levels for r in version.certificate_levels.all()},
        years_per_level=params[ParameterCode.YEARS_PER_LEVEL],
        early_promotion_streak=params[ParameterCode.EARLY_PROMOTION_STREAK],
        max_early_promotions=params[ParameterCode.MAX_EARLY_PROMOTIONS],
        star_validity_years=params[ParameterCode.STAR_VALIDITY_YEARS],
        city_average_wage=params[ParameterCode.CITY_AVERAGE_WAGE],
        growth_rate=params[ParameterCode.GROWTH_RATE],
        floor_principal_ratio=params[ParameterCode.FLOOR_PRINCIPAL_RATIO],
        floor_other_ratio=params[ParameterCode.FLOOR_OTHER_RATIO],
    )


def scale_for_month(year: int, month: int) -> tuple[ScaleVersion, Scale]:
    version = scale_version_in_force(date(year, month, 1))
    if version is None:
        raise ScaleMissingError(f"no adopted scale version for {year}-{month:02d}")
    return version, scale_for(version)


def post_ranges() -> dict[int, PostRange]:
    return {
        p.pk: PostRange(p.code, p.lowest_level, p.highest_level)
        for p in Post.objects.all()
    }


def _worker_filter(workers: QuerySet | Iterable[int], path: str = "worker") -> Q:
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
        LevelChange.objects.filter(_worker_filter(workers))
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


def one_shoulder_on(workers: QuerySet | Iterable[int], day: date) -> set[int]:
    """Workers holding both 书记 and 主任 on ``day`` (一肩挑), one query."""
    held: dict[int, set[str]] = defaultdict(set)
    rows = WorkerPosition.objects.filter(
        _worker_filter(workers),
        position__in=ONE_SHOULDER_POSITIONS,
        started_on__lte=day,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    for worker_id, position in rows.values_list("worker_id", "position"):
        held[worker_id].add(position)
    return {w for w, p in held.items() if p >= set(ONE_SHOULDER_POSITIONS)}


def month_inputs(workers: QuerySet[Worker], year: int, month: int) -> list[MonthInput]:
    """Earnings inputs of every worker in ``workers`` employed in the month.

    Six queries whatever the number of workers. Level and post are those in
    force on the last day worked; the grade is the one in force for the year;
    the star rating the one valid on the last day worked.
    """
    total = days_in_month(year, month)
    first, last = date(year, month, 1), date(year, month, total)
    employed = workers.filter(joined_on__lte=last).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=first)
    )
    rows = list(employed.values_list("pk", "level", "post_id", "joined_on", "left_on"))
    posts = {pk: r.code for pk, r in post_ranges().items()}
    subquery = employed.values("pk")
    history = level_history_by_worker(Worker.objects.filter(pk__in=subquery))
    one_shoulder = one_shoulder_on(Worker.objects.filter(pk__in=subquery), last)
    grades = grades_by_worker(Worker.objects.filter(pk__in=subquery))
    stars = stars_by_worker(Worker.objects.filter(pk__in=subquery))
    inputs = []
    for pk, level, post_id, joined_on, left_on in rows:
        days, _total = days_worked(joined_on, left_on, year, month)
        if days <= 0:
            continue
        day = last_day_worked(joined_on, left_on, year, month)
        level_then, post_then = level_on(
            history.get(pk, []), day, current_level=level, current_post_id=post_id
        )
        grade = grade_in_force(grades.get(pk, {}), year)
        star = star_valid_on(stars.get(pk, []), day)
        inputs.append(
            MonthInput(
                worker_id=pk,
                year=year,
                month=month,
                post=posts[post_then],
                level=level_then,
                days_worked=days,
                days_in_month=total,
                one_shoulder=pk in one_shoulder,
                grade=grade[1] if grade else None,
                grade_year=grade[0] if grade else None,
                stars=star.stars if star else None,
                star_rated_on=star.rated_on if star else None,
            )
        )
    return inputs


def certificates_by_worker(
    workers: QuerySet | Iterable[int], day: date
) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    rows = WorkerCertificate.objects.filter(
        _worker_filter(workers), obtained_on__lte=day
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
