"""Placement (定级), DOMAIN A2. Pure: plain values in, a breakdown out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from core.rules import full_years_between
from payroll.rules.scale import PostRange


@dataclass(frozen=True)
class Placement:
    """The computed level and everything it was computed from, for the audit."""

    level: int
    post: str
    service_years: int
    education: str
    education_years: int
    certificate: str
    certificate_levels: int
    years_per_level: int
    uncapped_level: int

    def as_params(self) -> dict[str, str]:
        return {
            "level": str(self.level),
            "post": self.post,
            "service_years": str(self.service_years),
            "education": self.education,
            "education_years": str(self.education_years),
            "certificate": self.certificate,
            "certificate_levels": str(self.certificate_levels),
            "years_per_level": str(self.years_per_level),
            "uncapped_level": str(self.uncapped_level),
        }


def highest_certificate_levels(
    kinds: Iterable[str], certificate_levels: Mapping[str, int]
) -> tuple[str, int]:
    """Only the highest certificate counts (就高，不叠加): the kind and its levels."""
    best_kind, best = "", 0
    for kind in kinds:
        levels = certificate_levels.get(kind, 0)
        if levels > best:
            best_kind, best = kind, levels
    return best_kind, best


def place(
    *,
    post: PostRange,
    started_on: date,
    placed_on: date,
    education: str,
    certificates: Iterable[str],
    education_years: Mapping[str, int],
    certificate_levels: Mapping[str, int],
    years_per_level: int = 3,
) -> Placement:
    """DOMAIN A2: ``min(post.highest, post.lowest + floor((service + education)
    / 3) + certificate)``.

    Example: staff post (1–12), 7 full years of service, bachelor (3), social
    worker (社工师, +2): 1 + floor(10 / 3) + 2 = 6.
    """
    service = full_years_between(started_on, placed_on)
    edu = education_years.get(education, 0)
    cert_kind, cert = highest_certificate_levels(certificates, certificate_levels)
    uncapped = post.lowest + (service + edu) // years_per_level + cert
    return Placement(
        level=min(post.highest, uncapped),
        post=post.code,
        service_years=service,
        education=education,
        education_years=edu,
        certificate=cert_kind,
        certificate_levels=cert,
        years_per_level=years_per_level,
        uncapped_level=uncapped,
    )
