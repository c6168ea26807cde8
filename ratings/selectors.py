"""Reads of ratings, always through core's scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from core.selectors import UserOrAnonymous, scope_filter
from ratings import rules
from ratings.models import AnnualGrade, StarRating


def annual_grade_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[AnnualGrade]:
    return scope_filter(
        AnnualGrade.objects.select_related("worker__community"),
        user,
        "worker__community",
    )


def star_rating_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[StarRating]:
    workers = scope_filter(
        StarRating.objects.filter(worker__isnull=False), user, "worker__community"
    )
    communities = scope_filter(
        StarRating.objects.filter(community__isnull=False), user, "community"
    )
    return (workers | communities).select_related("worker", "community")


def _for_workers(workers: QuerySet | Iterable[int]) -> Q:
    """Rows of the given workers: a subquery for a queryset (no id list in SQL)."""
    if isinstance(workers, QuerySet):
        return Q(worker_id__in=workers.values("pk"))
    return Q(worker_id__in=list(workers))


def grades_by_worker(
    workers: QuerySet | Iterable[int],
) -> dict[int, dict[int, str]]:
    """``{worker_id: {year: grade}}`` in one query."""
    result: dict[int, dict[int, str]] = defaultdict(dict)
    for worker_id, year, grade in AnnualGrade.objects.filter(
        _for_workers(workers)
    ).values_list("worker_id", "year", "grade"):
        result[worker_id][year] = grade
    return dict(result)


def stars_by_worker(
    workers: QuerySet | Iterable[int],
) -> dict[int, list[rules.Star]]:
    """``{worker_id: [Star, ...]}`` in one query."""
    result: dict[int, list[rules.Star]] = defaultdict(list)
    for worker_id, rated_on, stars, valid_until in StarRating.objects.filter(
        _for_workers(workers)
    ).values_list("worker_id", "rated_on", "stars", "valid_until"):
        result[worker_id].append(rules.Star(rated_on, stars, valid_until))
    return dict(result)
