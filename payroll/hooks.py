"""Hooks core calls (core.extensions): keep the level history complete."""

from __future__ import annotations

from typing import Any

from core import clock
from core.extensions import LevelFlag
from core.models import ChangeLog, Worker
from payroll.models import LevelChange


def worker_level_changed(
    *,
    worker: Worker,
    old_level: int | None,
    old_post_id: int | None,
    actor: Any,
    action: str,
    level_flag: LevelFlag | None = None,
    level_reason: str = "",
) -> None:
    """A level or post set by a roster import or an edit becomes a LevelChange
    (reason 导入 or 人工调整), effective on the day it was set, or on the
    joining day for a new worker."""
    _level_change(
        worker=worker,
        old_level=old_level,
        old_post_id=old_post_id,
        actor=actor,
        action=action,
        level_flag=level_flag,
        level_reason=level_reason,
    ).save()


def workers_level_changed(facts: list[dict[str, Any]]) -> None:
    """The same for a bulk roster import: one insert for all the workers."""
    LevelChange.objects.bulk_create(
        [_level_change(**fact) for fact in facts], batch_size=500
    )


def _level_change(
    *,
    worker: Worker,
    old_level: int | None,
    old_post_id: int | None,
    actor: Any,
    action: str,
    level_flag: LevelFlag | None = None,
    level_reason: str = "",
) -> LevelChange:
    """A level that differs from the placement rule (``level_flag``, computed
    by the caller from tables read once) is kept as an override (人工调整):
    the rule's level, its breakdown and the written reason, so that A3's
    recompute keeps the override's difference to the formula."""
    imported = action in (ChangeLog.Action.IMPORT, ChangeLog.Action.CREATE)
    today = clock.today()
    # Stored as data, in the language of the records (like every note).
    source = "花名册导入" if imported else "人员信息修改"
    reason = LevelChange.Reason.IMPORT if imported else LevelChange.Reason.OVERRIDE
    computed_level, params, note = None, {}, source
    if level_flag is not None and level_flag.level == worker.level:
        reason = LevelChange.Reason.OVERRIDE
        computed_level = level_flag.proposed_level
        params = dict(level_flag.params)
        note = f"{source}：{level_reason.strip() or '未填写理由'}"
    return LevelChange(
        worker=worker,
        effective_on=worker.joined_on if old_level is None else today,
        old_level=old_level,
        new_level=worker.level,
        computed_level=computed_level,
        old_post_id=old_post_id,
        post_id=worker.post_id,
        reason=reason,
        note=note[:300],
        params=params,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def worker_left(
    *, worker: Worker, left_on: Any, reason: str, actor: Any, note: str = ""
) -> None:
    """An employment ended in core: end an open annuity membership, which
    vests or forfeits the employer part by the leaving reason."""
    from payroll.annuity.services.postings import annuity_member_leave
    from payroll.models import AnnuityMembership
    from payroll.previews import LEAVING_REASONS

    for membership in AnnuityMembership.objects.filter(
        worker=worker, leaving_reason=""
    ).exclude(ended_on__lt=left_on):
        annuity_member_leave(
            membership=membership,
            left_on=left_on,
            reason=LEAVING_REASONS.get(reason, "resigned"),
            actor=actor,
            note=note,
        )
