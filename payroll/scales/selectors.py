"""Reads of pay scales: versions as rule data (``Scale``), the version in
force on a day, and the post ranges of placement."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from core.models import Post
from payroll.models import (
    PARAMETER_KINDS,
    ParameterCode,
    ScaleVersion,
)
from payroll.rules.scale import PostRange, Scale


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
