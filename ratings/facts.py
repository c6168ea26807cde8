"""Ratings' part of the worker page's "facts on a day" and of late changes
(DOMAIN A4, A11): the grade and the stars in force, and from when a grade or
a rating changes pay."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from core.extensions import Fact
from ratings import rules
from ratings.models import AnnualGrade, Grade, StarRating


def grade_pays_from(year: int) -> date:
    """A4: the grade of year Y sets the coefficient of Y+1's months."""
    return date(year + 1, 1, 1)


def star_pays_from(rated_on: date) -> date:
    """A4: a rating takes effect on the first day of the month after its
    date (on its date when that is the 1st)."""
    if rated_on.day == 1:
        return rated_on
    following = rated_on.replace(day=28) + timedelta(days=4)
    return following.replace(day=1)


def worker_facts(worker: Any, on: date) -> list[Fact]:
    grades = dict(
        AnnualGrade.objects.filter(worker=worker, year__lt=on.year).values_list(
            "year", "grade"
        )
    )
    labels = dict(Grade.choices)
    facts = []
    # A4: the latest grade of an earlier year sets this year's performance pay.
    in_force = (max(grades), grades[max(grades)]) if grades else None
    if in_force is None:
        facts.append(Fact(_("绩效依据的考核"), _("尚无考核（按合格计）"), order=40))
    else:
        year, grade = in_force
        facts.append(
            Fact(
                _("绩效依据的考核"),
                _("%(year)s 年度 %(grade)s") % {"year": year, "grade": labels[grade]},
                since=grade_pays_from(year),
                order=40,
            )
        )
    stars = [
        rules.Star(rated_on=r.rated_on, stars=r.stars, valid_until=r.valid_until)
        for r in StarRating.objects.filter(worker=worker)
        if star_pays_from(r.rated_on) <= on
    ]
    star = rules.star_valid_on(stars, on)
    facts.append(
        Fact(
            _("星级"),
            _("%(stars)s 星（%(rated_on)s 评定，至 %(until)s）")
            % {
                "stars": star.stars,
                "rated_on": star.rated_on.isoformat(),
                "until": star.valid_until.isoformat(),
            }
            if star
            else _("无有效星级"),
            since=star_pays_from(star.rated_on) if star else None,
            order=45,
        )
    )
    return facts
