"""Payroll's part of the worker page's "facts on a day" (post, level,
contribution bases) and of late changes: the locked months a change from a
day reaches (DOMAIN A11)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from core.extensions import Fact
from core.models import Post
from payroll.cycles import corrections
from payroll.levels.selectors import level_history_by_worker, level_on
from payroll.models import ContributionBase, PayrollCycle, Payslip
from payroll.rules.scale import PostRange

# Workers whose payslips one query reads (SQLite takes 999 parameters).
LOCKED_MONTHS_CHUNK = 500


def worker_facts(worker: Any, on: date) -> list[Fact]:
    steps = level_history_by_worker([worker.pk]).get(worker.pk, [])
    posts = Post.objects.in_bulk()
    level, post_id = level_on(
        steps,
        on,
        current_level=worker.level,
        current_post_id=worker.post_id,
        ranges={
            pk: PostRange(p.code, p.lowest_level, p.highest_level)
            for pk, p in posts.items()
        },
    )
    earlier = [s for s in steps if s.effective_on <= on]
    since = earlier[-1].effective_on if earlier else None
    post_since = next((s.effective_on for s in reversed(earlier) if s.sets_post), since)
    post = posts.get(post_id, worker.post)
    base = (
        ContributionBase.objects.filter(
            worker=worker, starts_on__lte=on, ends_on__gte=on
        )
        .order_by("-starts_on")
        .first()
    )
    facts = [
        Fact(_("岗位"), post.label, post_since, 20),
        Fact(_("等级"), _("%(level)s 级") % {"level": level}, since, 21),
    ]
    if base is None:
        facts.append(Fact(_("缴费基数"), _("未核定（按规则测算）"), order=60))
    else:
        facts.append(
            Fact(
                _("缴费基数"),
                _("社保 %(si)s 元，公积金 %(hf)s 元（至 %(until)s）")
                % {
                    "si": base.social_insurance_base,
                    "hf": base.housing_fund_base,
                    "until": base.ends_on.isoformat(),
                },
                base.starts_on,
                60,
            )
        )
    return facts


def locked_months(worker_id: int, since: date) -> list[tuple[int, int]]:
    """The worker's paid (locked) months from ``since``'s month on, inside
    the correction look-back of the next cycle: what corrections will touch."""
    return locked_months_many({worker_id: since}).get(worker_id, [])


def locked_months_many(
    changes: Mapping[int, date],
) -> dict[int, list[tuple[int, int]]]:
    """``locked_months`` of many workers (an import), one query per
    ``LOCKED_MONTHS_CHUNK`` workers (an import of 50,000 rows stays under
    SQLite's parameter limit) and the correction windows: worker
    id -> her locked months from her ``since``'s month on, within the
    look-back of the cycle after her last locked month. Workers whose change
    reaches no locked month are left out."""
    if not changes:
        return {}
    ids = list(changes)
    paid: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for start in range(0, len(ids), LOCKED_MONTHS_CHUNK):
        batch = ids[start : start + LOCKED_MONTHS_CHUNK]
        earliest = min(changes[worker_id] for worker_id in batch)
        rows = Payslip.objects.filter(
            Q(year__gt=earliest.year)
            | Q(year=earliest.year, month__gte=earliest.month),
            worker_id__in=batch,
            cycle__status=PayrollCycle.Status.LOCKED,
        ).values_list("worker_id", "year", "month")
        for worker_id, year, month in rows:
            paid[worker_id].add((year, month))
    windows: dict[tuple[int, int], int] = {}
    result: dict[int, list[tuple[int, int]]] = {}
    for worker_id, months in paid.items():
        last = max(months)
        following = (last[0] + 1, 1) if last[1] == 12 else (last[0], last[1] + 1)
        if following not in windows:
            windows[following] = corrections.correction_months(*following)
        since = changes[worker_id]
        reached = [
            (y, m)
            for y, m in sorted(months)
            if (y, m) >= (since.year, since.month)
            and (following[0] - y) * 12 + following[1] - m <= windows[following]
        ]
        if reached:
            result[worker_id] = reached
    return result
