"""Background tasks of core."""

from __future__ import annotations

from celery import shared_task

from core.models import ChangeLog


@shared_task
def system_heartbeat_task(token: str) -> str:
    """Record that a worker reached the database; operators and CI check it.

    Idempotent: a repeated delivery finds the entry and writes nothing.
    """
    entry, _created = ChangeLog.objects.get_or_create(
        model="system.heartbeat",
        object_id=token[:40],
        defaults={
            "object_repr": "celery worker",
            "action": ChangeLog.Action.CREATE,
            "note": "worker heartbeat",
        },
    )
    return str(entry.pk)
