"""Each worker's level (A3) on 1 January, read as stored and checked against
the formula over the inputs of that day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from core.models import WorkerCertificate
from payroll.models import (
    AnnuityEntry,
    LevelChange,
)
from payroll.rules.placement import highest_certificate_levels
from ratings.models import AnnualGrade
from ratings.rules import FAIL
from simulation import invariants as inv

from .payslips import _Scales

_KNOWN_KINDS = {
    AnnuityEntry.Kind.CONTRIBUTION,
    AnnuityEntry.Kind.RETURN,
    AnnuityEntry.Kind.FORFEIT,
}


def _check_levels(
    year: int, workers: dict[int, tuple], scales: _Scales
) -> list[inv.Violation]:
    """A3 on 1 January of ``year`` for every worker employed on that day."""
    jan1 = date(year, 1, 1)
    dec31 = date(year - 1, 12, 31)
    scale = scales.on(jan1)
    if scale is None:
        return []
    history: dict[int, list[LevelChange]] = defaultdict(list)
    for change in LevelChange.objects.select_related("post").order_by(
        "effective_on", "pk"
    ):
        history[change.worker_id].append(change)
    certificates: dict[int, list[str]] = defaultdict(list)
    for worker_id, kind in WorkerCertificate.objects.filter(
        obtained_on__lte=dec31
    ).values_list("worker_id", "kind"):
        certificates[worker_id].append(kind)
    fails: dict[int, set[int]] = defaultdict(set)
    for worker_id, grade_year in AnnualGrade.objects.filter(
        grade=FAIL, year__lt=year, created_at__date__lte=jan1
    ).values_list("worker_id", "year"):
        fails[worker_id].add(grade_year)
    found = []
    for pk, name, joined_on, left_on, started_on, education in workers.values():
        if joined_on >= jan1 or (left_on is not None and left_on < jan1):
            continue
        steps = history.get(pk, [])
        if any(s.reason == LevelChange.Reason.OVERRIDE for s in steps):
            continue  # an override's difference is staff's decision
        before = [s for s in steps if s.effective_on < jan1]
        after = [s for s in steps if s.effective_on <= jan1]
        if not before or not after:
            continue
        current = after[-1]
        _kind, cert = highest_certificate_levels(
            certificates.get(pk, []), scale.certificate_levels
        )
        facts = inv.LevelFacts(
            worker=f"{name} #{pk}",
            year=year,
            post=current.post.code,
            post_lowest=current.post.lowest_level,
            post_highest=current.post.highest_level,
            level_before=before[-1].new_level,
            level_after=current.new_level,
            started_on=started_on,
            education_years=scale.education_years.get(education, 0),
            certificate_levels=cert,
            failed_years=len({y for y in fails.get(pk, set()) if y >= started_on.year}),
            # The early promotions earned so far: the runs of 优秀 years the
            # latest recomputation names (cumulative, not one per record).
            early_promotions=len(
                [
                    run
                    for run in (current.params or {}).get("early_pairs", "").split(",")
                    if run
                ]
            ),
            years_per_level=scale.years_per_level,
        )
        found += inv.check_level(facts)
    return found
