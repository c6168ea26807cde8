"""Factories for payroll and ratings rows."""

from __future__ import annotations

from datetime import date

import factory

from payroll.models import LevelChange
from payroll.reference import reference_data, scale_reference_load
from ratings.models import AnnualGrade, StarRating
from ratings.rules import default_valid_until
from tests.factories import PostFactory, WorkerFactory


def posts() -> dict:
    return {code: PostFactory(code=code) for code in ("principal", "deputy", "staff")}


def scale_version(
    code: str = "2020", effective_on: date = date(2020, 1, 1), status: str = "adopted"
):
    """The shipped default scheme as a version (posts are created first)."""
    posts()
    data = reference_data()
    data["version"] = {
        **data["version"],
        "code": code,
        "effective_on": effective_on.isoformat(),
        "status": status,
    }
    return scale_reference_load(data)


class LevelChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevelChange

    worker = factory.SubFactory(WorkerFactory)
    effective_on = date(2023, 1, 1)
    old_level = None
    new_level = factory.LazyAttribute(lambda o: o.worker.level)
    post = factory.LazyAttribute(lambda o: o.worker.post)
    reason = LevelChange.Reason.PLACEMENT
    params = factory.LazyFunction(lambda: {"carried_years": "0"})


class AnnualGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualGrade

    worker = factory.SubFactory(WorkerFactory)
    year = 2025
    grade = "pass"


class StarRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StarRating

    worker = factory.SubFactory(WorkerFactory)
    rated_on = date(2025, 6, 1)
    stars = 3
    valid_until = factory.LazyAttribute(lambda o: default_valid_until(o.rated_on))
