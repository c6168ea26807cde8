"""Background jobs of payroll: thin, load by id or date, call a service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core import clock


@shared_task
def progression_run_task(year: int | None = None) -> int:
    """DOMAIN A3 on 1 January (beat: yearly). Idempotent."""
    from payroll.levels.services import progression_run

    return len(progression_run(year=year or clock.today().year))


@shared_task(bind=True, acks_late=True, max_retries=5)
def cycle_chunk_compute_task(self: Any, cycle_id: int, index: int) -> bool:
    """Compute one chunk of a payroll cycle, then try to finish the cycle.

    Idempotent: a redelivered or repeated task finds the chunk done.
    """
    from django.db import OperationalError

    from payroll.cycles.services import (
        cycle_chunk_started,
        cycle_finish,
        payroll_cycle_fail,
    )
    from payroll.cycles.store import cycle_chunk_compute

    cycle_chunk_started(cycle_id=cycle_id, index=index)
    try:
        done = cycle_chunk_compute(cycle_id=cycle_id, index=index)
    except OperationalError as exc:  # a deadlock or a lost connection: retry
        raise self.retry(exc=exc, countdown=1) from exc
    except Exception as exc:
        payroll_cycle_fail(cycle_id=cycle_id, error=f"{type(exc).__name__}: {exc}")
        raise
    cycle_finish(cycle_id=cycle_id)
    return done


@shared_task
def cycle_chunks_heal_task() -> int:
    """Beat (every PAYROLL_HEAL_INTERVAL_SECONDS): re-send stalled chunks, so a
    cycle whose worker was killed finishes without anyone clicking resume."""
    from payroll.cycles.services import cycle_chunks_heal

    return cycle_chunks_heal()


@shared_task
def cycle_finish_task(cycle_id: int) -> None:
    from payroll.cycles.services import cycle_finish

    cycle_finish(cycle_id=cycle_id)


@shared_task
def contribution_base_propose_task(year: int | None = None) -> int:
    """DOMAIN A7 on 1 July (beat: yearly). Idempotent: existing bases are kept."""
    from payroll.cycles.bases import contribution_base_propose

    return contribution_base_propose(year=year or clock.today().year)


@shared_task(acks_late=True)
def indexation_cost_compute_task(cost_id: int) -> str:
    """A6: the city-wide cost of a new pay table, district by district."""
    from payroll.scales.costs import indexation_cost_compute

    return indexation_cost_compute(cost_id=cost_id).status
