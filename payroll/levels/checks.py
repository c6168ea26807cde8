"""Does a level set by hand agree with the placement rule (DOMAIN A2, A3)?

A roster import, the worker form or an edit may set a level the rule would
not give. That is legitimate (staff may override with a written reason), so
it is flagged, not refused: the level the rule proposes and its breakdown.
The tables (pay-scale versions, their education and certificate figures) are
read once when the checker is made; ``check`` then asks no query, so an
import of any size costs the same few queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core import clock
from core.extensions import LevelFacts, LevelFlag
from core.models import Post
from payroll.models import ParameterCode, ScaleParameter, ScaleVersion
from payroll.rules import placement as placement_rules
from payroll.rules.scale import PostRange


def reference_day(joined_on: date, today: date) -> date:
    """The day the rule's level is computed for: the joining day (A2), or,
    for someone who joined before this year, the last 1 January, when A3
    recomputed the formula with the years of service to then."""
    return max(joined_on, date(today.year, 1, 1))


@dataclass(frozen=True)
class LevelCheck:
    level: int
    post: Post
    on: date
    placement: placement_rules.Placement

    @property
    def differs(self) -> bool:
        return self.level != self.placement.level

    def breakdown(self) -> str:
        p = self.placement
        return _(
            "%(post)s（%(low)s–%(high)s级）：%(low)s + ⌊(工龄 %(service)s 年 + "
            "学历折算 %(education)s 年) ÷ %(per)s⌋ + 证书 %(certificate)s 级"
            "（最高 %(high)s 级），按 %(day)s 计算 = %(level)s 级"
        ) % {
            "post": self.post.label,
            "low": self.post.lowest_level,
            "high": self.post.highest_level,
            "service": p.service_years,
            "education": p.education_years,
            "per": p.years_per_level,
            "certificate": p.certificate_levels,
            "day": self.on.isoformat(),
            "level": p.level,
        }

    def message(self) -> str:
        return _(
            "等级 %(level)s 级与定级规则计算的 %(proposed)s 级不同（%(breakdown)s）；"
            "保存后记为人工调整。"
        ) % {
            "level": self.level,
            "proposed": self.placement.level,
            "breakdown": self.breakdown(),
        }

    def flag(self) -> LevelFlag | None:
        if not self.differs:
            return None
        params = self.placement.as_params()
        params["override_level"] = str(self.level)
        params["reference_day"] = self.on.isoformat()
        return LevelFlag(
            level=self.level,
            proposed_level=self.placement.level,
            message=self.message(),
            params=params,
        )


@dataclass(frozen=True)
class PlacementTables:
    """What A2 reads of a pay-scale version (not the whole ``Scale``)."""

    education_years: dict[str, int]
    certificate_levels: dict[str, int]
    years_per_level: int


class LevelChecker:
    """The rule's level for plain facts, without a query per check: the
    adopted versions with their placement tables, read in four queries."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or clock.today()
        self._versions = list(
            ScaleVersion.objects.filter(status=ScaleVersion.Status.ADOPTED)
            .order_by("-effective_on", "-pk")
            .prefetch_related(
                "education_years",
                "certificate_levels",
                Prefetch(
                    "parameters",
                    queryset=ScaleParameter.objects.filter(
                        code=ParameterCode.YEARS_PER_LEVEL
                    ),
                ),
            )
        )

    def _tables_on(self, day: date) -> PlacementTables | None:
        version = next((v for v in self._versions if v.effective_on <= day), None)
        if version is None:
            return None
        counts = [p.count for p in version.parameters.all() if p.count]
        if not counts:
            return None  # an incomplete version: the rule cannot say
        return PlacementTables(
            education_years={
                r.education: r.years for r in version.education_years.all()
            },
            certificate_levels={
                r.kind: r.levels for r in version.certificate_levels.all()
            },
            years_per_level=counts[0],
        )

    def check(
        self,
        *,
        post: Post,
        level: int,
        started_on: date | None,
        joined_on: date | None,
        education: str,
        certificates: Iterable[tuple[str, date | None]] = (),
    ) -> LevelCheck | None:
        """None when the rule cannot say (no start date, no table in force)."""
        if started_on is None or joined_on is None:
            return None
        on = reference_day(joined_on, self.today)
        scale = self._tables_on(on)
        if scale is None:
            return None
        # On a 1 January the certificates held the day before count (A3).
        held_by = on if on == joined_on else on - timedelta(days=1)
        kinds = [
            kind for kind, got in certificates if got is not None and got <= held_by
        ]
        placement = placement_rules.place(
            post=PostRange(post.code, post.lowest_level, post.highest_level),
            started_on=started_on,
            placed_on=on,
            education=education,
            certificates=kinds,
            education_years=scale.education_years,
            certificate_levels=scale.certificate_levels,
            years_per_level=scale.years_per_level,
        )
        return LevelCheck(level=level, post=post, on=on, placement=placement)

    def flag(self, facts: LevelFacts) -> LevelFlag | None:
        """core.extensions' form of ``check``: a flag when the level differs."""
        check = self.check(
            post=facts.post,
            level=facts.level,
            started_on=facts.started_on,
            joined_on=facts.joined_on,
            education=facts.education,
            certificates=facts.certificates,
        )
        return check.flag() if check is not None else None
