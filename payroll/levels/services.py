"""Writes of payroll: placement, overrides, change of post, progression and
imported level history, each a LevelChange with Worker.level kept in sync."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.history import JSONValue
from core.models import ChangeLog, Post, User, Worker
from core.services import worker_save
from payroll.levels.selectors import (
    LevelStep,
    certificates_by_worker,
    level_history_by_worker,
    level_on,
)
from payroll.models import LevelChange, ScaleVersion
from payroll.rules import placement as placement_rules
from payroll.rules import progression as progression_rules
from payroll.rules.scale import PostRange
from payroll.scales.selectors import post_ranges, scale_for, scale_version_in_force
from payroll.scales.services import FUTURE_CHANGE, NO_SCALE_IN_FORCE

OVERRIDE_NEEDS_REASON = gettext_lazy("人工调整等级须填写书面理由。")
LEVEL_OUT_OF_RANGE = gettext_lazy(
    "等级 %(level)s 超出岗位“%(post)s”的范围 %(low)s–%(high)s。"
)


def _post_range(post: Post) -> PostRange:
    return PostRange(post.code, post.lowest_level, post.highest_level)


def _apply(
    *,
    actor: User | None,
    worker: Worker,
    effective_on: date,
    new_level: int,
    reason: str,
    post: Post | None = None,
    computed_level: int | None = None,
    note: str = "",
    params: dict[str, JSONValue] | None = None,
    scale_version: ScaleVersion | None = None,
    update_worker: bool = True,
) -> LevelChange:
    """Record a level change and keep Worker.level/post in sync (via core)."""
    if effective_on > clock.today():
        raise ValidationError(FUTURE_CHANGE)
    post = post or worker.post
    change = LevelChange(
        worker=worker,
        effective_on=effective_on,
        old_level=worker.level,
        new_level=new_level,
        computed_level=computed_level,
        old_post=worker.post,
        post=post,
        reason=reason,
        note=note,
        params=params or {},
        scale_version=scale_version,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    change.full_clean()
    change.save()
    if update_worker:
        worker.level, worker.post = _in_force_today(worker, change, new_level, post)
        worker_save(
            actor=actor,
            worker=worker,
            note=str(change.get_reason_display()),
            action=ChangeLog.Action.UPDATE,
            level_recorded=True,
        )
    return change


def _in_force_today(
    worker: Worker, change: LevelChange, level: int, post: Post
) -> tuple[int, Post]:
    """The worker's current level and post once ``change`` is recorded: its
    own, unless it was dated back before steps already recorded (a change
    of post into a locked month after a progression, say); then what the
    history holds for today (``level_on``)."""
    later = LevelChange.objects.filter(
        worker=worker, effective_on__gt=change.effective_on
    ).exclude(pk=change.pk)
    if not later.exists():
        return level, post
    steps = level_history_by_worker([worker.pk]).get(worker.pk, [])
    level_now, post_id = level_on(
        steps,
        clock.today(),
        current_level=level,
        current_post_id=post.pk,
        ranges=post_ranges(),
    )
    return level_now, post if post_id == post.pk else Post.objects.get(pk=post_id)


def _check_range(level: int, post: Post) -> None:
    if not post.lowest_level <= level <= post.highest_level:
        raise ValidationError(
            LEVEL_OUT_OF_RANGE
            % {
                "level": level,
                "post": post.name,
                "low": post.lowest_level,
                "high": post.highest_level,
            }
        )


def placement_compute(
    *, worker: Worker, on: date, version: ScaleVersion | None = None
) -> tuple[placement_rules.Placement, ScaleVersion]:
    """DOMAIN A2 for ``worker`` on ``on`` with the version in force."""
    version = version or scale_version_in_force(on)
    if version is None:
        raise ValidationError(NO_SCALE_IN_FORCE % {"day": on.isoformat()})
    scale = scale_for(version)
    certificates = certificates_by_worker([worker.pk], on).get(worker.pk, [])
    result = placement_rules.place(
        post=_post_range(worker.post),
        started_on=worker.started_on,
        placed_on=on,
        education=worker.education,
        certificates=certificates,
        education_years=scale.education_years,
        certificate_levels=scale.certificate_levels,
        years_per_level=scale.years_per_level,
    )
    return result, version


@transaction.atomic
def placement_record(
    *,
    actor: User,
    worker: Worker,
    on: date,
    override_level: int | None = None,
    override_reason: str = "",
) -> LevelChange:
    """Place a worker (定级) by DOMAIN A2, keeping the breakdown.

    With ``override_level`` staff set another level; a written reason is
    required, and the computed level, the override and the reason are kept.
    """
    result, version = placement_compute(worker=worker, on=on)
    params = result.as_params()
    carried = (result.service_years + result.education_years) % result.years_per_level
    params["carried_years"] = str(carried)
    level = result.level
    reason = LevelChange.Reason.PLACEMENT
    if override_level is not None and override_level != result.level:
        if not override_reason.strip():
            raise ValidationError(OVERRIDE_NEEDS_REASON)
        _check_range(override_level, worker.post)
        level = override_level
        params["override_level"] = str(override_level)
    return _apply(
        actor=actor,
        worker=worker,
        effective_on=on,
        new_level=level,
        reason=reason,
        computed_level=result.level,
        note=override_reason.strip(),
        params=params,
        scale_version=version,
    )


@transaction.atomic
def level_override(
    *, actor: User, worker: Worker, level: int, on: date, reason: str
) -> LevelChange:
    """Set a worker's level by hand, with a written reason (kept)."""
    if not reason.strip():
        raise ValidationError(OVERRIDE_NEEDS_REASON)
    _check_range(level, worker.post)
    return _apply(
        actor=actor,
        worker=worker,
        effective_on=on,
        new_level=level,
        reason=LevelChange.Reason.OVERRIDE,
        computed_level=worker.level,
        note=reason.strip(),
    )


