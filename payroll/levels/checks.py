"""Does a level set by hand agree with the placement rule (DOMAIN A2, A3)?

A roster import, the worker form or an edit may set a level the rule would
not give. That is legitimate (staff may override with a written reason), so
it is flagged, not refused: the level the rule proposes and its breakdown.
The tables (pay-scale versions, their education and certificate figures) are
read once when the checker is made; ``check`` then asks no query, so an
import of any size costs the same few queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core import clock
from core.extensions import LevelFacts, LevelFlag
from core.models import Post
from payroll.models import ParameterCode, ScaleParameter, ScaleVersion
from payroll.rules import placement as placement_rules
from payroll.rules import progression as progression_rules
from payroll.rules.scale import PostRange
from ratings.rules import FAIL
from ratings.selectors import grades_by_worker

GRADE_CHUNK = 500


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
    # On a 1 January (A3): the years graded 不合格 that do not count, and the
    # levels earned early by consecutive 优秀 years.
    failed_years: int = 0
    early_levels: int = 0

    @property
    def differs(self) -> bool:
        return self.level != self.placement.level

    def breakdown(self) -> str:
        p = self.placement
        if self.failed_years or self.early_levels:
            return _(
                "%(post)s（%(low)s–%(high)s级）：%(low)s + ⌊(工龄 %(service)s 年 − "
                "不合格 %(failed)s 年 + 学历折算 %(education)s 年) ÷ %(per)s⌋ + "
                "证书 %(certificate)s 级 + 连续优秀提前晋级 %(early)s 级"
                "（最高 %(high)s 级），按 %(day)s 计算 = %(level)s 级"
            ) % {
                "post": self.post.label,
                "low": self.post.lowest_level,
                "high": self.post.highest_level,
                "service": p.service_years,
                "failed": self.failed_years,
                "education": p.education_years,
                "per": p.years_per_level,
                "certificate": p.certificate_levels,
                "early": self.early_levels,
                "day": self.on.isoformat(),
                "level": p.level,
            }
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
        if self.failed_years or self.early_levels:
            params["failed_years"] = str(self.failed_years)
            params["early_levels"] = str(self.early_levels)
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
    early_promotion_streak: int = 2
    max_early_promotions: int = 2


class LevelChecker:
    """The rule's level for plain facts, without a query per check: the
    adopted versions with their placement tables, read in four queries, and
    the grades of the workers named (one query per GRADE_CHUNK of them)."""

    def __init__(
        self, today: date | None = None, worker_ids: Iterable[int] = ()
    ) -> None:
        self.today = today or clock.today()
        self._grades: dict[int, dict[int, str]] = {}
        ids = sorted({pk for pk in worker_ids if pk})
        for start in range(0, len(ids), GRADE_CHUNK):
            self._grades.update(grades_by_worker(ids[start : start + GRADE_CHUNK]))
        self._versions = list(
            ScaleVersion.objects.filter(status=ScaleVersion.Status.ADOPTED)
            .order_by("-effective_on", "-pk")
            .prefetch_related(
                "education_years",
                "certificate_levels",
                Prefetch(
                    "parameters",
                    queryset=ScaleParameter.objects.filter(
                        code__in=(
                            ParameterCode.YEARS_PER_LEVEL,
                            ParameterCode.EARLY_PROMOTION_STREAK,
                            ParameterCode.MAX_EARLY_PROMOTIONS,
                        )
                    ),
                ),
            )
        )

    def _tables_on(self, day: date) -> PlacementTables | None:
        version = next((v for v in self._versions if v.effective_on <= day), None)
        if version is None:
            return None
        counts = {p.code: p.count or 0 for p in version.parameters.all()}
        if not counts.get(ParameterCode.YEARS_PER_LEVEL):
            return None  # an incomplete version: the rule cannot say
        return PlacementTables(
            education_years={
                r.education: r.years for r in version.education_years.all()
            },
            certificate_levels={
                r.kind: r.levels for r in version.certificate_levels.all()
            },
            years_per_level=counts[ParameterCode.YEARS_PER_LEVEL],
            early_promotion_streak=counts.get(ParameterCode.EARLY_PROMOTION_STREAK, 0),
            max_early_promotions=counts.get(ParameterCode.MAX_EARLY_PROMOTIONS, 0),
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
        worker_id: int | None = None,
    ) -> LevelCheck | None:
        """None when the rule cannot say (no start date, no table in force).
        On a 1 January the worker's grades count as A3 counts them: years
        graded 不合格 left out, consecutive 优秀 years an early level each."""
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
        grades = self._grades.get(worker_id or 0, {})
        if on == joined_on or not grades:
            return LevelCheck(level=level, post=post, on=on, placement=placement)
        return _with_grades(level, post, on, placement, grades, scale, started_on)

    def flag(self, facts: LevelFacts) -> LevelFlag | None:
        """core.extensions' form of ``check``: a flag when the level differs."""
        check = self.check(
            post=facts.post,
            level=facts.level,
            started_on=facts.started_on,
            joined_on=facts.joined_on,
            education=facts.education,
            certificates=facts.certificates,
            worker_id=facts.worker_id,
        )
        return check.flag() if check is not None else None


def _with_grades(
    level: int,
    post: Post,
    on: date,
    placement: placement_rules.Placement,
    grades: Mapping[int, str],
    scale: PlacementTables,
    started_on: date,
) -> LevelCheck:
    """The A3 recompute on 1 January ``on``: the formula with the 不合格
    years left out and the early levels added (payroll.rules.progression)."""
    failed = sum(
        1
        for year, grade in grades.items()
        if grade == FAIL and started_on.year <= year < on.year
    )
    early = len(
        progression_rules.early_promotions_earned(
            grades,
            before_year=on.year,
            first_year=started_on.year,
            streak=scale.early_promotion_streak,
            maximum=scale.max_early_promotions,
        )
    )
    countable = max(0, placement.service_years - failed)
    uncapped = (
        post.lowest_level
        + (countable + placement.education_years) // placement.years_per_level
        + placement.certificate_levels
        + early
    )
    adjusted = replace(
        placement, level=min(post.highest_level, uncapped), uncapped_level=uncapped
    )
    return LevelCheck(
        level=level,
        post=post,
        on=on,
        placement=adjusted,
        failed_years=failed,
        early_levels=early,
    )
