"""Writes of ratings: grades and star ratings, checked against the actor's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Community, User, Worker
from core.selectors import community_list_visible_to
from ratings import rules
from ratings.models import AnnualGrade, StarRating

OUT_OF_SCOPE = gettext_lazy("该人员或社区不在您的管理范围内。")
NO_PERMISSION = gettext_lazy("您的角色不能录入考核或星级。")


def _check(actor: User | None, perm: str, community_id: int | None) -> None:
    if actor is None:
        return  # system jobs (seed, imports run by the system)
    if not actor.has_perm(perm):
        raise PermissionDenied(NO_PERMISSION)
    if (
        community_id is None
        or not community_list_visible_to(user=actor).filter(pk=community_id).exists()
    ):
        raise PermissionDenied(OUT_OF_SCOPE)


def star_rating_check(*, actor: User | None, community_id: int | None) -> None:
    """Refuse a star rating outside the actor's role or scope."""
    _check(actor, "ratings.add_starrating", community_id)


@transaction.atomic
def annual_grade_record(
    *, actor: User | None, worker: Worker, year: int, grade: str, note: str = ""
) -> AnnualGrade:
    """Enter (or correct) a worker's grade for a year; one grade per year."""
    _check(actor, "ratings.add_annualgrade", worker.community_id)
    record = AnnualGrade.objects.filter(worker=worker, year=year).first()
    if record is None:
        record = AnnualGrade(worker=worker, year=year)
    record.grade = grade
    record.note = note
    record.entered_by = actor if getattr(actor, "pk", None) else None
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def star_rating_record(
    *,
    actor: User | None,
    rated_on: date,
    stars: int,
    worker: Worker | None = None,
    community: Community | None = None,
    score: Decimal | None = None,
    assessor: str = "",
    valid_until: date | None = None,
    validity_years: int = 2,
    evidence: str = "",
) -> StarRating:
    """Record a star rating; valid for ``validity_years`` (DOMAIN A4: 2) unless
    ``valid_until`` is given. A later rating replaces it (ratings.rules)."""
    if (worker is None) == (community is None):
        raise ValidationError(_("星级评定须且只能针对一名人员或一个社区。"))
    community_id = worker.community_id if worker else community.pk  # type: ignore[union-attr]
    _check(actor, "ratings.add_starrating", community_id)
    rating = StarRating(
        worker=worker,
        community=community,
        rated_on=rated_on,
        stars=stars,
        score=score,
        assessor=assessor,
        valid_until=valid_until or rules.default_valid_until(rated_on, validity_years),
        evidence=evidence,
        entered_by=actor if getattr(actor, "pk", None) else None,
    )
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def annual_grades_record(
    *, actor: User | None, year: int, grades: dict[Worker, tuple[str, str]]
) -> list[AnnualGrade]:
    """A community's grades for a year, all saved or none: ``{worker:
    (grade, note)}``; workers left blank are skipped."""
    return [
        annual_grade_record(
            actor=actor, worker=worker, year=year, grade=grade, note=note
        )
        for worker, (grade, note) in grades.items()
        if grade
    ]