@transaction.atomic
def worker_post_change(
    *, actor: User, worker: Worker, post: Post, on: date, note: str = ""
) -> LevelChange:
    """DOMAIN A3: keep the level, raised to the new post's lowest or cut to
    its highest."""
    new_level = progression_rules.change_post(worker.level, _post_range(post))
    return _apply(
        actor=actor,
        worker=worker,
        effective_on=on,
        new_level=new_level,
        reason=LevelChange.Reason.CHANGE_OF_POST,
        post=post,
        computed_level=new_level,
        note=note,
        params={"old_post": worker.post.code, "new_post": post.code},
    )


# --- progression ---------------------------------------------------------------


def override_difference(steps: list[LevelStep]) -> int:
    """What overrides added to the formula (DOMAIN A2, A3): a placement
    override's level minus the computed one, plus each later change by hand
    (its new level minus the level before), so a recompute keeps them. A
    change that was checked against the formula (its params hold the
    formula's ``level`` and the ``override_level``) resets the difference
    to the one it records."""
    difference = 0
    for step in steps:
        if step.reason in (
            LevelChange.Reason.PLACEMENT,
            LevelChange.Reason.OVERRIDE,
        ) and step.params.get("override_level"):
            # A level checked against the formula (a placement override, or
            # a level imported or typed that the rule would not give): the
            # difference to the formula, as A3 says.
            difference = int(step.params["override_level"]) - int(
                step.params.get("level", step.new_level)
            )
        elif step.reason == LevelChange.Reason.OVERRIDE and step.old_level:
            difference += step.new_level - step.old_level
    return difference


