"""Demo data of payroll: the shipped 2026 scale and a placement per worker."""

from __future__ import annotations

from datetime import date
from typing import Any

from core import clock
from core.models import Position, User, Worker, WorkerCertificate
from payroll.annuity.services.memberships import annuity_membership_sync
from payroll.annuity.services.plans import annuity_plan_demo_load
from payroll.models import LevelChange, ScaleVersion
from payroll.reference import scale_reference_load
from payroll.rules.placement import place
from payroll.rules.scale import PostRange
from payroll.scales.selectors import scale_for
from payroll.scales.services import scale_version_index


def seed_demo(*, demo: Any, seed: int, today: date) -> None:
    """Load the default scheme and place every demo worker on the version's
    effective date (the 套改 day), so each worker has a level history."""
    version = scale_reference_load()
    scale = scale_for(version)
    workers = list(Worker.objects.select_related("post").order_by("pk"))
    # Every certificate with its date: a worker is placed with those she
    # held on her placement day (A2), not those she earns later in the year.
    held: dict[int, list[tuple[str, date]]] = {}
    for worker_id, kind, obtained_on in WorkerCertificate.objects.values_list(
        "worker_id", "kind", "obtained_on"
    ):
        held.setdefault(worker_id, []).append((kind, obtained_on))
    changes = []
    for worker in workers:
        on = max(version.effective_on, worker.joined_on)
        if on > today:
            continue
        post = PostRange(
            worker.post.code, worker.post.lowest_level, worker.post.highest_level
        )
        result = place(
            post=post,
            started_on=worker.started_on,
            placed_on=on,
            education=worker.education,
            certificates=[k for k, got in held.get(worker.pk, []) if got <= on],
            education_years=scale.education_years,
            certificate_levels=scale.certificate_levels,
            years_per_level=scale.years_per_level,
        )
        params = result.as_params()
        params["carried_years"] = str(
            (result.service_years + result.education_years) % result.years_per_level
        )
        changes.append(
            LevelChange(
                worker=worker,
                effective_on=on,
                old_level=None,
                new_level=result.level,
                computed_level=result.level,
                post=worker.post,
                reason=LevelChange.Reason.PLACEMENT,
                note="演示数据：套改定级",
                params=params,
                scale_version=version,
                created_at=clock.now(),
            )
        )
        worker.level = result.level
    LevelChange.objects.bulk_create(changes, batch_size=2000)
    Worker.objects.bulk_update(workers, ["level"], batch_size=2000)
    # Next year's draft by the growth rule (DOMAIN A6), so the cost preview
    # has something to show before adoption.
    next_year = version.effective_on.year + 1
    if not ScaleVersion.objects.filter(code=str(next_year)).exists():
        scale_version_index(
            version=version,
            code=str(next_year),
            effective_on=date(next_year, 1, 1),
            name=f"三岗十八级薪酬表 {next_year}版（草稿）",
        )
    annuity_demo(demo=demo)


def annuity_demo(*, demo: Any) -> None:
    """The demo annuity plan (DOMAIN A8), the secretaries as members, and the
    'secretary' login linked to her community's secretary."""
    plan = annuity_plan_demo_load()
    annuity_membership_sync(plan=plan)
    user = demo.users.get("secretary") if demo.users else None
    if user is None or user.community_id is None:
        return
    worker = (
        Worker.objects.filter(
            community_id=user.community_id, positions__position=Position.SECRETARY
        )
        .order_by("pk")
        .first()
    )
    if worker is not None:
        User.objects.filter(pk=user.pk).update(worker=worker)
        user.worker = worker
