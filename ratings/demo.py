"""Demo data of ratings: two years of grades and some star ratings."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from core.models import Worker
from ratings.models import AnnualGrade, StarRating
from ratings.rules import default_valid_until


def seed_demo(*, demo: Any, seed: int, today: date) -> None:
    rng = random.Random(seed + 3)
    grades = []
    stars = []
    for worker in Worker.objects.order_by("pk"):
        for year in (today.year - 2, today.year - 1):
            if worker.joined_on.year > year:
                continue
            grade = rng.choices(
                ["excellent", "pass", "basic_pass", "fail"], weights=[20, 70, 8, 2]
            )[0]
            grades.append(AnnualGrade(worker=worker, year=year, grade=grade))
        if rng.random() < 0.6:
            rated_on = date(today.year - 1, 1, 1) + timedelta(days=rng.randrange(300))
            rated_on = max(rated_on, worker.joined_on)
            if rated_on <= today:
                stars.append(
                    StarRating(
                        worker=worker,
                        rated_on=rated_on,
                        stars=rng.choices([1, 2, 3, 4, 5], weights=[5, 30, 35, 20, 10])[
                            0
                        ],
                        assessor="区委组织部（演示）",
                        valid_until=default_valid_until(rated_on),
                        evidence="演示数据",
                    )
                )
    for community in demo.communities:
        rated_on = date(today.year - 1, 12, 1)
        stars.append(
            StarRating(
                community=community,
                rated_on=rated_on,
                stars=rng.randrange(1, 6),
                assessor="市委组织部（演示）",
                valid_until=default_valid_until(rated_on),
                evidence="演示数据",
            )
        )
    AnnualGrade.objects.bulk_create(grades, batch_size=2000)
    StarRating.objects.bulk_create(stars, batch_size=2000)
