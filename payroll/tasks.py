"""Background jobs of payroll: thin, load by id or date, call a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task
def progression_run_task(year: int | None = None) -> int:
    """DOMAIN A3 on 1 January (beat: yearly). Idempotent."""
    from payroll.services import progression_run

    return len(progression_run(year=year or timezone.localdate().year))