def progression_plan(
    *, year: int, workers: QuerySet[Worker] | None = None
) -> list[tuple[Worker, progression_rules.RecomputedLevel | None, str]]:
    """What ``progress_levels YEAR`` would do: (worker, decision, note) for
    every active worker employed before 1 January; ``decision`` is None
    when the worker is skipped (never placed)."""
    from ratings.selectors import grades_by_worker

    effective_on = date(year, 1, 1)
    version = scale_version_in_force(effective_on)
    if version is None:
        raise ValidationError(NO_SCALE_IN_FORCE % {"day": effective_on.isoformat()})
    scale = scale_for(version)
    queryset = (workers if workers is not None else Worker.objects.all()).filter(
        status=Worker.Status.ACTIVE, joined_on__lt=effective_on
    )
    queryset = queryset.select_related("post").order_by("pk")
    history = level_history_by_worker(queryset)
    grades = grades_by_worker(queryset)
    year_end = date(year - 1, 12, 31)
    certificates = certificates_by_worker(queryset, year_end)
    plan: list[tuple[Worker, progression_rules.RecomputedLevel | None, str]] = []
    for worker in queryset:
        steps = history.get(worker.pk, [])
        if not steps:
            plan.append((worker, None, _("未定级，跳过")))
            continue
        _kind, certificate_levels = placement_rules.highest_certificate_levels(
            certificates.get(worker.pk, []), scale.certificate_levels
        )
        facts = progression_rules.ProgressionFacts(
            level=worker.level,
            post=_post_range(worker.post),
            started_on=worker.started_on,
            education_years=scale.education_years.get(worker.education, 0),
            certificate_levels=certificate_levels,
            override_difference=override_difference(steps),
        )
        decision = progression_rules.recompute_level(
            facts,
            effective_year=year,
            grades=grades.get(worker.pk, {}),
            years_per_level=scale.years_per_level,
            early_promotion_streak=scale.early_promotion_streak,
            max_early_promotions=scale.max_early_promotions,
        )
        plan.append((worker, decision, ""))
    return plan


@transaction.atomic
def progression_run(*, year: int, actor: User | None = None) -> list[LevelChange]:
    """DOMAIN A3 on 1 January of ``year``: every worker's level becomes the
    higher of the current one and the formula recomputed. Idempotent (a
    re-run finds nothing to move) and never a year late, since nothing is
    counted from the last run."""
    changes = []
    effective_on = date(year, 1, 1)
    version = scale_version_in_force(effective_on)
    for worker, decision, _note in progression_plan(year=year):
        if decision is None or not decision.moves:
            continue
        # An early promotion when the move comes only from a pair of 优秀
        # years ending last year.
        latest_pair = bool(decision.early_pairs) and (
            decision.early_pairs[-1][1] == year - 1
        )
        reason = (
            LevelChange.Reason.EARLY_PROMOTION
            if latest_pair and decision.new_level - 1 <= decision.old_level
            else LevelChange.Reason.PROGRESSION
        )
        changes.append(
            _apply(
                actor=actor,
                worker=worker,
                effective_on=effective_on,
                new_level=decision.new_level,
                reason=reason,
                computed_level=decision.formula_level,
                params=decision.as_params(),
                scale_version=version,
            )
        )
    return changes


@transaction.atomic
def level_change_import(*, actor: User, change: LevelChange) -> LevelChange:
    """Record a level from an earlier system (reason "import"). The worker's
    current level and post follow it when it is the latest change."""
    worker = Worker.objects.select_related("post").get(pk=change.worker_id)
    if change.effective_on > clock.today():
        raise ValidationError(FUTURE_CHANGE)
    post = change.post if change.post_id else worker.post
    _check_range(change.new_level, post)
    change.post = post
    change.reason = LevelChange.Reason.IMPORT
    change.actor = actor if getattr(actor, "pk", None) else None
    if change.pk is None:
        change.old_level = worker.level
        change.old_post = worker.post
    change.full_clean()
    change.save()
    level, post = _in_force_today(worker, change, change.new_level, post)
    if (worker.level, worker.post_id) != (level, post.pk):
        worker.level = level
        worker.post = post
        worker_save(
            actor=actor,
            worker=worker,
            note=str(LevelChange.Reason.IMPORT.label),
            action=ChangeLog.Action.IMPORT,
            level_recorded=True,
        )
    return change
