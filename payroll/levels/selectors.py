"""Reads of the level history: levels on a day, certificates and the progression state of DOMAIN A3."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from core.history import JSONValue
from core.models import Worker, WorkerCertificate, WorkerPosition
from payroll.models import (
    LevelChange,
)
from payroll.rules.earnings import (
    MonthInput,
    days_in_month,
    days_worked,
    last_day_worked,
)
from payroll.rules.progression import change_post
from payroll.rules.scale import PostRange
from payroll.scales.selectors import post_ranges
from ratings.rules import Star, grade_in_force, star_valid_on
from ratings.selectors import grades_by_worker, stars_by_worker


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
    params: dict[str, JSONValue]

    @property
    def sets_post(self) -> bool:
        """A first step or a change of post (not a step that only carries
        the post it found, such as a progression)."""
        return self.old_post_id is None or self.old_post_id != self.post_id


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
    steps: list[LevelStep],
    day: date,
    *,
    current_level: int,
    current_post_id: int,
    ranges: dict[int, PostRange] | None = None,
) -> tuple[int, int]:
    """(level, post_id) in force on ``day`` from the history; the worker's
    current values when the history says nothing earlier.

    A change of post dated back (into a locked month, say) before steps
    already recorded (a progression on 1 January, an override) also holds
    on the days of those steps: they only carried the post then known. So
    the post is that of the latest step that sets one; the level is the
    latest step's, raised to that post's lowest or cut to its highest
    (DOMAIN A3) when ``ranges`` (post id → range) are given."""
    before = [s for s in steps if s.effective_on <= day]
    if before:
        last = before[-1]
        setters = [s for s in before if s.sets_post]
        post = setters[-1].post_id if setters else last.post_id
        level = last.new_level
        if post != last.post_id and ranges and post in ranges:
            level = change_post(level, ranges[post])
        return level, post
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


ONE_SHOULDER_POSITIONS = ("secretary", "director")


def one_shoulder_on(workers: QuerySet | Iterable[int], day: date) -> set[int]:
    """Workers holding both 书记 and 主任 on ``day`` (一肩挑), one query."""
    held: dict[int, set[str]] = defaultdict(set)
    rows = WorkerPosition.objects.filter(
        worker_filter(workers),
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
    ranges = post_ranges()
    subquery = employed.values("pk")
    history = level_history_by_worker(Worker.objects.filter(pk__in=subquery))
    one_shoulder = one_shoulder_on(Worker.objects.filter(pk__in=subquery), last)
    grades = grades_by_worker(Worker.objects.filter(pk__in=subquery))
    stars = stars_by_worker(Worker.objects.filter(pk__in=subquery))
    inputs = []
    for pk, level, post_id, joined_on, left_on in rows:
        one = _month_input(
            pk,
            (level, post_id, joined_on, left_on),
            year,
            month,
            steps=history.get(pk, []),
            ranges=ranges,
            grades=grades.get(pk, {}),
            stars=stars.get(pk, []),
            one_shoulder=pk in one_shoulder,
        )
        if one is not None:
            inputs.append(one)
    return inputs


def _month_input(
    pk: int,
    row: tuple[int, int, date, date | None],
    year: int,
    month: int,
    *,
    steps: list[LevelStep],
    ranges: dict[int, PostRange],
    grades: dict[int, str],
    stars: list[Star],
    one_shoulder: bool,
) -> MonthInput | None:
    """One worker's inputs for a month (None when not employed in it): the
    level and post in force on the last day worked (clamped to the post's
    range), the grade of the year, the star rating valid that day. The cycle
    and the corrections of locked months both read them here."""
    level, post_id, joined_on, left_on = row
    days, total = days_worked(joined_on, left_on, year, month)
    if days <= 0:
        return None
    day = last_day_worked(joined_on, left_on, year, month)
    level_then, post_then = level_on(
        steps, day, current_level=level, current_post_id=post_id, ranges=ranges
    )
    grade = grade_in_force(grades, year)
    star = star_valid_on(stars, day)
    return MonthInput(
        worker_id=pk,
        year=year,
        month=month,
        post=ranges[post_then].code,
        level=level_then,
        days_worked=days,
        days_in_month=total,
        one_shoulder=one_shoulder,
        grade=grade[1] if grade else None,
        grade_year=grade[0] if grade else None,
        stars=star.stars if star else None,
        star_rated_on=star.rated_on if star else None,
    )


def month_inputs_many(
    worker_ids_by_month: dict[tuple[int, int], list[int]],
) -> dict[tuple[int, int], list[MonthInput]]:
    """``month_inputs`` of several months at once (the corrections of locked
    months): ``{(year, month): [worker id, ...]}`` → ``{(year, month):
    [MonthInput, ...]}``, in six queries whatever the number of months (the
    level history, grades, stars and positions of the workers are read once;
    each month picks what was in force on its days)."""
    wanted = {pk for ids in worker_ids_by_month.values() for pk in ids}
    if not wanted:
        return {}
    workers = Worker.objects.filter(pk__in=wanted)
    rows = {
        pk: (level, post_id, joined_on, left_on)
        for pk, level, post_id, joined_on, left_on in workers.values_list(
            "pk", "level", "post_id", "joined_on", "left_on"
        )
    }
    ranges = post_ranges()
    history = level_history_by_worker(workers)
    grades = grades_by_worker(workers)
    stars = stars_by_worker(workers)
    positions: dict[int, list[tuple[str, date, date | None]]] = defaultdict(list)
    for worker_id, position, started_on, ended_on in WorkerPosition.objects.filter(
        worker_filter(workers), position__in=ONE_SHOULDER_POSITIONS
    ).values_list("worker_id", "position", "started_on", "ended_on"):
        positions[worker_id].append((position, started_on, ended_on))
    result: dict[tuple[int, int], list[MonthInput]] = {}
    for (year, month), ids in worker_ids_by_month.items():
        total = days_in_month(year, month)
        first, last = date(year, month, 1), date(year, month, total)
        inputs = []
        for pk in sorted(set(ids)):
            if pk not in rows:
                continue
            row = rows[pk]
            joined_on, left_on = row[2], row[3]
            if joined_on > last or (left_on is not None and left_on < first):
                continue  # not employed in the month
            held = {
                position
                for position, started_on, ended_on in positions.get(pk, ())
                if started_on <= last and (ended_on is None or ended_on >= last)
            }
            one = _month_input(
                pk,
                row,
                year,
                month,
                steps=history.get(pk, []),
                ranges=ranges,
                grades=grades.get(pk, {}),
                stars=stars.get(pk, []),
                one_shoulder=held >= set(ONE_SHOULDER_POSITIONS),
            )
            if one is not None:
                inputs.append(one)
        result[(year, month)] = inputs
    return result
